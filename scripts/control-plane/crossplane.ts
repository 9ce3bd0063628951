/**
 * Crossplane core out of cluster: its CRDs through `crossplane core init`, the RBAC its Helm chart
 * gives it (rendered with helm from the chart in the pinned crossplane module, never copied by hand),
 * `crossplane core start` with the External package runtime, and its RBAC manager. Core and the RBAC
 * manager run as their own ServiceAccounts, never as cluster-admin.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from './kubernetes.js';
import { Objects, yamlObjects, type KubeObject } from './objects.js';
import type { CertificateAuthority, TLSFolder } from './pki.js';
import { tail, type Processes } from '../../testing/processes.js';
import { freePort, waitFor } from '../../testing/wait.js';

/** Where Crossplane runs, as its Helm chart installs it by default. */
export const CROSSPLANE_NAMESPACE = 'crossplane-system';

/** How often `core init` runs before the control plane gives up. */
const INIT_ATTEMPTS = 5;

/** The binaries this part starts. */
export interface CrossplaneBinaries {
  crossplane: string;
  helm: string;
  /** The pinned crossplane Go module's folder: cluster/crds, cluster/charts, cluster/webhookconfigurations. */
  module: string;
}

/** A running Crossplane. */
export interface Crossplane {
  /** core's client certificate folder: the CA every function's server certificate must chain to. */
  clientTLS: TLSFolder;
  metricsUrl: string;
}

/**
 * The kinds of the chart's documents that make up Crossplane's identity and permissions, and the
 * empty TLS Secrets `core init` fills. Not its Deployments and Service: core runs out of cluster.
 */
const CHART_KINDS = new Set([
  'ServiceAccount',
  'Secret',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
]);

