/** What a reconcile tells its controller, and the messages it reports, worded as crossplane-runtime's. */
import { messageOf } from './conditions.js';
import { timedOutMessage } from './timing.js';

/** What the controller does with a key after a reconcile. */
export type ReconcileResult =
  /** Nothing until the resource changes; error when the resource reports one (Synced=False). */
  | { action: 'done'; error?: Error }
  /**
   * Reconcile again after ms (a poll, or a short wait to confirm a change); throttled when the
   * provider config's budget deferred it before any external call.
   */
  | { action: 'requeueAfter'; ms: number; error?: Error; throttled?: true }
  /** Reconcile again after the key's exponential back-off. */
  | { action: 'backoff'; error: Error }
  /**
   * Reconcile again after the key's back-off, with nothing to report: a conflict with a concurrent
   * write (the next read sees it), or a wait crossplane-runtime also waits silently.
   */
  | { action: 'requeue'; error?: undefined };

/** Error messages of the reconciler, worded `cannot <verb> <noun>`. */
export const errors = {
  getManaged: 'cannot get managed resource',
  validateForProvider: 'cannot validate spec.forProvider',
  policies: 'cannot apply management policies',
  pollInterval: 'cannot read poll interval',
  providerConfig: 'cannot resolve provider config',
  connect: 'cannot connect to external API',
  observe: 'cannot observe external resource',
  create: 'cannot create external resource',
  update: 'cannot update external resource',
  delete: 'cannot delete external resource',
  publish: 'cannot publish connection details',
  unpublish: 'cannot unpublish connection details',
  releaseUsage: 'cannot release provider config usage',
  addFinalizer: 'cannot add finalizer',
  removeFinalizer: 'cannot remove finalizer',
  recordPending: 'cannot record pending creation',
  recordCreated: 'cannot record creation result',
  lateInitialize: 'cannot late-initialize managed resource',
  updateStatus: 'cannot update managed resource status',
  createIncomplete:
    'cannot determine creation result: remove the crossplane.io/external-create-pending annotation if it is safe to proceed',
  observeOnlyMissing: 'cannot observe external resource: external resource does not exist',
  timedOut: timedOutMessage,
} as const;

/** Messages of the paused condition and event. */
export const pausedMessages = {
  annotation: 'Reconciliation is paused via the pause annotation',
  policies: 'Reconciliation is paused via spec.managementPolicies: [] (no policies)',
  event: 'Reconciliation is paused either through the `spec.managementPolicies` or the pause annotation',
} as const;

/** Wraps cause as `<message>: <cause>`, keeping it as the cause. */
export function wrap(message: string, cause: unknown): Error {
  return new Error(`${message}: ${messageOf(cause)}`, { cause });
}
