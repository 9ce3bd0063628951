// Bounds the API server enforces on every XRD's spec, so that no field a tenant writes is unbounded:
// a composite's spec reaches the function in every request, is parsed and remembered per revision, and
// a 1 MiB free-text field written 600 times took the function's heap to 1 GiB. Fields that declare
// their own bound in zod keep it; these are the defaults for the rest, generous for what each holds.
import type { OpenApiSchema } from './openapi.js';

/** Free text: configuration blobs (an ini file, a policy.yaml, a PEM bundle) are the largest. */
export const MAX_TEXT_LENGTH = 256 * 1024;
/** A field named `name` or `…Name` names a Kubernetes object: a DNS subdomain, at most 253 characters. */
export const MAX_NAME_LENGTH = 253;
/** A namespace's name is a DNS label. */
export const MAX_NAMESPACE_LENGTH = 63;
/** Maps (labels, annotations, node selectors, config files): more entries than any of them needs. */
export const MAX_MAP_ENTRIES = 64;

function defaultMaxLength(property: string): number {
  if (property === 'namespace') return MAX_NAMESPACE_LENGTH;
  if (property === 'name' || property.endsWith('Name')) return MAX_NAME_LENGTH;
  return MAX_TEXT_LENGTH;
}

/**
 * `schema` with a `maxLength` on every string and a `maxProperties` on every map that has none.
 * Strings limited to an enum need none. Kubernetes estimates the cost of CEL rules from these
 * bounds, so adding them only lowers the estimates.
 */
export function withBounds(schema: OpenApiSchema, property = ''): OpenApiSchema {
  const out: OpenApiSchema = { ...schema };
  if (out['type'] === 'string' && out['maxLength'] === undefined && out['enum'] === undefined)
    out['maxLength'] = defaultMaxLength(property);
  const isMap =
    out['additionalProperties'] !== undefined || out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out['type'] === 'object' && isMap && out['maxProperties'] === undefined)
    out['maxProperties'] = MAX_MAP_ENTRIES;
  const properties = out['properties'] as Record<string, OpenApiSchema> | undefined;
  if (properties)
    out['properties'] = Object.fromEntries(
      Object.entries(properties).map(([name, child]) => [name, withBounds(child, name)]),
    );
  if (out['items']) out['items'] = withBounds(out['items'] as OpenApiSchema, property);
  if (typeof out['additionalProperties'] === 'object')
    out['additionalProperties'] = withBounds(out['additionalProperties'] as OpenApiSchema);
  return out;
}
