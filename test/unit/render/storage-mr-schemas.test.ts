// The hand-written CRDs of the storage managed kinds in test/schemas, which `crossplane beta validate`
// checks rendered StorageTenants against, must say what the zod schemas of apis/provider/storage.ts
// say: the same fields, types, bounds, patterns, defaults and validation rules (descriptions aside).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toOpenApiSchema, type OpenApiSchema } from '../../../apis/openapi.js';
import type { ManagedKind } from '../../../apis/provider/definition.js';
import { StorageCredential, StorageProject, StorageToken } from '../../../apis/provider/storage.js';

interface Crd {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string };
    versions: Array<{
      name: string;
      schema: { openAPIV3Schema: { properties: Record<string, { properties: Record<string, unknown> }> } };
    }>;
  };
}

/** A schema without its descriptions, which the hand-written CRDs leave out. */
function withoutDescriptions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema as OpenApiSchema)
      .filter(([key]) => key !== 'description')
      .map(([key, value]) => [key, withoutDescriptions(value)]),
  );
}

const kinds: Record<string, ManagedKind> = {
  Project: StorageProject,
  Credential: StorageCredential,
  Token: StorageToken,
};

describe('test/schemas CRDs of the storage managed kinds follow apis/provider/storage.ts', () => {
  it.each(Object.entries(kinds))('%s', (_name, kind) => {
    const crd = parse(readFileSync(`test/schemas/${kind.plural}.${kind.group}.yaml`, 'utf8')) as Crd;
    const version = crd.spec.versions[0]!;
    const root = version.schema.openAPIV3Schema.properties;
    expect({
      group: crd.spec.group,
      version: version.name,
      kind: crd.spec.names.kind,
      plural: crd.spec.names.plural,
      scope: crd.spec.scope,
      forProvider: root['spec']?.properties['forProvider'],
      atProvider: root['status']?.properties['atProvider'],
    }).toEqual({
      group: kind.group,
      version: kind.version,
      kind: kind.kind,
      plural: kind.plural,
      scope: 'Namespaced',
      forProvider: withoutDescriptions(toOpenApiSchema(kind.forProvider)),
      atProvider: withoutDescriptions(toOpenApiSchema(kind.atProvider)),
    });
  });
});
