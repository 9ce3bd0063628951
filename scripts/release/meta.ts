/**
 * A package's crossplane.yaml as a release ships it: the dependencies on Stackplane's own packages
 * name the registry the release is pushed to and admit only this release's version and its later
 * ones up to the next major, so a Configuration installed from that registry pulls its Function
 * and Provider from there, never an older one from ghcr.io.
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import type { Version } from './semver.js';

/** Where and as what a release is pushed. */
export interface ReleaseTarget {
  /** `<host>[/<path>]`, e.g. `ghcr.io/stackplane`. */
  registry: string;
  version: Version;
}

/** Where the packages' metadata points at Stackplane's own packages. */
export const SOURCE_REGISTRY = 'ghcr.io/stackplane';

/** The constraint a release's dependencies carry: `>=v0.2.0 <v1.0.0`. */
export const dependencyRange = (version: Version): string => `>=${version.text} <v${version.major + 1}.0.0`;

/**
 * Rewrites the `spec.dependsOn` entries naming one of `ownPackages` under SOURCE_REGISTRY; keeps
 * every other line and comment as written.
 */
export function releaseMeta(text: string, target: ReleaseTarget, ownPackages: readonly string[]): string {
  const document = parseDocument(text);
  const dependsOn = document.getIn(['spec', 'dependsOn']);
  if (!isSeq(dependsOn)) return text;
  for (const item of dependsOn.items) {
    if (!isMap(item)) continue;
    const reference = String(item.get('package'));
    const name = reference.startsWith(`${SOURCE_REGISTRY}/`)
      ? reference.slice(SOURCE_REGISTRY.length + 1)
      : '';
    if (!ownPackages.includes(name)) continue;
    item.set('package', `${target.registry}/${name}`);
    item.set('version', dependencyRange(target.version));
  }
  return document.toString();
}
