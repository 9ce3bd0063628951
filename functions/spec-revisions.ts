// The composite's spec parsed by its kind's zod schema, remembered per revision of the composite.
//
// Kubernetes gives every write of an object a new resourceVersion, so in a steady state Crossplane
// sends the same revision of a composite on every reconcile, and parsing its spec again was the step's
// largest cost: a StorageTenant of a hundred StorageClasses made about 120 KB of garbage in zod per
// request. The uid and resourceVersion find the revision parsed before; the spec is then compared
// with the one parsed, value by value (no allocation, a fraction of a parse), so that a caller that
// sends another spec under the same revision (a test, a hand-made request) still gets it parsed. A
// composite without both fields is parsed every time. What is remembered is bounded by count and by
// the specs' size, oldest forgotten first: a tenant can make its spec large and write it often.
import type { z } from 'zod';
import type { KubeObject } from './types.js';

/** Revisions remembered in all: more composites than one function serves in a reconcile burst. */
export const MAX_REVISIONS = 4096;
/**
 * What the remembered specs may add up to, as {@link specBytes} counts them: a spec is kept twice
 * (as sent and as parsed), so this is about half the heap the memory takes. A count alone let 600
 * revisions of a 1 MiB spec take the heap to 1 GiB.
 */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/** A revision's spec as the request had it, and as its schema parsed it. */
interface Parsed {
  schema: z.ZodType;
  spec: unknown;
  data: unknown;
  bytes: number;
}

/** By `uid/resourceVersion`, oldest first (a Map iterates in insertion order). */
const revisions = new Map<string, Parsed>();
let rememberedBytes = 0;

/** The bytes the remembered specs add up to, for tests. */
export function rememberedSpecBytes(): number {
  return rememberedBytes;
}

/**
 * `schema.safeParse` of the composite's spec, or the data of an earlier success for the same uid,
 * resourceVersion, schema and spec. Remembered data is frozen, deeply: every later request shares
 * it, so a step that changed it would change the next request's spec (and throws instead).
 */
export function parseSpec<S extends z.ZodType>(
  schema: S,
  composite: KubeObject,
): z.ZodSafeParseResult<z.output<S>> {
  const spec = composite['spec'] ?? {};
  const revision = revisionOf(composite);
  if (revision === undefined) return schema.safeParse(spec);
  const known = revisions.get(revision);
  if (known !== undefined && known.schema === schema && sameJson(known.spec, spec))
    return { success: true, data: known.data as z.output<S> };
  const result = schema.safeParse(spec);
  if (result.success) {
    forget(revision);
    const bytes = specBytes(spec);
    if (bytes <= MAX_SPEC_BYTES) {
      while (revisions.size >= MAX_REVISIONS || rememberedBytes + bytes > MAX_SPEC_BYTES)
        forget(revisions.keys().next().value!);
      // A copy of the spec: the request's own may change after this (it is the caller's).
      revisions.set(revision, { schema, spec: structuredClone(spec), data: deepFreeze(result.data), bytes });
      rememberedBytes += bytes;
    }
  }
  return result;
}

function forget(revision: string): void {
  const parsed = revisions.get(revision);
  if (parsed === undefined) return;
  revisions.delete(revision);
  rememberedBytes -= parsed.bytes;
}

/**
 * About the size of a decoded JSON value in protobuf's Struct encoding: its strings' and keys'
 * lengths, eight bytes a number and a few for every field's framing. Counted without allocating.
 */
export function specBytes(value: unknown): number {
  if (typeof value === 'string') return value.length + 3;
  if (typeof value !== 'object' || value === null) return 9;
  let bytes = 3;
  if (Array.isArray(value)) for (const item of value) bytes += specBytes(item);
  else
    for (const key in value as Record<string, unknown>)
      bytes += key.length + 4 + specBytes((value as Record<string, unknown>)[key]);
  return bytes;
}

function revisionOf(composite: KubeObject): string | undefined {
  const metadata = composite['metadata'] as { uid?: unknown; resourceVersion?: unknown } | undefined;
  const uid = metadata?.uid;
  const resourceVersion = metadata?.resourceVersion;
  if (typeof uid !== 'string' || uid === '' || typeof resourceVersion !== 'string' || resourceVersion === '')
    return undefined;
  return `${uid}/${resourceVersion}`;
}

/** Whether two decoded JSON values are equal (NaN never is: such a spec is parsed again). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let keys = 0;
  for (const key in left) {
    if (!Object.hasOwn(right, key) || !sameJson(left[key], right[key])) return false;
    keys++;
  }
  for (const _key in right) if (--keys < 0) return false;
  return keys === 0;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
