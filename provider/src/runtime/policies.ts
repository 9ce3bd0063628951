/**
 * spec.managementPolicies: which of Observe, Create, Update, Delete and LateInitialize the provider
 * may do to the external resource. `*` (the default) allows all.
 */

/** One management policy. */
export type ManagementPolicy = 'Observe' | 'Create' | 'Update' | 'Delete' | 'LateInitialize' | '*';

/** The policies the reconciler knows; anything else is an error on the resource. */
export const managementPolicies: readonly ManagementPolicy[] = [
  'Observe',
  'Create',
  'Update',
  'Delete',
  'LateInitialize',
  '*',
];

/** What the reconciler may do, decided once per reconcile from the resource's policies. */
export interface PolicyDecisions {
  create: boolean;
  update: boolean;
  delete: boolean;
  lateInitialize: boolean;
  /** Only Observe: the provider never writes to the external system. */
  observeOnly: boolean;
}

/** Thrown for policies the reconciler does not support. */
export class UnsupportedPoliciesError extends Error {
  override name = 'UnsupportedPoliciesError';
}

/**
 * Whether the policies pause reconciling: an explicitly empty list, as in crossplane-runtime (an
 * absent list means the default, `*`).
 */
export function isPausedByPolicies(policies: readonly string[] | undefined): boolean {
  return policies !== undefined && policies.length === 0;
}

/**
 * Decides what the reconciler may do. Every supported set includes Observe (explicitly or via `*`):
 * without observing, the provider cannot tell whether to create, and Crossplane rejects such sets too.
 */
export function decidePolicies(policies: readonly string[] | undefined): PolicyDecisions {
  const set = new Set(policies === undefined || policies.length === 0 ? ['*'] : policies);
  const unknown = [...set].filter((p) => !(managementPolicies as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new UnsupportedPoliciesError(`unknown management policies ${JSON.stringify(unknown)}`);
  }
  const all = set.has('*');
  if (!all && !set.has('Observe')) {
    throw new UnsupportedPoliciesError(
      `management policies ${JSON.stringify([...set])} must include "Observe" or "*"`,
    );
  }
  const decisions = {
    create: all || set.has('Create'),
    update: all || set.has('Update'),
    delete: all || set.has('Delete'),
    lateInitialize: all || set.has('LateInitialize'),
  };
  return {
    ...decisions,
    observeOnly: !decisions.create && !decisions.update && !decisions.delete && !decisions.lateInitialize,
  };
}
