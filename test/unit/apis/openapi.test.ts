import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toOpenApiSchema } from '../../../apis/openapi.js';

describe('toOpenApiSchema', () => {
  it('keeps descriptions, enums, defaults, bounds, required fields and Kubernetes extensions', () => {
    const schema = z
      .object({
        name: z.string().min(1).max(63).describe('The name.'),
        replicas: z.number().int().min(1).max(3).default(1).describe('Copies.'),
        mode: z.enum(['A', 'B']).default('A'),
        pinned: z.literal('x'),
        labels: z.record(z.string(), z.string()).optional(),
        anything: z.record(z.string(), z.unknown()).optional(),
        items: z
          .array(z.object({ key: z.string() }))
          .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['key'] }),
      })
      .meta({ 'x-kubernetes-validations': [{ rule: 'self.name != ""', message: 'name is required' }] });

    expect(toOpenApiSchema(schema)).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 63, description: 'The name.' },
        replicas: { type: 'integer', minimum: 1, maximum: 3, default: 1, description: 'Copies.' },
        mode: { type: 'string', enum: ['A', 'B'], default: 'A' },
        pinned: { type: 'string', enum: ['x'] },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        anything: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        items: {
          type: 'array',
          items: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['key'],
        },
      },
      required: ['name', 'pinned', 'items'],
      'x-kubernetes-validations': [{ rule: 'self.name != ""', message: 'name is required' }],
    });
  });

  it('refuses unions, which structural schemas cannot express', () => {
    const schema = z.object({ port: z.union([z.string(), z.number()]) });
    expect(() => toOpenApiSchema(schema)).toThrow('cannot convert schema at .port: anyOf is not structural');
  });
});
