import type { StepCondition } from '../../../types.js';

/** The annotation by which a user deletes a protected Postgres on purpose. */
export const ALLOW_DELETION_ANNOTATION = 'data.stackplane.io/allow-deletion';

/** The condition that says whether deleting the composite deletes its RDS instance, and how. */
export const DELETION_PROTECTED_CONDITION = 'DeletionProtected';

/** What decides whether an RDS instance can be deleted with its composite. */
export interface DeletionFacts {
  /** The composite as `<namespace>/<name>`. */
  what: string;
  identifier: string;
  /** The strategy's deletion protection. */
  protectedByTier: boolean;
  tier: string;
  /** The user annotated the composite to delete it on purpose. */
  allowDeletion: boolean;
  /** Whether AWS still reports deletion protection on the instance (undefined: not observed yet). */
  observedProtection: boolean | undefined;
  /** skipCreate: deleting the composite never deletes the instance. */
  observeOnly: boolean;
  finalSnapshot: string | undefined;
}

/** deletionProtection as composed: the tier's, unless the user allowed deletion. */
export const composedDeletionProtection = (f: DeletionFacts): boolean =>
  f.protectedByTier && !f.allowDeletion;

/**
 * DeletionProtected: Crossplane runs no function while a composite is deleted, so the condition says
 * beforehand that deleting a protected Postgres waits on AWS, and how to delete it on purpose.
 */
export function deletionProtectedCondition(f: DeletionFacts): StepCondition {
  const snapshot = f.finalSnapshot
    ? ` after a final snapshot ${f.finalSnapshot}`
    : ' without a final snapshot';
  if (f.observeOnly) {
    return {
      type: DELETION_PROTECTED_CONDITION,
      status: 'False',
      reason: 'ObserveOnly',
      message: `spec.skipCreate: deleting Postgres ${f.what} never deletes the RDS instance ${f.identifier}`,
    };
  }
  if (!f.protectedByTier) {
    return {
      type: DELETION_PROTECTED_CONDITION,
      status: 'False',
      reason: 'NotProtected',
      message: `deleting Postgres ${f.what} deletes the RDS instance ${f.identifier}${snapshot}`,
    };
  }
  if (!f.allowDeletion) {
    return {
      type: DELETION_PROTECTED_CONDITION,
      status: 'True',
      reason: 'ProtectedByTier',
      message: `the RDS instance ${f.identifier} has deletion protection (tier ${f.tier}): deleting Postgres ${f.what} would wait until it is turned off. To delete it on purpose, annotate it ${ALLOW_DELETION_ANNOTATION}=true, wait for this condition to turn False, then delete it`,
    };
  }
  if (f.observedProtection !== false) {
    return {
      type: DELETION_PROTECTED_CONDITION,
      status: 'True',
      reason: 'TurningOff',
      message: `${ALLOW_DELETION_ANNOTATION} is set: waiting for AWS to turn deletion protection of the RDS instance ${f.identifier} off before Postgres ${f.what} can be deleted`,
    };
  }
  return {
    type: DELETION_PROTECTED_CONDITION,
    status: 'False',
    reason: 'DeletionAllowed',
    message: `${ALLOW_DELETION_ANNOTATION} is set and deletion protection is off: deleting Postgres ${f.what} deletes the RDS instance ${f.identifier}${snapshot}`,
  };
}
