/** Semantic versions (semver.org 2.0.0) as Stackplane's releases and package tags spell them: `v1.2.3`. */

/** A parsed version; `prerelease` holds the dot-separated identifiers after `-`. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  /** The canonical spelling, with the leading `v` Crossplane's package tags use. */
  text: string;
}

// semver.org's grammar: no leading zeros in numbers; build metadata (+...) is refused because an OCI
// tag cannot carry `+`.
const NUMBER = '0|[1-9]\\d*';
const IDENTIFIER = `(?:${NUMBER}|\\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
const SEMVER = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?$`,
);

/** Parses `1.2.3` or `v1.2.3-rc.1`; undefined when it is not a semantic version. */
export function parseVersion(text: string): Version | undefined {
  const match = SEMVER.exec(text);
  if (!match) return undefined;
  const [, major, minor, patch, prerelease] = match;
  const version = { major: Number(major), minor: Number(minor), patch: Number(patch) };
  const identifiers = prerelease ? prerelease.split('.') : [];
  const suffix = identifiers.length > 0 ? `-${identifiers.join('.')}` : '';
  return {
    ...version,
    prerelease: identifiers,
    text: `v${version.major}.${version.minor}.${version.patch}${suffix}`,
  };
}

const isNumeric = (identifier: string) => /^\d+$/.test(identifier);

function compareIdentifiers(a: string, b: string): number {
  if (isNumeric(a) && isNumeric(b)) return Number(a) - Number(b);
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (isNumeric(a) !== isNumeric(b)) return isNumeric(a) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` precedes `b`, positive when it follows, 0 when they are equal (semver.org §11). */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  // A version without a prerelease follows every prerelease of it.
  if (a.prerelease.length === 0 || b.prerelease.length === 0)
    return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const order = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
    if (order !== 0) return order;
  }
  return a.prerelease.length - b.prerelease.length;
}
