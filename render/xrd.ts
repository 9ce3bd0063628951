/**
 * Checks a composite resource against its CompositeResourceDefinition before render runs the
 * pipeline, as `crossplane beta validate` (and the API server's strict field validation) would: a
 * typo in a field is named as the unknown field it is, not as the required field it leaves unset.
 */
import { createRequire } from 'node:module';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import type { KubeObject } from '../functions/types.js';
import { readManifests } from './manifests.js';

// ajv-formats is CommonJS with a default export its types do not describe for NodeNext.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv;

/** The JSON schema subset structural schemas use. */
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** What render needs of an XRD: the kind it defines and the schema of each version. */
export interface Xrd {
  name: string;
  group: string;
  kind: string;
  versions: Record<string, Schema>;
}

/** The composite resource does not match its XRD. */
export class XrValidationError extends Error {
  override name = 'XrValidationError';
}

/** Reads the XRDs of a file or of every YAML file in a directory. */
export async function loadXrds(path: string, isDirectory: boolean): Promise<Xrd[]> {
  const files = isDirectory
    ? (await readdir(path))
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => join(path, name))
    : [path];
  const out: Xrd[] = [];
  for (const file of files) {
    for (const object of await readManifests(file)) {
      if (object['kind'] === 'CompositeResourceDefinition') out.push(xrdOf(object));
    }
  }
  return out;
}

function xrdOf(object: KubeObject): Xrd {
  const spec = (object['spec'] ?? {}) as {
    group?: string;
    names?: { kind?: string };
    versions?: Array<{ name: string; schema?: { openAPIV3Schema?: Schema } }>;
  };
  const metadata = (object['metadata'] ?? {}) as { name?: string };
  return {
    name: metadata.name ?? '',
    group: spec.group ?? '',
    kind: spec.names?.kind ?? '',
    versions: Object.fromEntries((spec.versions ?? []).map((v) => [v.name, v.schema?.openAPIV3Schema ?? {}])),
  };
}

const apiVersionOf = (xrd: Xrd, version: string) => `${xrd.group}/${version}`;

/** The XRD that defines xr's kind and apiVersion; an error listing the kinds there are when none does. */
export function xrdFor(xr: KubeObject, xrds: readonly Xrd[]): { xrd: Xrd; schema: Schema } {
  const apiVersion = String(xr['apiVersion']);
  const kind = String(xr['kind']);
  for (const xrd of xrds) {
    for (const [version, schema] of Object.entries(xrd.versions)) {
      if (xrd.kind === kind && apiVersionOf(xrd, version) === apiVersion) return { xrd, schema };
    }
  }
  const known = xrds
    .flatMap((xrd) => Object.keys(xrd.versions).map((v) => `${xrd.kind} (${apiVersionOf(xrd, v)})`))
    .sort();
  throw new XrValidationError(
    `cannot render ${kind} (${apiVersion}): no XRD defines it; the kinds are ${known.join(', ')}`,
  );
}

/** The fields of value that schema does not declare, as `spec.tierr: unknown field`. */
export function unknownFields(value: unknown, schema: Schema, path: string): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(value)) {
    return schema.items
      ? value.flatMap((item, i) => unknownFields(item, schema.items!, `${path}[${i}]`))
      : [];
  }
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const declared = schema.properties?.[key];
    const additional = schema.additionalProperties;
    if (declared) out.push(...unknownFields(child, declared, `${path}.${key}`));
    else if (typeof additional === 'object') out.push(...unknownFields(child, additional, `${path}.${key}`));
    else if (additional !== true) out.push(`${path}.${key}: unknown field`);
  }
  return out;
}

function problemOf(error: ErrorObject): string {
  const path = `spec${error.instancePath.replaceAll('/', '.')}`;
  if (error.keyword === 'required') return `${path}.${String(error.params['missingProperty'])}: is required`;
  return `${path}: ${error.message ?? error.keyword}`;
}

/**
 * Checks the spec of xr (less spec.crossplane, which Crossplane adds to every XR) against the
 * schema of its XRD; throws XrValidationError naming every problem, unknown fields first.
 */
export function validateXr(xr: KubeObject, xrds: readonly Xrd[]): void {
  const { xrd, schema } = xrdFor(xr, xrds);
  const specSchema = schema.properties?.['spec'] ?? {};
  const { crossplane: _, ...spec } = (xr['spec'] ?? {}) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(specSchema);
  const valid = validate(structuredClone(spec));
  const problems = [
    ...unknownFields(spec, specSchema, 'spec'),
    ...(valid ? [] : (validate.errors ?? []).map(problemOf)),
  ];
  if (problems.length === 0) return;
  const name = (xr['metadata'] as { name?: string } | undefined)?.name ?? '<unnamed>';
  throw new XrValidationError(
    `${String(xr['kind'])} "${name}" does not match the XRD ${xrd.name}: ${[...new Set(problems)].join('; ')}`,
  );
}
