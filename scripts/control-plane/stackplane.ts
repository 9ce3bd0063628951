/**
 * Stackplane on the control plane: the packages built with `crossplane xpkg build`, pushed to the
 * loopback registry and installed by Crossplane's package manager (External runtime: Crossplane
 * installs a package's CRDs, XRDs and Compositions but runs nothing), then function-stackplane and
 * provider-stackplane started here as the runtime would run them: the function behind the
 * FunctionRevision's endpoint over mTLS, the provider as its own ServiceAccount with the role
 * Crossplane's RBAC manager made for its revision.
 */
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildPackage, PACKAGES, type PackageName } from '../packages.js';
import { CROSSPLANE_NAMESPACE } from './crossplane.js';
import type { Cluster } from './kubernetes.js';
import { Objects } from './objects.js';
import type { CertificateAuthority, TLSFolder } from './pki.js';
import type { Processes, RunningProcess } from '../../testing/processes.js';
import type { Registry } from './registry.js';
import { freePort, waitFor } from '../../testing/wait.js';

/** What runs Stackplane's two programs. */
export interface StackplaneOptions {
  crossplaneCli: string;
  /** The folder the packages are built into. */
  outputDir: string;
  /** Extra flags for provider-stackplane. */
  providerArgs?: string[];
}

/** The running function and provider. */
export interface Stackplane {
  functionEndpoint: string;
  providerMetricsUrl: string;
  /** The installed packages' object names by package kind, and the package each installs. */
  packages: InstalledPackage[];
  /** The function's and the provider's processes. */
  runtime: RunningProcess[];
}

/** A package pushed to a registry: its kind, its metadata name and where it was pushed. */
export interface PushedPackage {
  kind: string;
  name: string;
  reference: string;
}

/** A package object the package manager installs: its kind, object name and package reference. */
export interface InstalledPackage {
  kind: string;
  name: string;
  reference: string;
}

/** Installs Stackplane into the control plane; installStackplane is the working tree's. */
export type StackplaneInstaller = (
  processes: Processes,
  cluster: Cluster,
  ca: CertificateAuthority,
  registry: Registry,
  options: StackplaneOptions,
) => Promise<Stackplane>;

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const TAG = `v${VERSION}`;
export const PKG_API = 'pkg.crossplane.io/v1';

/** A package's kind and name from its crossplane.yaml. */
function packageMeta(name: PackageName): { kind: string; name: string } {
  const meta = parse(readFileSync(PACKAGES[name].meta, 'utf8')) as {
    kind: string;
    metadata: { name: string };
  };
  return { kind: meta.kind, name: meta.metadata.name };
}

/**
 * The name Crossplane gives a package installed as a dependency of `ghcr.io/stackplane/<name>`; the
 * Compositions call the function by it.
 */
export const installedName = (name: string): string => `stackplane-${name}`;

/** Builds, pushes and installs every package, then starts the function and the provider. */
export const installStackplane: StackplaneInstaller = async (processes, cluster, ca, registry, options) => {
  const pushed: PushedPackage[] = [];
  for (const name of Object.keys(PACKAGES) as PackageName[]) {
    // No runtime image: with the External runtime Crossplane runs nothing from the package.
    const file = await buildPackage(options.crossplaneCli, name, options.outputDir);
    const meta = packageMeta(name);
    pushed.push({ ...meta, reference: await registry.push(file, `stackplane/${meta.name}`, TAG) });
  }
  const objects = new Objects(cluster.admin);
  const packages = await installPackages(objects, pushed);
  const runtime = await startRuntime(processes, cluster, ca, packages, {
    ...(options.providerArgs ? { providerArgs: options.providerArgs } : {}),
  });
  return { ...runtime, packages };
};

/**
 * Installs pushed packages with Crossplane's package manager, or moves installed ones to the pushed
 * references (an upgrade: the package manager makes a new revision and deactivates the old).
 */