/** The chart's RBAC and TLS Secrets, rendered with its default values. */
export function chartRbac(binaries: CrossplaneBinaries): KubeObject[] {
  const rendered = execFileSync(
    binaries.helm,
    [
      'template',
      'crossplane',
      join(binaries.module, 'cluster/charts/crossplane'),
      '--namespace',
      CROSSPLANE_NAMESPACE,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return yamlObjects(rendered, true).filter((o) => CHART_KINDS.has(o.kind ?? ''));
}

/** Where core listens and finds its files, and the flags a caller adds. */
export interface CoreStartOptions {
  cacheDir: string;
  webhookPort: number;
  metricsPort: number;
  healthPort: number;
  serverCertsDir: string;
  clientCertsDir: string;
  extraArgs?: readonly string[];
}

/** The arguments of `crossplane core start`; a caller's flags come last, so a repeated flag wins. */
export function coreStartArgs(o: CoreStartOptions): string[] {
  return [
    'core',
    'start',
    // Providers and functions run outside the cluster, started by these scripts.
    '--package-runtime=External',
    `--xpkg-cache-dir=${o.cacheDir}`,
    `--webhook-port=${o.webhookPort}`,
    `--metrics-port=${o.metricsPort}`,
    `--health-probe-port=${o.healthPort}`,
    `--tls-server-certs-dir=${o.serverCertsDir}`,
    `--tls-client-certs-dir=${o.clientCertsDir}`,
    '--debug',
    ...(o.extraArgs ?? []),
  ];
}

/** Installs the chart's RBAC and core's CRDs, then starts core and the RBAC manager. */
export async function startCrossplane(
  processes: Processes,
  cluster: Cluster,
  ca: CertificateAuthority,
  binaries: CrossplaneBinaries,
  dir: string,
  /** More flags for `crossplane core start`, after the ones here (a later flag wins). */
  extraArgs: readonly string[] = [],
): Promise<Crossplane> {
  const objects = new Objects(cluster.admin);
  await objects.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CROSSPLANE_NAMESPACE } },
    ...chartRbac(binaries),
  );
  const coreKubeconfig = await cluster.serviceAccountKubeconfig(CROSSPLANE_NAMESPACE, 'crossplane');
  const rbacKubeconfig = await cluster.serviceAccountKubeconfig(CROSSPLANE_NAMESPACE, 'rbac-manager');
  const env = {
    KUBECONFIG: coreKubeconfig,
    POD_NAMESPACE: CROSSPLANE_NAMESPACE,
    POD_SERVICE_ACCOUNT: 'crossplane',
  };

  // As the chart's init container, restarted until it succeeds as Kubernetes would: core CRDs, the
  // lock, the default runtime config and activation policy (its first try may find the CRDs it has
  // just created not served yet). Webhook configurations are installed below instead, pointing at
  // core on loopback.
  const init = {
    command: binaries.crossplane,
    // The chart's default: every managed resource kind of an installed provider is active.
    args: ['core', 'init', '--activation=*'],
    env: {
      ...env,
      CRDS_PATH: join(binaries.module, 'cluster/crds'),
      ENABLE_WEBHOOKS: 'false',
      TLS_CA_SECRET_NAME: 'crossplane-root-ca',
      TLS_CLIENT_SECRET_NAME: 'crossplane-tls-client',
    },
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await processes.run({ name: `crossplane-init-${attempt}`, ...init });
      break;
    } catch (error) {
      if (attempt === INIT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }

  const clientTLS = ca.leaf('crossplane-client');
  const serverTLS = ca.leaf('crossplane-webhook');
  const [webhookPort, metricsPort, healthPort] = [await freePort(), await freePort(), await freePort()];
  await objects.apply(...usageWebhooks(binaries, webhookPort, serverTLS.caCert));

  const cacheDir = join(dir, 'xpkg-cache');
  mkdirSync(cacheDir, { recursive: true });
  const core = processes.start({
    name: 'crossplane',
    command: binaries.crossplane,
    args: coreStartArgs({
      cacheDir,
      webhookPort,
      metricsPort,
      healthPort,
      serverCertsDir: serverTLS.dir,
      clientCertsDir: clientTLS.dir,
      extraArgs,
    }),
    env,
  });
  await waitFor(
    'crossplane',
    core,
    async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).ok,
    120_000,
  );

  await startRbacManager(processes, binaries, {
    ...env,
    KUBECONFIG: rbacKubeconfig,
    POD_SERVICE_ACCOUNT: 'rbac-manager',
  });
  return { clientTLS, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/**
 * Crossplane's Usage webhook configurations from the module, with the Service reference replaced by
 * core's loopback URL: there is no Service routing here. Without them a Usage would not block the
 * deletion of the resource it protects.
 */
function usageWebhooks(binaries: CrossplaneBinaries, port: number, caCert: string): KubeObject[] {
  const configurations = yamlObjects(join(binaries.module, 'cluster/webhookconfigurations/usage.yaml'));
  for (const configuration of configurations) {
    const webhooks = configuration['webhooks'] as { clientConfig: Record<string, unknown> }[];
    for (const webhook of webhooks) {
      const { path } = webhook.clientConfig['service'] as { path: string };
      webhook.clientConfig = {
        url: `https://127.0.0.1:${port}${path}`,
        caBundle: Buffer.from(caCert).toString('base64'),
      };
    }
  }
  return configurations;
}

/** How long a started RBAC manager must keep running to count as started. */
const RBAC_MANAGER_SETTLE_MS = 3_000;
/** How often it is started before the control plane gives up. */
const RBAC_MANAGER_ATTEMPTS = 20;

/**
 * Starts the RBAC manager, again after a while if it exits at once, as Kubernetes restarts a
 * crashed container. Its metrics server always binds :8080 (crossplane rbac start has no flag to move
 * it), so it fails while another process holds that port.
 */
async function startRbacManager(
  processes: Processes,
  binaries: CrossplaneBinaries,
  env: Record<string, string>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const manager = processes.start({
      name: attempt === 1 ? 'crossplane-rbac-manager' : `crossplane-rbac-manager-${attempt}`,
      command: binaries.crossplane,
      args: ['rbac', 'start', '--provider-clusterrole=crossplane:allowed-provider-permissions', '--debug'],
      env,
    });
    await new Promise((resolve) => setTimeout(resolve, RBAC_MANAGER_SETTLE_MS));
    if (manager.exit() === undefined) return;
    if (attempt === RBAC_MANAGER_ATTEMPTS) {
      throw new Error(`crossplane rbac start keeps exiting (${manager.exit()}):\n${tail(manager.logFile)}`);
    }
  }
}
