import { createHash } from 'node:crypto';

/** What an external system accepts as a name. */
export interface NameLimits {
  /** Longest name the system accepts. */
  maxLength: number;
  /** Lowercase everything (S3, DNS-style systems). */
  lowercase: boolean;
  /** Matches each character the system does not accept; each is replaced by "-". */
  invalid: RegExp;
  /** The system refuses "--" (RDS, ElastiCache): runs of hyphens become one. */
  collapseHyphens?: boolean;
  /** Names must start with a letter (RDS, ElastiCache): one that would not gets an "x" in front. */
  startWithLetter?: boolean;
}

/** The pieces of a unique external name: `<controller-id>-<namespace>-<name>`. */
export interface NameParts {
  controllerId: string;
  namespace: string;
  name: string;
}

/** Length of the hash suffix: 10 base-32 characters, 50 bits. */
const HASH_LENGTH = 10;

/** How names are formed. */
export interface NameOptions {
  /**
   * Reproduce the original operator's plain names, even where they are ambiguous (a namespace with
   * "-"), for clusters migrating from it: their external objects keep their names. A name that does
   * not fit the system's rules is still shortened with a hash, as the system would refuse it.
   */
  original?: boolean;
}

/**
 * The external name for a namespaced object, unique across every cluster and namespace that shares
 * the external system (DESIGN §3): an injective function of (controller id, namespace, name). The
 * plain `<controller-id>-<namespace>-<name>` is used whenever it is unambiguous and fits the system's
 * rules; otherwise a readable prefix of it is kept and a stable hash of the exact parts appended.
 *
 * The plain form is ambiguous when the namespace contains "-" (`a-b`/`c` and `a`/`b-c` would meet),
 * when the controller id does, when a character had to be replaced or a letter put in front (a
 * controller id starting with a digit, for systems whose names start with a letter), or when it ends
 * like a hashed name (`-` and 10 hash characters: `team`/`a-web-<hash>` must not meet the hashed
 * name of `team-a`/`web`): those get the hash too.
 */
export function uniqueName(parts: NameParts, limits: NameLimits, options: NameOptions = {}): string {
  return uniqueJoin([parts.controllerId, parts.namespace, parts.name], limits, options);
}

/**
 * Joins segments with "-" into a name that fits `limits`, injectively for a fixed number of segments.
 * The plain join is kept when it is unambiguous (no segment but the one at `free`, by default the
 * last, contains "-"; with `original` always), no character had to change and it does not end like a
 * hashed name; otherwise a readable prefix of it and a stable hash of the exact segments. So a plain
 * name splits back into its segments, and a hashed one can never be another input's plain name.
 */
export function uniqueJoin(
  segments: readonly string[],
  limits: NameLimits,
  options: NameOptions & {
    free?: number;
    /**
     * The last segment is one of the platform's names (a region), which no tenant can make look
     * like a hash: a plain name ending like one is kept, so names derived before stay as they were.
     */
    platformLast?: boolean;
  } = {},
): string {
  const plain = segments.join('-');
  const normalized = normalize(plain, limits);
  const free = options.free ?? segments.length - 1;
  const ambiguous =
    segments.some((segment, index) => index !== free && segment.includes('-')) ||
    (!options.platformLast && HASHED_ENDING.test(plain));
  if ((options.original || !ambiguous) && normalized === plain && plain.length <= limits.maxLength) {
    return plain;
  }

  const suffix = stableHash(hashInput(segments));
  const room = limits.maxLength - suffix.length - 1;
  if (room < 1) throw new Error(`cannot fit a unique name into ${limits.maxLength} characters`);
  const prefix = normalized.slice(0, room).replace(/-+$/, '');
  return prefix ? `${prefix}-${suffix}` : suffix;
}

/** How every hashed name ends: "-" and a stable hash (a hash alone has no "-" and no plain join is one). */
const HASHED_ENDING = new RegExp(`-[a-z2-7]{${HASH_LENGTH}}$`);

/**
 * What the hash is taken of: the segments joined with "/", which Kubernetes names and controller ids
 * never contain (the names hashed so far keep their hash); a segment with "/" or NUL switches to a
 * NUL-led JSON array, which no "/"-join of NUL-free segments starts with. Either way one string per
 * list of segments.
 */
function hashInput(segments: readonly string[]): string {
  return segments.some((segment) => /[/\0]/.test(segment))
    ? `\0${JSON.stringify(segments)}`
    : segments.join('/');
}

function normalize(value: string, limits: NameLimits): string {
  const cased = limits.lowercase ? value.toLowerCase() : value;
  const replaced = cased.replace(limits.invalid, '-');
  const collapsed = limits.collapseHyphens ? replaced.replace(/-{2,}/g, '-') : replaced;
  return limits.startWithLetter && !/^[a-z]/i.test(collapsed) ? `x${collapsed}` : collapsed;
}

/** A short, stable, lowercase hash (base 32, letters first so it also starts names safely). */
export function stableHash(value: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const digest = createHash('sha256').update(value).digest();
  let out = '';
  for (let i = 0; out.length < HASH_LENGTH; i++) out += alphabet[digest[i]! % 32];
  return out;
}