export async function installPackages(
  objects: Objects,
  pushed: PushedPackage[],
): Promise<InstalledPackage[]> {
  // Function and Provider first: the Configurations' Compositions need them, and the Configurations
  // skip dependency resolution (their other dependencies, provider-upjet-aws among them, live in
  // registries this machine cannot reach).
  const order = (kind: string) => (kind === 'Configuration' ? 1 : 0);
  const installed: InstalledPackage[] = [];
  for (const pkg of [...pushed].sort((a, b) => order(a.kind) - order(b.kind))) {
    const name = installedName(pkg.name);
    await objects.apply({
      apiVersion: PKG_API,
      kind: pkg.kind,
      metadata: { name },
      spec: {
        package: pkg.reference,
        ...(pkg.kind === 'Configuration' ? { skipDependencyResolution: true } : {}),
      },
    });
    installed.push({ kind: pkg.kind, name, reference: pkg.reference });
  }
  return installed;
}

/** How the function and the provider run. */
export interface RuntimeOptions {
  /** The source tree they run from (its own node_modules resolved there); the working tree by default. */
  tree?: string;
  /** Extra flags for provider-stackplane. */
  providerArgs?: string[];
  /** Extra flags for function-stackplane. */
  functionArgs?: string[];
}

/**
 * Starts function-stackplane and provider-stackplane for the active revisions of the installed
 * packages' references, and acts as the runtime of those revisions.
 */
export async function startRuntime(
  processes: Processes,
  cluster: Cluster,
  ca: CertificateAuthority,
  packages: InstalledPackage[],
  options: RuntimeOptions = {},
): Promise<Omit<Stackplane, 'packages'>> {
  const objects = new Objects(cluster.admin);
  const fn = packages.find((p) => p.kind === 'Function');
  const provider = packages.find((p) => p.kind === 'Provider');
  if (!fn || !provider)
    throw new Error('cannot install Stackplane: the Function or the Provider package is missing');
  const cwd = options.tree ? { cwd: options.tree } : {};

  // The function, behind its revision's endpoint, with a server certificate core's CA trusts.
  const functionTLS = ca.leaf('function-stackplane');
  const functionPort = await freePort();
  const functionProcess = processes.start({
    name: 'function-stackplane',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      'functions/main.ts',
      `--address=127.0.0.1:${functionPort}`,
      `--tls-server-certs-dir=${functionTLS.dir}`,
      ...(options.functionArgs ?? []),
    ],
    ...cwd,
  });
  await waitFor('function-stackplane', functionProcess, () => listening(functionPort), 60_000);
  const functionEndpoint = `127.0.0.1:${functionPort}`;
  const functionRevision = await activeRevision(objects, 'FunctionRevision', fn.name, fn.reference);
  await actAsRuntime(
    cluster,
    objects,
    'functionrevisions',
    functionRevision,
    fn.name,
    functionTLS,
    functionEndpoint,
  );
  await reportRuntimeHealthy(objects, 'FunctionRevision', functionRevision);

  // The provider, as its own ServiceAccount bound to the role the RBAC manager made for its revision.
  const providerRevision = await activeRevision(
    objects,
    'ProviderRevision',
    provider.name,
    provider.reference,
  );
  await actAsRuntime(
    cluster,
    objects,
    'providerrevisions',
    providerRevision,
    provider.name,
    ca.leaf(provider.name),
  );
  const providerKubeconfig = await providerServiceAccount(cluster, objects, providerRevision, provider.name);
  const [metricsPort, healthPort] = [await freePort(), await freePort()];
  const providerProcess = processes.start({
    name: 'provider-stackplane',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      'provider/src/main.ts',
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
      `--health-probe-bind-address=127.0.0.1:${healthPort}`,
      `--provider-namespace=${CROSSPLANE_NAMESPACE}`,
      ...(options.providerArgs ?? []),
    ],
    env: { KUBECONFIG: providerKubeconfig, POD_NAMESPACE: CROSSPLANE_NAMESPACE },
    ...cwd,
  });
  await waitFor(
    'provider-stackplane',
    providerProcess,
    async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).ok,
    60_000,
  );
  await reportRuntimeHealthy(objects, 'ProviderRevision', providerRevision);
  return {
    functionEndpoint,
    providerMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    runtime: [functionProcess, providerProcess],
  };
}

/**
 * A kubeconfig of the provider's own ServiceAccount, bound to the system ClusterRole Crossplane's RBAC
 * manager made for its revision (its CRDs, Secrets, ConfigMaps, events and leases), as the Deployment
 * runtime runs a provider.
 */
