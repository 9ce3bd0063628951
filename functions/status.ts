/**
 * Drops every empty object from a desired status, recursively (an object left empty by that is
 * dropped too).
 *
 * Crossplane core applies the XR's status with server-side apply. When an applied map loses its
 * last key, the API server's merge (structured-merge-diff's RemoveItems) turns the map into
 * `null`, which a non-nullable schema refuses: `status.userIDs: Invalid value: "null"`, and the
 * whole status stops updating. A field left out of the apply is removed instead, which every
 * optional status field accepts; readers treat a missing map as an empty one. Lists are kept as
 * they are: CRD lists are atomic, so an applied `[]` stays `[]`.
 */
export function withoutEmptyObjects(status: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) {
    if (!isPlainObject(value)) {
      if (value !== undefined) out[key] = value;
      continue;
    }
    const compacted = withoutEmptyObjects(value);
    if (Object.keys(compacted).length > 0) out[key] = compacted;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
