/**
 * The Go-built binaries of the control plane, cached per version by scripts/install-*.sh under
 * ~/.cache/stackplane/bin (or given by environment variables), and the pinned crossplane module's
 * folder, whose cluster/ holds core's CRDs, its Helm chart and its webhook configurations.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Every binary the control plane starts. */
export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiServer: string;
  kubeControllerManager: string;
  crossplane: string;
  crossplaneCli: string;
  helm: string;
  crane: string;
  kubectl: string;
  /** The crossplane Go module's folder. */
  module: string;
}

/** The version a go.mod requires of a module. */
export function pinned(goMod: string, module: string): string {
  const text = readFileSync(goMod, 'utf8');
  // In a require block, or a one-line `require module version`.
  const fields = text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map((f) => (f[0] === 'require' ? f.slice(1) : f))
    .find((f) => f[0] === module);
  const version = fields?.[1];
  if (!version) throw new Error(`cannot find the ${module} version in ${goMod}`);
  return version;
}

export const binDir = (): string =>
  join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'stackplane', 'bin');

/**
 * The folder whose go.mod pins Crossplane core: the CLI's (tools/go), or with
 * STACKPLANE_CROSSPLANE_CORE=next the newest release (tools/crossplane-next), whose CLI module the Go
 * module proxy does not serve, so the CLI stays at tools/go's version.
 */
export function coreModuleDir(): string {
  const choice = process.env['STACKPLANE_CROSSPLANE_CORE'] ?? 'pinned';
  if (choice === 'pinned') return 'tools/go';
  if (choice === 'next') return 'tools/crossplane-next';
  throw new Error(
    `STACKPLANE_CROSSPLANE_CORE=${choice}: must be "pinned" (tools/go) or "next" (tools/crossplane-next)`,
  );
}

/** The Crossplane core version the control plane runs. */
export const coreVersion = (): string =>
  pinned(`${coreModuleDir()}/go.mod`, 'github.com/crossplane/crossplane/v2');

/** The binaries, or what is missing and the command that builds it. */
export function findBinaries(): ControlPlaneBinaries | { missing: string[] } {
  const crossplaneVersion = coreVersion();
  const cliVersion = pinned('tools/go/go.mod', 'github.com/crossplane/crossplane/v2');
  const kubeVersion = pinned('tools/kube-apiserver/go.mod', 'k8s.io/kubernetes');
  const bin = binDir();
  const found = {
    etcd: process.env['ETCD'] ?? join(bin, `etcd-${pinned('tools/kube-apiserver/go.mod', 'go.etcd.io/etcd/server/v3')}`),
    kubeApiServer: process.env['KUBE_APISERVER'] ?? join(bin, `kube-apiserver-${kubeVersion}`),
    kubeControllerManager:
      process.env['KUBE_CONTROLLER_MANAGER'] ?? join(bin, `kube-controller-manager-${kubeVersion}`),
    crossplane: process.env['CROSSPLANE_CORE'] ?? join(bin, `crossplane-core-${crossplaneVersion}`),
    crossplaneCli: process.env['CROSSPLANE_CLI'] ?? join(bin, `crossplane-${cliVersion}`),
    helm: process.env['HELM'] ?? join(bin, `helm-${pinned('tools/helm/go.mod', 'helm.sh/helm/v3')}`),
    crane: process.env['CRANE'] ?? join(bin, `crane-${pinned('tools/go/go.mod', 'github.com/google/go-containerregistry')}`),
    kubectl: process.env['KUBECTL'] ?? join(bin, `kubectl-${kubeVersion}`),
  }; // prettier-ignore
  const missing = Object.values(found)
    .filter((path) => !existsSync(path))
    .map((path) => `${path} (npm run e2e builds it)`);
  if (missing.length > 0) return { missing };
  return { ...found, module: crossplaneModule(crossplaneVersion, coreModuleDir()) };
}

/** The folder of the crossplane module in the Go module cache (downloaded if it is not there). */
function crossplaneModule(version: string, moduleDir: string): string {
  const out = execFileSync(
    'go',
    ['mod', 'download', '-json', `github.com/crossplane/crossplane/v2@${version}`],
    {
      cwd: moduleDir,
      encoding: 'utf8',
    },
  );
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`cannot find the crossplane module ${version} in the Go module cache`);
  return dir;
}
