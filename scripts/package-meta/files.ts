// The files `npm run generate` writes from scripts/packages.ts: every package's crossplane.yaml and the
// README's package table and package/rbac/ summary.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalFunction } from '../../render/grpc.js';
import { CONFIGURATIONS, PACKAGE_NAMES, PACKAGES, type PackageName } from '../packages.js';
import { crossplaneYaml } from './crossplane-yaml.js';
import { configurationDependencies, type Dependency } from './dependencies.js';
import { packageTable, rbacGrants, replaceSection } from './readme.js';

export const README = 'README.md';

/** Every Configuration's dependencies, from rendering its examples through the function in-process. */
export async function allDependencies(): Promise<Map<PackageName, Dependency[]>> {
  const fn = await startLocalFunction();
  try {
    const deps = new Map<PackageName, Dependency[]>();
    for (const name of CONFIGURATIONS) deps.set(name, await configurationDependencies(name, fn.address));
    return deps;
  } finally {
    await fn.stop();
  }
}

/** The package metadata files and the README with its generated sections, keyed by path. */
export async function packageMetaFiles(root = '.'): Promise<Map<string, string>> {
  const deps = await allDependencies();
  const files = new Map<string, string>();
  for (const name of PACKAGE_NAMES) files.set(PACKAGES[name].meta, crossplaneYaml(name, deps.get(name)));
  let readme = await readFile(join(root, README), 'utf8');
  readme = replaceSection(readme, 'packages', packageTable(deps));
  readme = replaceSection(readme, 'rbac', await rbacGrants(join(root, 'package/rbac')));
  files.set(README, readme);
  return files;
}
