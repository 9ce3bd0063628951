/**
 * Stackplane's releases on the control plane, for the upgrade pass (test/e2e/upgrade.ts): the last
 * release CHANGELOG.md records, built from its own commit's tree with the pinned crossplane CLI,
 * pushed to the loopback registry as `stackplane/<package>:<version>` and installed, its function and
 * provider run from that tree; and the working tree released as the next version with the code
 * `npm run release` runs, pushed to the same repositories, so an upgrade is a new tag of each package.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractCommit, resolveCommit } from '../compat/trees.js';
import { placeholderRuntimeImages } from '../images/placeholder.js';
import { PACKAGES } from '../packages.js';
import { lastRelease, readChangelog } from '../release/changelog.js';
import { buildRelease, pushRelease, releasePushes, releaseTarget } from '../release/release.js';
import { parseVersion } from '../release/semver.js';
import { Objects } from './objects.js';
import type { Registry } from './registry.js';
import { installPackages, startRuntime, type PushedPackage, type StackplaneInstaller } from './stackplane.js';

const run = promisify(execFile);

/** A release's source tree, extracted with this checkout's node_modules. */
export interface ReleaseTree {
  /** e.g. `v0.1.0` */
  version: string;
  commit: string;
  dir: string;
}

/** The repository path of Stackplane's packages in the loopback registry. */
const REPOSITORY = 'stackplane';

/** Extracts the last release CHANGELOG.md records into `<workDir>/release`. */
export async function extractLastRelease(workDir: string): Promise<ReleaseTree> {
  const release = lastRelease(await readChangelog());
  if (!release) throw new Error('cannot extract the last release: CHANGELOG.md records no release');
  const commit = await resolveCommit(release.commit);
  const dir = await extractCommit(commit, join(workDir, 'release'));
  return { version: release.version.text, commit, dir };
}

/**
 * Builds every package of a release's tree with that tree's own scripts/packages.ts (its package
 * list, metadata and contents), without runtime images: the External runtime runs nothing from them.
 */
const BUILD_IN_TREE = `
const { PACKAGES, buildPackage } = await import('./scripts/packages.ts');
const [cli, outputDir] = process.argv.slice(1);
const built = [];
for (const [name, spec] of Object.entries(PACKAGES))
  built.push({ name, kind: spec.kind, file: await buildPackage(cli, name, outputDir) });
console.log(JSON.stringify(built));
`;

async function buildTreePackages(
  tree: ReleaseTree,
  cli: string,
  outputDir: string,
): Promise<{ name: string; kind: string; file: string }[]> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', BUILD_IN_TREE, cli, outputDir],
      { cwd: tree.dir, encoding: 'utf8' },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as { name: string; kind: string; file: string }[];
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`cannot build the packages of ${tree.version}: ${stderr || (error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Installs a release built from its tree: its packages pushed as `stackplane/<package>:<version>`,
 * installed by the package manager, its function and provider started from its tree.
 */
export function installRelease(tree: ReleaseTree): StackplaneInstaller {
  return async (processes, cluster, ca, registry, options) => {
    const pushed: PushedPackage[] = [];
    for (const built of await buildTreePackages(
      tree,
      options.crossplaneCli,
      join(options.outputDir, tree.version),
    )) {
      const reference = await registry.push(built.file, `${REPOSITORY}/${built.name}`, tree.version);
      pushed.push({ kind: built.kind, name: built.name, reference });
    }
    const packages = await installPackages(new Objects(cluster.admin), pushed);
    const runtime = await startRuntime(processes, cluster, ca, packages, {
      tree: tree.dir,
      ...(options.providerArgs ? { providerArgs: options.providerArgs } : {}),
    });
    return { ...runtime, packages };
  };
}

/** The version after `version` in its minor: v0.1.0 → v0.2.0. */
export function nextMinor(version: string): string {
  const parsed = parseVersion(version);
  if (!parsed) throw new Error(`cannot release after ${version}: it is not a semantic version`);
  return `v${parsed.major}.${parsed.minor + 1}.0`;
}

/**
 * Releases the working tree as `version` to the loopback registry with npm run release's own build
 * and push (scripts/release/release.ts), with placeholder runtime images; returns what it pushed.
 */
export async function releaseWorkingTree(
  cli: string,
  registry: Registry,
  version: string,
  outputDir: string,
): Promise<PushedPackage[]> {
  const target = releaseTarget(version, `${registry.host}/${REPOSITORY}`, await readChangelog());
  const pushes = releasePushes(target, outputDir);
  await mkdir(outputDir, { recursive: true });
  await buildRelease(cli, target, await placeholderRuntimeImages(outputDir), outputDir);
  await pushRelease(cli, pushes);
  return pushes.map((push) => ({
    kind: PACKAGES[push.name].kind,
    name: push.name,
    reference: push.reference,
  }));
}
