import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withBounds } from '../../../apis/bounds.js';
import { generatedFiles, XRD_DIR } from '../../../apis/generate.js';
import type { OpenApiSchema } from '../../../apis/openapi.js';

describe('withBounds', () => {
  it.each([
    {
      reason: 'free text gets the text bound, names and namespaces theirs',
      schema: {
        type: 'object',
        properties: {
          customServiceConfig: { type: 'string' },
          secretName: { type: 'string' },
          ref: { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' } } },
        },
      },
      want: {
        type: 'object',
        properties: {
          customServiceConfig: { type: 'string', maxLength: 262144 },
          secretName: { type: 'string', maxLength: 253 },
          ref: {
            type: 'object',
            properties: {
              name: { type: 'string', maxLength: 253 },
              namespace: { type: 'string', maxLength: 63 },
            },
          },
        },
      },
    },
    {
      reason: 'a bound of its own and an enum are kept as they are',
      schema: { type: 'array', items: { type: 'string', maxLength: 8 }, enum: undefined },
      want: { type: 'array', items: { type: 'string', maxLength: 8 }, enum: undefined },
    },
    {
      reason: 'maps, typed or not, get at most 64 entries, and their values a bound',
      schema: {
        type: 'object',
        properties: {
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          tier: { type: 'string', enum: ['a', 'b'] },
        },
      },
      want: {
        type: 'object',
        properties: {
          labels: {
            type: 'object',
            additionalProperties: { type: 'string', maxLength: 262144 },
            maxProperties: 64,
          },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, maxProperties: 64 },
          tier: { type: 'string', enum: ['a', 'b'] },
        },
      },
    },
  ])('$reason', ({ schema, want }) => {
    expect(withBounds(schema as OpenApiSchema)).toEqual(want);
  });
});

/** Every string and map in `schema` with the path to it, and whether it is bounded. */
function unbounded(schema: OpenApiSchema, path: string): string[] {
  const found: string[] = [];
  if (schema['type'] === 'string' && schema['maxLength'] === undefined && schema['enum'] === undefined)
    found.push(path);
  const isMap =
    schema['additionalProperties'] !== undefined || schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema['type'] === 'object' && isMap && schema['maxProperties'] === undefined) found.push(path);
  for (const [name, child] of Object.entries((schema['properties'] ?? {}) as Record<string, OpenApiSchema>))
    found.push(...unbounded(child, `${path}.${name}`));
  if (schema['items']) found.push(...unbounded(schema['items'] as OpenApiSchema, `${path}[]`));
  if (typeof schema['additionalProperties'] === 'object')
    found.push(...unbounded(schema['additionalProperties'] as OpenApiSchema, `${path}{}`));
  return found;
}

describe('every XRD', () => {
  const xrds = [...generatedFiles()].filter(([path]) => path.startsWith(XRD_DIR));

  it.each(xrds.map(([path, content]) => [path, content]))(
    '%s bounds every string and map of its spec',
    (_path, content) => {
      const xrd = parse(content);
      const spec = xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec as OpenApiSchema;
      expect(unbounded(spec, 'spec')).toEqual([]);
    },
  );
});
