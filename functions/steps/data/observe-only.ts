import { asObserved } from '../../observed.js';
import type { DesiredResource, KubeObject, Requirement } from '../../types.js';

/** Requirement name under which an in-cluster object is read when skipCreate only observes it. */
export const existingRequirement = (resource: string): string => `existing-${resource}`;

/**
 * What skipCreate reads of the objects an in-cluster composer would compose: each by its kind and
 * name in the composite's namespace.
 */
export function existingRequirements(
  resources: Record<string, DesiredResource>,
): Record<string, Requirement> {
  return Object.fromEntries(
    Object.entries(resources).map(([name, { resource }]) => {
      const meta = resource['metadata'] as { name: string; namespace?: string };
      const requirement: Requirement = {
        apiVersion: String(resource['apiVersion']),
        kind: String(resource['kind']),
        matchName: meta.name,
        ...(meta.namespace ? { namespace: meta.namespace } : {}),
      };
      return [existingRequirement(name), requirement];
    }),
  );
}

/**
 * The objects that exist, by composition resource name: those this composite composed before
 * (observed), else those found by name (made before Stackplane, or by an earlier composite).
 */
export function existingObjects(
  resources: Record<string, DesiredResource>,
  observed: Readonly<Record<string, KubeObject>>,
  required: Readonly<Record<string, KubeObject[]>>,
): Record<string, KubeObject> {
  const out: Record<string, KubeObject> = {};
  for (const name of Object.keys(resources)) {
    const found = observed[name] ?? required[existingRequirement(name)]?.[0];
    if (found) out[name] = found;
  }
  return out;
}

/**
 * skipCreate for in-cluster objects, as the original operator honoured it: nothing is created or
 * changed. An object this composite composed before stays composed exactly as observed (leaving it
 * out would make Crossplane delete it); an object found by name is only read, so it is neither
 * updated nor deleted with the composite; a missing one is not created. Readiness stays the
 * composer's, judged on the existing objects.
 */
export function observeOnly(
  resources: Record<string, DesiredResource>,
  observed: Readonly<Record<string, KubeObject>>,
  required: Readonly<Record<string, KubeObject[]>>,
): { resources: Record<string, DesiredResource>; missing: string[] } {
  const kept: Record<string, DesiredResource> = {};
  const missing: string[] = [];
  for (const [name, desired] of Object.entries(resources)) {
    const composedBefore = observed[name];
    if (composedBefore) {
      kept[name] = { ...desired, resource: asObserved(composedBefore) };
    } else if (!required[existingRequirement(name)]?.[0]) {
      const meta = desired.resource['metadata'] as { name: string };
      missing.push(`${String(desired.resource['kind'])} ${meta.name}`);
    }
  }
  return { resources: kept, missing };
}
