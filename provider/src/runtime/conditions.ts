/**
 * The Ready and Synced conditions of a managed resource, with crossplane-runtime's types and reasons,
 * so `kubectl get` and Crossplane's composition machinery read them as they read any provider's.
 */

/** A status condition as Kubernetes and Crossplane write it. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** Condition type: the external resource is usable. */
export const TypeReady = 'Ready';
/** Condition type: the last reconcile succeeded. */
export const TypeSynced = 'Synced';

/** The standard reasons of Ready and Synced. */
export const Reason = {
  Available: 'Available',
  Unavailable: 'Unavailable',
  Creating: 'Creating',
  Deleting: 'Deleting',
  ReconcileSuccess: 'ReconcileSuccess',
  ReconcileError: 'ReconcileError',
  ReconcilePaused: 'ReconcilePaused',
} as const;

/** A condition before it is stamped with a transition time. */
export type ConditionSpec = Omit<Condition, 'lastTransitionTime'>;

/** Ready=True: the external resource is usable. */
export function available(): ConditionSpec {
  return { type: TypeReady, status: 'True', reason: Reason.Available };
}

/** Ready=False: the external resource exists but is not usable; the message says why, when known. */
export function unavailable(message?: string): ConditionSpec {
  return {
    type: TypeReady,
    status: 'False',
    reason: Reason.Unavailable,
    ...(message === undefined ? {} : { message }),
  };
}

/** Ready=False: the external resource is being created. */
export function creating(): ConditionSpec {
  return { type: TypeReady, status: 'False', reason: Reason.Creating };
}

/** Ready=False: the external resource is being deleted. */
export function deleting(): ConditionSpec {
  return { type: TypeReady, status: 'False', reason: Reason.Deleting };
}

/** Synced=True: the last reconcile succeeded. */
export function reconcileSuccess(): ConditionSpec {
  return { type: TypeSynced, status: 'True', reason: Reason.ReconcileSuccess };
}

/** Synced=False: the last reconcile failed, with the error as message. */
export function reconcileError(err: unknown): ConditionSpec {
  return { type: TypeSynced, status: 'False', reason: Reason.ReconcileError, message: messageOf(err) };
}

/** Synced=False: reconciling is paused by the crossplane.io/paused annotation. */
export function reconcilePaused(): ConditionSpec {
  return {
    type: TypeSynced,
    status: 'False',
    reason: Reason.ReconcilePaused,
    message: 'Reconciliation is paused via the pause annotation',
  };
}

/** The message of an error, or the string form of anything else thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Sets conditions by type. A condition whose status, reason and message are unchanged keeps its
 * lastTransitionTime, so an unchanged resource produces an identical status and no write.
 */
export function setConditions(
  existing: readonly Condition[],
  updates: readonly ConditionSpec[],
  now: Date,
): Condition[] {
  const out = [...existing];
  for (const update of updates) {
    const index = out.findIndex((c) => c.type === update.type);
    const previous = index >= 0 ? out[index] : undefined;
    const unchanged =
      previous !== undefined &&
      previous.status === update.status &&
      previous.reason === update.reason &&
      (previous.message ?? '') === (update.message ?? '');
    const next: Condition = {
      ...update,
      lastTransitionTime: unchanged ? previous.lastTransitionTime : now.toISOString(),
    };
    if (index >= 0) out[index] = next;
    else out.push(next);
  }
  return out;
}

/** The condition of a type, if set. */
export function conditionOf(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
