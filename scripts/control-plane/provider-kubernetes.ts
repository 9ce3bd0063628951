/**
 * provider-kubernetes on the control plane, for StorageTenants whose target is a remote cluster: its
 * package (crossplane.yaml and CRDs from the pinned Go module) built with `crossplane xpkg build`,
 * pushed to the loopback registry and installed by Crossplane's package manager like Stackplane's own
 * provider, then its binary (built by scripts/install-provider-kubernetes.sh) started out of cluster
 * as its own ServiceAccount with the system ClusterRole the RBAC manager made for its revision.
 * Installing it as a package is also what gives Crossplane core its role on the provider's kinds.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { binDir, pinned } from './binaries.js';
import type { ControlPlane } from './index.js';
import { freePort, waitFor } from '../../testing/wait.js';
import { activeRevision, actAsRuntime, PKG_API, providerServiceAccount } from './stackplane.js';

/** The Provider's name, as Crossplane's documentation installs it. */
export const PROVIDER_KUBERNETES = 'provider-kubernetes';
const MODULE = 'github.com/crossplane-contrib/provider-kubernetes';

/** The built binary and the package source next to it. */
export interface ProviderKubernetesFiles {
  version: string;
  binary: string;
  /** crossplane.yaml and crds/ from the module's package folder. */
  packageRoot: string;
}

/** The files scripts/install-provider-kubernetes.sh makes, or what is missing. */
export function findProviderKubernetes(): ProviderKubernetesFiles | { missing: string } {
  const version = pinned('tools/provider-kubernetes/go.mod', MODULE);
  const binary = process.env['PROVIDER_KUBERNETES'] ?? join(binDir(), `provider-kubernetes-${version}`);
  const packageRoot = join(binDir(), `provider-kubernetes-${version}-package`);
  for (const path of [binary, packageRoot]) {
    if (!existsSync(path))
      return { missing: `${path} (scripts/install-provider-kubernetes.sh builds it; npm run e2e runs that)` };
  }
  return { version, binary, packageRoot };
}

/** Flags of the running provider, as a platform would set them. */
const PROVIDER_ARGS = [
  // The Objects' status would otherwise echo Secrets they manage, such as the tenant token.
  '--sanitize-secrets',
  // How often an Object reads its object back (default 10m): the StorageTenant's readiness comes from
  // the workload status the Objects report, and the test waits for it.
  '--poll=10s',
];

/**
 * Installs the package, waits until its namespaced Object and ProviderConfig kinds are served, and
 * starts the provider, logging into `<logDir>/provider-kubernetes.log`. Its webhook server (the
 * cluster-scoped Object's conversion) listens on :9443, which nothing else on the control plane
 * uses; its metrics server is switched off at build time (see the install script).
 */
export async function installProviderKubernetes(
  cp: ControlPlane,
  crossplaneCli: string,
  files: ProviderKubernetesFiles,
): Promise<void> {
  const { objects, processes } = cp;
  const file = join(cp.dir, 'packages', `${PROVIDER_KUBERNETES}.xpkg`);
  await processes.run({
    name: `build-${PROVIDER_KUBERNETES}`,
    command: crossplaneCli,
    args: ['xpkg', 'build', '--package-root', files.packageRoot, '--package-file', file],
  });
  const reference = await cp.registry.push(file, `crossplane-contrib/${PROVIDER_KUBERNETES}`, files.version);
  await objects.apply({
    apiVersion: PKG_API,
    kind: 'Provider',
    metadata: { name: PROVIDER_KUBERNETES },
    spec: { package: reference },
  });
  const revision = await activeRevision(objects, 'ProviderRevision', PROVIDER_KUBERNETES);
  const tls = cp.ca.leaf(PROVIDER_KUBERNETES);
  await actAsRuntime(cp.cluster, objects, 'providerrevisions', revision, PROVIDER_KUBERNETES, tls);
  const kubeconfig = await providerServiceAccount(cp.cluster, objects, revision, PROVIDER_KUBERNETES);
  for (const plural of ['objects', 'providerconfigs']) {
    const name = `${plural}.kubernetes.m.crossplane.io`;
    await waitFor(`CustomResourceDefinition ${name} established`, undefined, async () => {
      const crd = await objects.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name);
      const conditions = (crd?.['status'] as { conditions?: { type: string; status: string }[] })?.conditions;
      return conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
    }, 120_000); // prettier-ignore
  }

  const healthPort = await freePort();
  const provider = processes.start({
    name: PROVIDER_KUBERNETES,
    command: files.binary,
    args: [`--health-probe-bind-addr=127.0.0.1:${healthPort}`, ...PROVIDER_ARGS],
    // The webhook server's certificate, where the Deployment runtime mounts the revision's TLS Secret.
    env: { KUBECONFIG: kubeconfig, TLS_SERVER_CERTS_DIR: tls.dir },
  });
  await waitFor(
    PROVIDER_KUBERNETES,
    provider,
    async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).ok,
    60_000,
  );
}
