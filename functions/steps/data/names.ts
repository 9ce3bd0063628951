import { stableHash, uniqueName, type NameLimits, type NameParts } from '../../naming/unique-name.js';

/**
 * What each external system accepts as a name (DESIGN §3). RDS and ElastiCache identifiers start with
 * a letter, hold letters, digits and single hyphens and do not end with a hyphen; AWS stores them in
 * lowercase. S3 bucket names are lowercase DNS labels (dots are left out: they break virtual-host TLS).
 */
export const NAME_LIMITS = {
  rds: {
    maxLength: 63,
    lowercase: true,
    invalid: /[^a-z0-9-]/g,
    collapseHyphens: true,
    startWithLetter: true,
  },
  elasticache: {
    maxLength: 40,
    lowercase: true,
    invalid: /[^a-z0-9-]/g,
    collapseHyphens: true,
    startWithLetter: true,
  },
  s3: { maxLength: 63, lowercase: true, invalid: /[^a-z0-9-]/g, collapseHyphens: true },
  iam: { maxLength: 64, lowercase: false, invalid: /[^\w+=,.@-]/g },
} as const satisfies Record<string, NameLimits>;

export type ExternalSystem = keyof typeof NAME_LIMITS;

/**
 * The external name of a data service in a system: the one recorded in status when there is one
 * (names are sticky), else `<controller-id>-<namespace>-<name>` within the system's limits.
 */
export function externalName(system: ExternalSystem, parts: NameParts, recorded?: string): string {
  return recorded ?? uniqueName(parts, NAME_LIMITS[system]);
}

/**
 * Longest name of an object composed in the user's namespace: a StatefulSet's pods add "-<ordinal>"
 * and a controller-revision-hash label of at most 63 characters derives from it, so 52 leaves room.
 */
const LOCAL_NAME_MAX = 52;

/** The name of an object composed next to the composite: `<name>-<suffix>`, hashed when too long. */
export function localName(xrName: string, suffix: string): string {
  const plain = `${xrName}-${suffix}`;
  if (plain.length <= LOCAL_NAME_MAX) return plain;
  const hash = stableHash(plain);
  const room = LOCAL_NAME_MAX - hash.length - suffix.length - 2;
  return `${xrName.slice(0, room).replace(/[-.]+$/, '')}-${hash}-${suffix}`;
}
