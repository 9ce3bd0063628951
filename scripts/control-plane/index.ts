/**
 * The end-to-end control plane: a real Kubernetes API server with RBAC and a garbage collector, a real
 * Crossplane core and RBAC manager out of cluster, Stackplane's packages installed by Crossplane's
 * package manager from a loopback registry, function-stackplane over mTLS, provider-stackplane, and
 * fakes of the external APIs. Every process logs into `<dir>/logs` and is stopped by PID.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KeystoneInstall } from '../../testing/keystone.js';
import type { ControlPlaneBinaries } from './binaries.js';
import { startCrossplane, type Crossplane } from './crossplane.js';
import { startCluster, type Cluster } from './kubernetes.js';
import { Objects } from './objects.js';
import { CertificateAuthority } from './pki.js';
import { installPlatform, startFakes, type Fakes } from './platform.js';
import { Processes } from '../../testing/processes.js';
import { startRegistry, type Registry } from './registry.js';
import { installStackplane, type Stackplane, type StackplaneInstaller } from './stackplane.js';

/** A running control plane. */
export interface ControlPlane {
  dir: string;
  logDir: string;
  cluster: Cluster;
  admin: KubeConfig;
  objects: Objects;
  crossplane: Crossplane;
  stackplane: Stackplane;
  fakes: Fakes;
  processes: Processes;
  /** The CA whose certificates Crossplane trusts, and the loopback registry packages install from. */
  ca: CertificateAuthority;
  registry: Registry;
  /** Seconds each phase of start-up took. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/** Options of startControlPlane. */
export interface ControlPlaneOptions {
  binaries: ControlPlaneBinaries;
  /** Where data, certificates, packages and logs go; a new temporary folder when absent. */
  dir?: string;
  providerArgs?: string[];
  /** More flags for `crossplane core start` (benchmarks compare its flags). */
  crossplaneArgs?: string[];
  /** More flags for kube-apiserver, after the defaults so that they win (benchmarks size it). */
  apiServerArgs?: string[];
  /** More flags for kube-controller-manager, after the defaults (its garbage collector's client rate). */
  controllerManagerArgs?: string[];
  /** A real Keystone for the region's identity (testing/keystone.ts); the FakeKeystone without. */
  keystone?: KeystoneInstall;
  /** Installs Stackplane's packages and runs them; the working tree's (installStackplane) by default. */
  install?: StackplaneInstaller;
}

/** Starts the whole control plane; on failure, stops what it started and rethrows. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'stackplane-control-plane-'));
  const logDir = join(dir, 'logs');
  // A platform's own core flags: the caller's, else STACKPLANE_CROSSPLANE_ARGS (space-separated).
  const crossplaneArgs =
    options.crossplaneArgs ?? (process.env['STACKPLANE_CROSSPLANE_ARGS'] ?? '').split(' ').filter(Boolean);
  mkdirSync(logDir, { recursive: true });
  const processes = new Processes(logDir);
  let fakes: Fakes | undefined;
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await run();
    timings[name] = Math.round(performance.now() - start) / 1000;
    return result;
  };
  // Keystone's set-up (keys, db_sync, bootstrap) runs beside the cluster's start.
  const fakesStarting = phase('fakes', () => startFakes(options.keystone, logDir));
  fakesStarting.catch(() => {});
  try {
    const { binaries } = options;
    const ca = new CertificateAuthority(join(dir, 'tls'));
    const cluster = await phase('kubernetes', () =>
      startCluster(processes, binaries, join(dir, 'kubernetes'), {
        apiServer: options.apiServerArgs ?? [],
        controllerManager: options.controllerManagerArgs ?? [],
      }),
    );
    const objects = new Objects(cluster.admin);
    const crossplane = await phase('crossplane', () =>
      startCrossplane(processes, cluster, ca, binaries, join(dir, 'crossplane'), crossplaneArgs),
    );
    const registry = await phase('registry', () => startRegistry(processes, binaries));
    fakes = await fakesStarting;
    const stackplane = await phase('stackplane', () =>
      (options.install ?? installStackplane)(processes, cluster, ca, registry, {
        crossplaneCli: binaries.crossplaneCli,
        outputDir: join(dir, 'packages'),
        ...(options.providerArgs ? { providerArgs: options.providerArgs } : {}),
      }),
    );
    await phase('platform', () => installPlatform(objects, fakes!));
    const running = fakes;
    return {
      dir,
      logDir,
      cluster,
      admin: cluster.admin,
      objects,
      crossplane,
      stackplane,
      fakes: running,
      processes,
      ca,
      registry,
      timings,
      stop: async () => {
        await processes.stopAll();
        await running.stop();
      },
    };
  } catch (error) {
    await processes.stopAll();
    await (fakes ?? (await fakesStarting.catch(() => undefined)))?.stop();
    throw new Error(`cannot start the control plane (logs in ${logDir}): ${(error as Error).message}`, {
      cause: error,
    });
  }
}
