// The composite's spec parsed by its kind's zod schema, remembered per revision of the composite.
//
// Kubernetes gives every write of an object a new resourceVersion, so in a steady state Crossplane
// sends the same revision of a composite on every reconcile, and parsing its spec again was the step's
// largest cost: a StorageTenant of a hundred StorageClasses made about 120 KB of garbage in zod per
// request. The uid and resourceVersion find the revision parsed before; the spec is then compared
// with the one parsed, value by value (no allocation, a fraction of a parse), so that a caller that
// sends another spec under the same revision (a test, a hand-made request) still gets it parsed. A
// composite without both fields is parsed every time.
import type { z } from 'zod';
import type { KubeObject } from './types.js';

/** Revisions remembered per schema: more composites than one function serves in a reconcile burst. */
const MAX_REVISIONS = 512;

/** A revision's spec as the request had it, and as the schema parsed it. */
interface Parsed {
  spec: unknown;
  data: unknown;
}

const revisions = new WeakMap<z.ZodType, Map<string, Parsed>>();

/**
 * `schema.safeParse` of the composite's spec, or the data of an earlier success for the same uid,
 * resourceVersion and spec. Remembered data is frozen, deeply: every later request shares it, so a
 * step that changed it would change the next request's spec (and throws instead).
 */
export function parseSpec<S extends z.ZodType>(
  schema: S,
  composite: KubeObject,
): z.ZodSafeParseResult<z.output<S>> {
  const spec = composite['spec'] ?? {};
  const revision = revisionOf(composite);
  if (revision === undefined) return schema.safeParse(spec);
  let parsed = revisions.get(schema);
  if (parsed === undefined) revisions.set(schema, (parsed = new Map()));
  const known = parsed.get(revision);
  if (known !== undefined && sameJson(known.spec, spec))
    return { success: true, data: known.data as z.output<S> };
  const result = schema.safeParse(spec);
  if (result.success) {
    parsed.delete(revision);
    // Oldest first out: a Map iterates in insertion order.
    if (parsed.size >= MAX_REVISIONS) parsed.delete(parsed.keys().next().value!);
    // A copy of the spec: the request's own may change after this (it is the caller's).
    parsed.set(revision, { spec: structuredClone(spec), data: deepFreeze(result.data) });
  }
  return result;
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
