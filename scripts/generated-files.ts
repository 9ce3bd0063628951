// Every file `npm run generate` writes: from the zod schemas, the XRDs and function input CRDs of apis/
// and the provider package's CRDs; from scripts/packages.ts, every package's crossplane.yaml and the
// README's package table and package/rbac/ summary.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatedFiles, INPUT_CRD_DIR, XRD_DIR } from '../apis/generate.js';
import { PROVIDER_CRD_DIR, providerCrdFiles } from '../provider/src/crd-files.js';
import { packageMetaFiles } from './package-meta/files.js';

/** The directories that hold generated files only. */
export const GENERATED_DIRS = [XRD_DIR, INPUT_CRD_DIR, PROVIDER_CRD_DIR] as const;

/** Every generated file, keyed by its path relative to the repository root. */
export async function allGeneratedFiles(root = '.'): Promise<Map<string, string>> {
  return new Map([...generatedFiles(), ...providerCrdFiles(), ...(await packageMetaFiles(root))]);
}

/** The files under `root` whose content differs from what generation writes. */
export async function staleFiles(root: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, content] of files) {
    const committed = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (committed !== content) stale.push(path);
  }
  return stale.sort();
}
