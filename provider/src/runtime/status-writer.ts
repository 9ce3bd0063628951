/**
 * How a reconcile ends: its conditions, atProvider and observedGeneration written to the managed
 * resource's status (only when they changed), and a failure turned into Synced=False and back-off,
 * or into a silent requeue on a conflict.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { messageOf, reconcileError, setConditions, type ConditionSpec } from './conditions.js';
import { mergePatchBetween } from './json.js';
import { isConflict, type KubeClient, type ResourceType } from './kube.js';
import { errors, wrap, type ReconcileResult } from './reconcile-result.js';
import type { ManagedResource, ManagedStatus } from './resource.js';

/** Writes the status a reconcile ends with. */
export class ManagedStatusWriter {
  constructor(
    private readonly kube: KubeClient,
    private readonly type: ResourceType,
    private readonly clock: Clock,
  ) {}

  /**
   * Records a failure as Synced=False. Unless told otherwise it backs off: most failures (the API
   * server, the external API, a conflict with a concurrent write) pass, and back-off keeps a lasting
   * one from hammering either side.
   */
  async fail(
    mr: ManagedResource,
    err: unknown,
    log: Logger,
    result?: { action: 'done' } | { action: 'requeueAfter'; ms: number },
    extra: ConditionSpec[] = [],
  ): Promise<ReconcileResult> {
    const error = err instanceof Error ? err : new Error(String(err));
    if (isConflict(error.cause) || isConflict(error)) {
      // The resource changed since it was read: reconcile the new version, reporting nothing (as
      // crossplane-runtime requeues conflicts silently).
      log.debug({ err: error.message }, 'conflict; reconciling again');
      return { action: 'requeue' };
    }
    log.warn({ err: error.message }, 'reconcile failed');
    return this.finish(
      mr,
      [...extra, reconcileError(error)],
      result ? { ...result, error } : { action: 'backoff', error },
      log,
    );
  }

  /** Writes conditions, atProvider and observedGeneration when they changed, then returns result. */
  async finish(
    mr: ManagedResource,
    conditions: ConditionSpec[],
    result: ReconcileResult,
    log: Logger,
    atProvider?: Record<string, unknown>,
  ): Promise<ReconcileResult> {
    const generation = mr.metadata.generation;
    const stamped = conditions.map((c) =>
      generation === undefined ? c : { ...c, observedGeneration: generation },
    );
    const status: ManagedStatus = {
      ...mr.status,
      conditions: setConditions(mr.status?.conditions ?? [], stamped, this.clock.now()),
      ...(atProvider === undefined ? {} : { atProvider }),
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    };
    // Compared as values (the API server returns keys in its own order); keys that went are removed.
    const patch = mergePatchBetween(
      (mr.status ?? {}) as Record<string, unknown>,
      status as Record<string, unknown>,
    );
    if (patch === undefined) return result;
    try {
      // Conditional on the version read: a status computed from a stale cache must not overwrite a
      // newer one (it would also be one more write, and one more watch event for Crossplane).
      await this.kube.mergePatch(
        this.type,
        mr.metadata.name,
        mr.metadata.namespace,
        {
          ...(mr.metadata.resourceVersion
            ? { metadata: { resourceVersion: mr.metadata.resourceVersion } }
            : {}),
          status: patch,
        },
        'status',
      );
    } catch (err) {
      if (isConflict(err)) {
        log.debug({ err: messageOf(err) }, 'conflict writing status; reconciling again');
        return { action: 'requeue' };
      }
      if (result.action === 'backoff' || result.action === 'requeue') return result;
      // Status could not be written (the resource may be gone or changed): try again after back-off.
      log.debug({ err: messageOf(err) }, errors.updateStatus);
      return { action: 'backoff', error: wrap(errors.updateStatus, err) };
    }
    return result;
  }
}
