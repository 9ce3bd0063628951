/**
 * Comparing and diffing JSON values the way the API server sees them: object key order carries no
 * meaning (it returns maps with sorted keys), array order does.
 */

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether a and b are the same JSON value, ignoring object key order and undefined members. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]))
    );
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => jsonEqual(a[key], b[key]));
  }
  return a === b;
}

/**
 * The RFC 7386 JSON merge patch that turns from into to, or undefined when they are equal. Members of
 * from that to lacks become null, so a merge patch can remove them (a plain merge of to never would).
 */
export function mergePatchBetween(from: JsonObject, to: JsonObject): JsonObject | undefined {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) {
    if (from[key] !== undefined && to[key] === undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    const before = from[key];
    if (isObject(before) && isObject(value)) {
      const nested = mergePatchBetween(before, value);
      if (nested !== undefined) patch[key] = nested;
    } else if (!jsonEqual(before, value)) {
      patch[key] = value;
    }
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}