export async function providerServiceAccount(
  cluster: Cluster,
  objects: Objects,
  revision: string,
  providerName: string,
): Promise<string> {
  const systemRole = `crossplane:provider:${revision}:system`;
  await waitFor('the provider system ClusterRole', undefined, async () => {
    return (await objects.get('rbac.authorization.k8s.io/v1', 'ClusterRole', systemRole)) !== undefined;
  }, 60_000); // prettier-ignore
  const binding = `${providerName}:system`;
  // A binding's roleRef is immutable: a new revision (an upgrade) gets the binding anew.
  const bound = await objects.get('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', binding);
  const boundRole = (bound?.['roleRef'] as { name?: string } | undefined)?.name;
  if (bound && boundRole !== systemRole) await objects.delete(bound);
  await objects.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: binding },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: systemRole },
    subjects: [{ kind: 'ServiceAccount', name: providerName, namespace: CROSSPLANE_NAMESPACE }],
  });
  return cluster.serviceAccountKubeconfig(CROSSPLANE_NAMESPACE, providerName);
}

/**
 * The name of a package's active revision, once the package manager made it; of the revision of
 * `reference` when given (after an upgrade, the old revision may still be active for a moment).
 */
export async function activeRevision(
  objects: Objects,
  kind: string,
  packageName: string,
  reference?: string,
): Promise<string> {
  let name = '';
  await waitFor(`the active ${kind} of ${reference ?? packageName}`, undefined, async () => {
    const revisions = await objects.list(PKG_API, kind);
    const active = revisions.find((r) => {
      const spec = r['spec'] as { desiredState?: string; image?: string };
      return (
        r.metadata?.labels?.['pkg.crossplane.io/package'] === packageName &&
        spec.desiredState === 'Active' &&
        (reference === undefined || spec.image === reference)
      );
    });
    name = active?.metadata?.name ?? '';
    return name !== '';
  }, 120_000); // prettier-ignore
  return name;
}

/**
 * What Crossplane's Deployment runtime does for a revision, which the External runtime leaves to
 * whoever runs the package: the revision's TLS server Secret (core waits for it before it installs
 * the package's CRDs) and, for a function, the endpoint core dials.
 */
export async function actAsRuntime(
  cluster: Cluster,
  objects: Objects,
  plural: 'functionrevisions' | 'providerrevisions',
  revision: string,
  packageName: string,
  tls: TLSFolder,
  endpoint?: string,
): Promise<void> {
  const secretName = `${packageName}-tls-server`;
  const read = (file: string) => readFileSync(join(tls.dir, file), 'utf8');
  await objects.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace: CROSSPLANE_NAMESPACE },
    type: 'kubernetes.io/tls',
    stringData: { 'tls.crt': read('tls.crt'), 'tls.key': read('tls.key'), 'ca.crt': read('ca.crt') },
  });
  const { CustomObjectsApi, setHeaderOptions, PatchStrategy } = await import('@kubernetes/client-node');
  const api = cluster.admin.makeApiClient(CustomObjectsApi);
  const status = { tlsServerSecretName: secretName, ...(endpoint ? { endpoint } : {}) };
  await api.patchClusterCustomObjectStatus(
    { group: 'pkg.crossplane.io', version: 'v1', plural, name: revision, body: { status } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/**
 * What the Deployment runtime reports once a revision's Deployment is available: the revision's
 * RuntimeHealthy condition. Without it the package's Healthy condition stays False ("Package
 * runtime health is Unknown"), though the revision serves.
 */
export async function reportRuntimeHealthy(objects: Objects, kind: string, revision: string): Promise<void> {
  const plural = `${kind.toLowerCase()}s`;
  const healthy = {
    type: 'RuntimeHealthy',
    status: 'True',
    reason: 'HealthyPackageRevision',
    lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  // Core updates the revision's status too: a patch on a stale resourceVersion conflicts, and is
  // tried again on the revision as it is now.
  await waitFor(`RuntimeHealthy on ${revision}`, undefined, async () => {
    const current = await objects.get(PKG_API, kind, revision);
    if (!current) return false;
    const conditions = ((current['status'] as { conditions?: { type: string }[] } | undefined)
      ?.conditions ?? []).filter((c) => c.type !== 'RuntimeHealthy');
    await objects.mergePatch(`/apis/${PKG_API}/${plural}/${revision}/status`, {
      metadata: { resourceVersion: current.metadata?.resourceVersion },
      status: { conditions: [...conditions, healthy] },
    });
    return true;
  }, 30_000); // prettier-ignore
}

/** Whether something accepts TCP connections on the loopback port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
