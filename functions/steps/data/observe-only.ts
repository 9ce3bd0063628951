import { asObserved } from '../../observed.js';
import type { DesiredResource, KubeObject, Requirement, StepResult } from '../../types.js';
import type { Composed, Refused } from './composer.js';

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

/** skipCreate in the cluster: what to ask for first, or what was composed and what to warn about. */
export type ObservedComposition =
  { needs: Record<string, Requirement> } | Refused | { composed: Composed; results: StepResult[] };

/**
 * Composes an in-cluster data service with skipCreate: reads the objects the composer would compose
 * by their names, composes again from them (so the connection carries the existing password), and
 * keeps only what `observeOnly` allows. A missing object is named in a warning, never created.
 */
export function composeObservingOnly(options: {
  compose: (seen: Readonly<Record<string, KubeObject>>) => Composed | Refused;
  first: Composed;
  observed: Readonly<Record<string, KubeObject>>;
  required: Readonly<Record<string, KubeObject[]>>;
  /** The composite as `<Kind> <namespace>/<name>`, and its namespace, for the warning. */
  what: string;
  namespace: string;
}): ObservedComposition {
  const { first, observed, required } = options;
  const existing = existingRequirements(first.resources);
  if (Object.keys(existing).some((name) => required[name] === undefined)) return { needs: existing };
  const again = options.compose({ ...observed, ...existingObjects(first.resources, observed, required) });
  if ('refused' in again) return again;
  const kept = observeOnly(again.resources, observed, required);
  const many = kept.missing.length > 1;
  return {
    composed: {
      ...again,
      resources: kept.resources,
      requirements: { ...again.requirements, ...existing },
      connection: kept.missing.length > 0 ? undefined : again.connection,
    },
    results:
      kept.missing.length > 0
        ? [
            {
              severity: 'Warning',
              reason: 'ObservedOnly',
              message: `spec.skipCreate: ${options.what} only observes; ${kept.missing.join(', ')} ${many ? 'do' : 'does'} not exist in namespace ${options.namespace} and ${many ? 'are' : 'is'} not created`,
            },
          ]
        : [],
  };
}
