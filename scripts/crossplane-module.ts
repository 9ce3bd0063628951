/**
 * The Go module of the crossplane version pinned in tools/go/go.mod, the one the CLI is built from:
 * it carries Crossplane's Helm chart and its own CRDs, so both are at hand offline wherever the CLI
 * was built.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The crossplane module version pinned in tools/go/go.mod (the CLI's, and the chart Stackplane targets). */
export async function pinnedCrossplaneVersion(): Promise<string> {
  const goMod = await readFile('tools/go/go.mod', 'utf8');
  const version = /^\s*github\.com\/crossplane\/crossplane\/v2 (v\S+)$/m.exec(goMod)?.[1];
  if (!version) throw new Error('cannot find the crossplane version in tools/go/go.mod');
  return version;
}

/**
 * The module's directory: `go mod download` finds it in the module cache (or fetches it from the
 * module proxy) without touching go.mod.
 */
export async function crossplaneModuleDir(): Promise<string> {
  const version = await pinnedCrossplaneVersion();
  const module = `github.com/crossplane/crossplane/v2@${version}`;
  const { stdout } = await run('go', ['mod', 'download', '-json', module], { cwd: 'tools/go' }).catch(
    (error: unknown) => {
      throw new Error(`cannot download ${module}: ${(error as Error).message.split('\n')[0]}`, {
        cause: error,
      });
    },
  );
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`cannot find ${module} in the Go module cache`);
  return dir;
}

/** Crossplane's own CRDs (Composition, XRD, EnvironmentConfig, Function, Usage, ...) of the pinned version. */
export async function crossplaneCrdsDir(): Promise<string> {
  return join(await crossplaneModuleDir(), 'cluster', 'crds');
}
