/**
 * The platform objects Stackplane's migrations write beside the XRs, and the check of an XR's spec
 * against the same zod schema its XRD is generated from, so a refused field is named before anything
 * is applied.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { KubeObject } from '../plan.js';

/** EnvironmentConfig `stackplane-reseller`: the operator's controller id and its naming. */
export function environmentConfig(controllerID: string): KubeObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1beta1',
    kind: 'EnvironmentConfig',
    metadata: { name: 'stackplane-reseller' },
    data: { controllerID, naming: 'original' },
  };
}

/** The longest name of a cluster-scoped object. */
const MAX_NAME = 253;

/**
 * The AdoptionGrant that lets `namespace` adopt one existing object. Its name `<namespace>.<kind>.<name>`
 * is unique per original: a namespace has no dot, so no other triple gives it. A longer one keeps a
 * readable prefix and a hash of the whole.
 */
export function adoptionGrant(
  namespace: string,
  kind: 'Project' | 'User',
  name: string,
  externalName: string,
): KubeObject {
  return {
    apiVersion: 'm.stackplane.io/v1alpha1',
    kind: 'AdoptionGrant',
    metadata: { name: grantName(`${namespace}.${kind.toLowerCase()}.${name}`) },
    spec: { namespace, kind, externalName },
  };
}

function grantName(full: string): string {
  if (full.length <= MAX_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 16);
  return `${full.slice(0, MAX_NAME - hash.length - 1).replace(/[.-]+$/, '')}-${hash}`;
}

/** What the schema refuses in `spec`, as `spec.<path>: <message>`. */
export function specIssues(schema: z.ZodType, spec: unknown): string[] {
  const result = schema.safeParse(spec);
  if (result.success) return [];
  return result.error.issues.map(
    (issue) =>
      `spec${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
  );
}
