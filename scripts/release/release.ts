/**
 * A release: every package built with one semantic version and pushed with `crossplane xpkg push`
 * to a registry the user names, as `<registry>/<package>:<version>`. The Function and the Provider
 * are pushed as one multi-architecture package each.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Architecture, PackageName, RuntimeName } from '../packages.js';
import { ARCHITECTURES, buildPackage, PACKAGE_NAMES, PACKAGES, packageFile } from '../packages.js';
import { lastRelease, type Changelog } from './changelog.js';
import type { ReleaseTarget } from './meta.js';
import { compareVersions, parseVersion } from './semver.js';

const run = promisify(execFile);

/** An expected refusal: the message says what to fix. */
export class ReleaseError extends Error {}

// A registry host (with an optional port) and repository path, lowercase as OCI requires, with no
// scheme, tag or digest: the release adds `/<package>:<version>`.
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** Checks the version and registry against the CHANGELOG's last recorded release. */
export function releaseTarget(versionText: string, registry: string, changelog: Changelog): ReleaseTarget {
  const version = parseVersion(versionText);
  if (!version) {
    throw new ReleaseError(
      `cannot release ${versionText}: it is not a semantic version: write MAJOR.MINOR.PATCH, e.g. v0.2.0`,
    );
  }
  const last = lastRelease(changelog);
  if (last && compareVersions(version, last.version) <= 0) {
    throw new ReleaseError(
      `cannot release ${version.text}: CHANGELOG.md records ${last.version.text}: choose a greater version`,
    );
  }
  if (!REGISTRY.test(registry)) {
    throw new ReleaseError(
      `cannot release to --registry ${registry}: name a registry host and path without scheme or tag, e.g. ghcr.io/stackplane`,
    );
  }
  return { registry, version };
}

/** One push: the package files (one per architecture when it embeds a runtime) and where they go. */
export interface Push {
  name: PackageName;
  files: string[];
  reference: string;
}

/** What a release pushes, from the package files it builds into `outputDir`. */
export function releasePushes(target: ReleaseTarget, outputDir: string): Push[] {
  return PACKAGE_NAMES.map((name) => ({
    name,
    files:
      'runtime' in PACKAGES[name]
        ? ARCHITECTURES.map((arch) => packageFile(name, outputDir, arch))
        : [packageFile(name, outputDir)],
    reference: `${target.registry}/${name}:${target.version.text}`,
  }));
}

/** The image tarball per architecture of each runtime, as scripts/images/ builds them. */
export type RuntimeTarballs = Record<RuntimeName, { tarballs: Record<Architecture, string> }>;

/** Builds every package for the release into `outputDir`, each runtime package embedding its image. */
export async function buildRelease(
  cli: string,
  target: ReleaseTarget,
  images: RuntimeTarballs,
  outputDir: string,
): Promise<void> {
  for (const name of PACKAGE_NAMES) {
    const spec = PACKAGES[name];
    if (!('runtime' in spec)) {
      await buildPackage(cli, name, outputDir, undefined, target);
      continue;
    }
    for (const arch of ARCHITECTURES) {
      const tarball = images[spec.runtime].tarballs[arch];
      await buildPackage(cli, name, outputDir, { tarball, arch }, target);
    }
  }
}

/** Pushes each package with `crossplane xpkg push`; credentials come from `crossplane xpkg login`. */
export async function pushRelease(cli: string, pushes: readonly Push[]): Promise<void> {
  for (const push of pushes) {
    try {
      await run(cli, ['xpkg', 'push', '--package-files', push.files.join(','), push.reference]);
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new ReleaseError(`cannot push ${push.reference}: ${stderr || (error as Error).message}`, {
        cause: error,
      });
    }
  }
}
