import type { KubeObject } from './types.js';

/** The condition type that tells whether the composite's spec and the step input are usable. */
export const VALID_CONDITION = 'Valid';

/** `namespace/name` or `name` of an object, for messages and logs. */
export function describeObject(object: KubeObject | undefined): string {
  const metadata = (object?.['metadata'] ?? {}) as { name?: unknown; namespace?: unknown };
  const name = typeof metadata.name === 'string' ? metadata.name : '<unnamed>';
  return typeof metadata.namespace === 'string' && metadata.namespace
    ? `${metadata.namespace}/${name}`
    : name;
}
