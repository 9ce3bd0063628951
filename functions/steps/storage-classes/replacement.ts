import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../types.js';

/** StorageClass fields the API server refuses to change after creation. */
const IMMUTABLE_FIELDS = ['provisioner', 'reclaimPolicy', 'volumeBindingMode', 'parameters'] as const;

/**
 * The immutable fields of a StorageClass whose desired value differs from the observed one, each as
 * `field: old → new` (parameters key by key). Empty when the class can be updated in place.
 */
export function immutableChanges(observed: KubeObject, desired: KubeObject): string[] {
  const changes: string[] = [];
  for (const field of IMMUTABLE_FIELDS) {
    const before = observed[field];
    const after = desired[field];
    if (isDeepStrictEqual(before, after)) continue;
    if (field === 'parameters') changes.push(...parameterChanges(asStrings(before), asStrings(after)));
    else changes.push(`${field}: ${show(before)} → ${show(after)}`);
  }
  return changes;
}

function parameterChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((key) => before[key] !== after[key])
    .map((key) => `parameters.${key}: ${show(before[key])} → ${show(after[key])}`);
}

function asStrings(value: unknown): Record<string, string> {
  return value && typeof value === 'object' ? (value as Record<string, string>) : {};
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}
