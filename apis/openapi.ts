import { z } from 'zod';

/** A JSON object in the shape of a Kubernetes structural OpenAPI v3 schema. */
export type OpenApiSchema = { [key: string]: unknown };

/** Keys zod emits that have no place in a Kubernetes structural schema. */
const DROPPED_KEYS = new Set(['$schema', 'id', '$id']);

/**
 * Converts a zod schema into the structural OpenAPI v3 schema that CRDs and XRDs embed.
 *
 * The input side of the schema is used (`io: 'input'`): fields with defaults are optional for the
 * user, and the API server writes the default, exactly as the function's zod parse does.
 * Kubernetes-only keywords (`x-kubernetes-validations`, list types, ...) are attached to the zod
 * schema with `.meta()` and pass through unchanged.
 */
export function toOpenApiSchema(schema: z.ZodType): OpenApiSchema {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'throw' });
  return structural(json as OpenApiSchema, '');
}

function structural(node: OpenApiSchema, path: string): OpenApiSchema {
  const out: OpenApiSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYS.has(key)) continue;
    if (key === '$ref' || key === 'anyOf' || key === 'oneOf') {
      // Structural schemas forbid references and untyped unions: keep the API free of them.
      throw new Error(`cannot convert schema at ${path || '<root>'}: ${key} is not structural`);
    }
    if (key === 'const') {
      out['enum'] = [value];
      continue;
    }
    if (key === 'properties') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, OpenApiSchema>).map(([name, child]) => [
          name,
          structural(child, `${path}.${name}`),
        ]),
      );
      continue;
    }
    if (key === 'items') {
      out[key] = structural(value as OpenApiSchema, `${path}[]`);
      continue;
    }
    if (key === 'additionalProperties') {
      if (value === false) continue;
      const child = value as OpenApiSchema;
      // An untyped map (z.record(z.string(), z.unknown())) keeps whatever the user writes.
      if (Object.keys(child).length === 0) {
        out['x-kubernetes-preserve-unknown-fields'] = true;
        continue;
      }
      out[key] = structural(child, `${path}{}`);
      continue;
    }
    out[key] = value;
  }
  return out;
}
