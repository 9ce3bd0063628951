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
    if (sameValue(before, after)) continue;
    if (field === 'parameters') changes.push(...parameterChanges(asStrings(before), asStrings(after)));
    else changes.push(`${field}: ${show(before)} → ${show(after)}`);
  }
  return changes;
}

/**
 * isDeepStrictEqual for what these fields hold (strings, and parameters as a flat map of strings),
 * without its generic machinery: a steady-state reconcile compares every StorageClass every time.
 */
function sameValue(before: unknown, after: unknown): boolean {
  if (before === after) return true;
  if (!isFlatStrings(before) || !isFlatStrings(after)) return isDeepStrictEqual(before, after);
  let count = 0;
  for (const key in before) {
    if (before[key] !== after[key]) return false;
    count++;
  }
  for (const key in after) if (--count < 0 || !Object.hasOwn(before, key)) return false;
  return true;
}

function isFlatStrings(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return false;
  for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  return true;
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
