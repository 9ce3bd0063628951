// The composite's spec parsed by its kind's zod schema, remembered per revision of the composite.
//
// Kubernetes gives every write of an object a new resourceVersion, so a uid and resourceVersion seen
// before name the same spec. In a steady state Crossplane sends the same revision on every reconcile,
// and parsing it again was the step's largest cost: a StorageTenant of a hundred StorageClasses made
// about 120 KB of garbage in zod per request. A composite without both (a file given to
// `crossplane render`, a hand-made request) is parsed every time.
import type { z } from 'zod';
import type { KubeObject } from './types.js';

/** Revisions remembered per schema: more composites than one function serves in a reconcile burst. */
const MAX_REVISIONS = 1024;

const revisions = new WeakMap<z.ZodType, Map<string, unknown>>();

/**
 * `schema.safeParse` of the composite's spec, or the data of an earlier success for the same uid and
 * resourceVersion. Remembered data is frozen, deeply: every later request shares it, so a step that
 * changed it would change the next request's spec (and throws instead).
 */
export function parseSpec<S extends z.ZodType>(
  schema: S,
  composite: KubeObject,
): z.ZodSafeParseResult<z.output<S>> {
  const revision = revisionOf(composite);
  if (revision === undefined) return schema.safeParse(composite['spec'] ?? {});
  let parsed = revisions.get(schema);
  if (parsed === undefined) revisions.set(schema, (parsed = new Map()));
  if (parsed.has(revision)) return { success: true, data: parsed.get(revision) as z.output<S> };
  const result = schema.safeParse(composite['spec'] ?? {});
  if (result.success) {
    // Oldest first out: a Map iterates in insertion order.
    if (parsed.size >= MAX_REVISIONS) parsed.delete(parsed.keys().next().value!);
    parsed.set(revision, deepFreeze(result.data));
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

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
