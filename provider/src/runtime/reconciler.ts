/**
 * The managed reconciler: crossplane-runtime's managed-resource flow for any ManagedKind. It only
 * orchestrates; the API server, the external API, connection Secrets, provider configs, events,
 * metrics and time are ports, injected with defaults.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import {
  available,
  conditionOf,
  creating,
  deleting,
  messageOf,
  reconcileError,
  reconcilePaused,
  reconcileSuccess,
  setConditions,
  TypeReady,
  unavailable,
  type ConditionSpec,
} from './conditions.js';
import { noopConnectionPublisher, type ConnectionPublisher } from './connection.js';
import { EventReason, noopEventRecorder, type EventRecorder } from './events.js';
import type { ConnectionDetails, ExternalClient, ExternalObservation, ManagedView } from './external.js';
import { resourceTypeOf, type ManagedKind } from './kind.js';
import { isConflict, type KubeClient, type ResourceType } from './kube.js';
import { gvkOf, noopMetrics, type ManagedLifecycleEvent, type ReconcileMetrics } from './metrics.js';
import { mergePatchBetween } from './json.js';
import { decidePolicies, isPausedByPolicies, type PolicyDecisions } from './policies.js';
import { providerConfigRefOf, type ProviderConfigResolver } from './providerconfig.js';
import {
  Annotation,
  DEFAULT_POLL_INTERVAL_MS,
  FINALIZER,
  externalNameOf,
  isCreateIncomplete,
  isDeleting,
  isPaused,
  keyOf,
  otherFinalizersOf,
  pollIntervalOf,
  type ManagedResource,
  type ManagedStatus,
} from './resource.js';

/** What the controller does with a key after a reconcile. */
export type ReconcileResult =
  /** Nothing until the resource changes; error when the resource reports one (Synced=False). */
  | { action: 'done'; error?: Error }
  /** Reconcile again after ms (a poll, or a short wait to confirm a change). */
  | { action: 'requeueAfter'; ms: number; error?: Error }
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
  timedOut: 'cannot finish reconcile: the external API did not answer within the reconcile timeout',
} as const;

/** Messages of the paused condition and event. */
export const pausedMessages = {
  annotation: 'Reconciliation is paused via the pause annotation',
  policies: 'Reconciliation is paused via spec.managementPolicies: [] (no policies)',
  event: 'Reconciliation is paused either through the `spec.managementPolicies` or the pause annotation',
} as const;

/** How long to trust a recorded create over an observation that the resource does not exist. */
export const DEFAULT_CREATION_GRACE_PERIOD_MS = 30_000;
/** How long one reconcile may wait for the external API, as crossplane-runtime's reconcile timeout. */
export const DEFAULT_RECONCILE_TIMEOUT_MS = 60_000;

/** An external call did not finish before the reconcile's deadline. */
export class ReconcileTimeoutError extends Error {
  override name = 'ReconcileTimeoutError';
}

/** The deadline of one reconcile: external calls still running when it passes are abandoned. */
interface Deadline {
  race<T>(call: Promise<T>): Promise<T>;
  cancel(): void;
}

/** Wraps cause as `<message>: <cause>`, keeping it as the cause. */
export function wrap(message: string, cause: unknown): Error {
  return new Error(`${message}: ${messageOf(cause)}`, { cause });
}

/** The dependencies of a Reconciler; everything but kind, kube and providerConfigs has a default. */
export interface ReconcilerOptions<ForProvider, ProviderConfig> {
  kind: ManagedKind<ForProvider, ProviderConfig>;
  kube: KubeClient;
  providerConfigs: ProviderConfigResolver;
  logger: Logger;
  connectionPublisher?: ConnectionPublisher;
  events?: EventRecorder;
  metrics?: ReconcileMetrics;
  clock?: Clock;
  /** Poll interval of resources without crossplane.io/poll-interval. Default 1 minute. */
  pollIntervalMs?: number;
  /** Wait before confirming a create or delete by observing again. Default 1 second. */
  confirmAfterMs?: number;
  /** Attempts to record a creation's outcome before giving up. Default 5. */
  criticalAttempts?: number;
  /**
   * After a create, how long an observation that the resource does not exist is not believed (an
   * eventually consistent API may not list it yet). Default 30 seconds.
   */
  creationGracePeriodMs?: number;
  /** How long the external calls of one reconcile may take in all. Default 1 minute. */
  reconcileTimeoutMs?: number;
  /**
   * Limits reconciles that reach the external API, per provider config (each is an account or an
   * endpoint with its own quota). Default: unlimited.
   */
  providerConfigRateLimiter?: { reserve(key: string): number };
  /** Share of the poll interval polls vary by, either way, so resources created together spread out. Default 0.05. */
  pollJitter?: number;
  /** Random numbers in [0, 1) for the jitter; injected by tests. */
  random?: () => number;
}

/** Reconciles managed resources of one kind, one key at a time per resource. */
export class Reconciler<ForProvider, ProviderConfig> {
  private readonly kind: ManagedKind<ForProvider, ProviderConfig>;
  private readonly type: ResourceType;
  private readonly kube: KubeClient;
  private readonly providerConfigs: ProviderConfigResolver;
  private readonly publisher: ConnectionPublisher;
  private readonly events: EventRecorder;
  private readonly metrics: ReconcileMetrics;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pollIntervalMs: number;
  private readonly confirmAfterMs: number;
  private readonly criticalAttempts: number;
  private readonly creationGracePeriodMs: number;
  private readonly reconcileTimeoutMs: number;
  private readonly rateLimiter: { reserve(key: string): number };
  /** Resources holding a reserved token of their provider config: when it is due (ms since epoch). */
  private readonly admissions = new Map<string, number>();
  private readonly pollJitter: number;
  /** crossplane-runtime's lifecycle bookkeeping, per resource UID in this process. */
  private readonly firstSeen = new Set<string>();
  private readonly firstReady = new Set<string>();
  private readonly lastSynced = new Map<string, number>();
  private readonly gvk: string;
  private readonly random: () => number;

  constructor(options: ReconcilerOptions<ForProvider, ProviderConfig>) {
    this.kind = options.kind;
    this.type = resourceTypeOf(options.kind as ManagedKind<unknown, unknown>);
    this.kube = options.kube;
    this.providerConfigs = options.providerConfigs;
    this.publisher = options.connectionPublisher ?? noopConnectionPublisher;
    this.events = options.events ?? noopEventRecorder;
    this.metrics = options.metrics ?? noopMetrics;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger.child({ kind: options.kind.kind });
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.confirmAfterMs = options.confirmAfterMs ?? 1_000;
    this.criticalAttempts = options.criticalAttempts ?? 5;
    this.creationGracePeriodMs = options.creationGracePeriodMs ?? DEFAULT_CREATION_GRACE_PERIOD_MS;
    this.reconcileTimeoutMs = options.reconcileTimeoutMs ?? DEFAULT_RECONCILE_TIMEOUT_MS;
    this.rateLimiter = options.providerConfigRateLimiter ?? { reserve: () => 0 };
    this.pollJitter = options.pollJitter ?? 0.05;
    this.gvk = gvkOf(options.kind);
    this.random = options.random ?? Math.random;
  }

  /** Reconciles the resource namespace/name once. Never throws: failures become a result. */
  async reconcile(namespace: string, name: string): Promise<ReconcileResult> {
    let mr: ManagedResource | undefined;
    try {
      mr = await this.kube.get<ManagedResource>(this.type, name, namespace);
    } catch (err) {
      // The API server is unreachable or refused: try again after back-off.
      return { action: 'backoff', error: wrap(errors.getManaged, err) };
    }
    // Deleted and finalized: nothing left to do.
    if (mr === undefined) {
      this.admissions.delete(keyOf({ name, namespace }));
      return { action: 'done' };
    }
    const log = this.log.child({ resource: name, namespace });
    this.recordFirstReconcile(mr);

    const pausedBy = isPaused(mr)
      ? 'annotation'
      : isPausedByPolicies(mr.spec.managementPolicies)
        ? 'policies'
        : undefined;
    if (pausedBy !== undefined) {
      this.events.record(mr, { type: 'Normal', reason: EventReason.Paused, message: pausedMessages.event });
      const result = await this.finish(
        mr,
        [{ ...reconcilePaused(), message: pausedMessages[pausedBy] }],
        { action: 'done' },
        log,
      );
      this.metrics.reconciled(this.kind.kind, 'paused');
      // Paused: only removing the annotation or setting policies (a watch event) resumes reconciling.
      return result;
    }
    const deadline = this.deadline();
    try {
      const result = await this.reconcileManaged(mr, log, deadline);
      this.metrics.reconciled(this.kind.kind, result.error === undefined ? 'success' : 'error');
      return result;
    } finally {
      deadline.cancel();
    }
  }

  private async reconcileManaged(
    mr: ManagedResource,
    log: Logger,
    deadline: Deadline,
  ): Promise<ReconcileResult> {
    let policies: PolicyDecisions;
    let pollMs: number;
    try {
      policies = decidePolicies(mr.spec.managementPolicies);
    } catch (err) {
      // Only an edit of the resource can fix its policies, and an edit is a watch event.
      return this.fail(mr, wrap(errors.policies, err), log, { action: 'done' });
    }
    try {
      pollMs = pollIntervalOf(mr, this.pollIntervalMs);
    } catch (err) {
      // Only an edit of the annotation can fix it, and an edit is a watch event.
      return this.fail(mr, wrap(errors.pollInterval, err), log, { action: 'done' });
    }

    if (isDeleting(mr) && !policies.delete) {
      // Without the Delete policy the external resource outlives the managed resource.
      return this.finalize(mr, log);
    }
    if (isDeleting(mr) && !mr.metadata.finalizers?.includes(FINALIZER)) {
      // Never finalized by us (deleted before the first reconcile added the finalizer): nothing
      // external was created, but a usage may have been recorded.
      return this.finalize(mr, log);
    }

    if (isCreateIncomplete(mr) && !this.kind.createRepeatable) {
      // A create started and its outcome was never recorded: the external resource may exist under a
      // name nobody knows. Creating again could duplicate it, so a human must decide.
      this.events.record(mr, {
        type: 'Warning',
        reason: EventReason.CannotCreate,
        message: errors.createIncomplete,
      });
      const error = new Error(errors.createIncomplete);
      return this.finish(mr, [creating(), reconcileError(error)], { action: 'done', error }, log);
    }

    const forProvider = this.kind.forProvider.safeParse(mr.spec.forProvider ?? {});
    if (!forProvider.success) {
      // Only an edit of the spec can fix it, and an edit is a watch event.
      return this.fail(mr, wrap(errors.validateForProvider, forProvider.error), log, { action: 'done' });
    }

    const wait = this.admit(mr);
    // The provider config's budget of external calls is spent: come back when the reserved token is due.
    if (wait > 0) return { action: 'requeueAfter', ms: wait };

    let client: ExternalClient<ForProvider>;
    try {
      client = await this.connect(mr);
    } catch (err) {
      this.events.record(mr, { type: 'Warning', reason: EventReason.CannotConnect, message: messageOf(err) });
      return this.fail(mr, err, log);
    }
    try {
      return await this.reconcileExternal(mr, client, forProvider.data, policies, pollMs, log, deadline);
    } finally {
      await client
        .disconnect?.()
        .catch((err: unknown) => log.warn({ err: messageOf(err) }, 'cannot disconnect'));
    }
  }

  private async connect(mr: ManagedResource): Promise<ExternalClient<ForProvider>> {
    let config: ProviderConfig;
    try {
      config = await this.kind.providerConfig(await this.providerConfigs.resolve(mr));
    } catch (err) {
      throw wrap(errors.providerConfig, err);
    }
    try {
      return await this.kind.connector.connect(config);
    } catch (err) {
      throw wrap(errors.connect, err);
    }
  }

  private async reconcileExternal(
    mr: ManagedResource,
    client: ExternalClient<ForProvider>,
    forProvider: ForProvider,
    policies: PolicyDecisions,
    pollMs: number,
    log: Logger,
    deadline: Deadline,
  ): Promise<ReconcileResult> {
    const view = this.viewOf(mr, forProvider);
    let observation: ExternalObservation;
    try {
      observation = await this.external('observe', () => client.observe(view), deadline);
    } catch (err) {
      this.events.record(mr, { type: 'Warning', reason: EventReason.CannotObserve, message: messageOf(err) });
      return this.fail(mr, wrap(errors.observe, err), log);
    }

    if (!observation.resourceExists && this.createdWithinGracePeriod(mr)) {
      // An eventually consistent API may not show a resource it just created: believing it would
      // create a duplicate. Wait until the grace period has passed, as crossplane-runtime does.
      log.debug('waiting for external resource existence to be confirmed');
      this.events.record(mr, {
        type: 'Normal',
        reason: EventReason.Pending,
        message: 'Waiting for external resource existence to be confirmed',
      });
      return { action: 'requeue' };
    }

    if (isDeleting(mr)) {
      if (otherFinalizersOf(mr).length > 0) {
        // Other controllers still need the external resource (their finalizers hold the managed
        // resource): keep it until they are done. Their removal is a watch event; the back-off also
        // comes back.
        log.debug(
          { finalizers: otherFinalizersOf(mr) },
          'delaying external deletion until other finalizers go',
        );
        return this.finish(mr, [deleting()], { action: 'requeue' }, log);
      }
      if (!observation.resourceExists) return this.finalize(mr, log);
      try {
        await this.external('delete', () => client.delete(view), deadline);
      } catch (err) {
        this.events.record(mr, {
          type: 'Warning',
          reason: EventReason.CannotDelete,
          message: messageOf(err),
        });
        return this.fail(mr, wrap(errors.delete, err), log, undefined, [deleting()]);
      }
      log.info('deleted external resource');
      this.events.record(mr, {
        type: 'Normal',
        reason: EventReason.DeletedExternal,
        message: 'Successfully requested deletion of external resource',
      });
      // Deletion may take a while: observe again soon and remove the finalizer once it is gone.
      return this.finish(
        mr,
        [deleting(), reconcileSuccess()],
        { action: 'requeueAfter', ms: this.confirmAfterMs },
        log,
      );
    }

    if (!observation.resourceExists && policies.observeOnly) {
      // Observe-only resources never create; the external resource may still appear, so poll.
      return this.finish(
        mr,
        [reconcileError(errors.observeOnlyMissing)],
        { action: 'requeueAfter', ms: pollMs, error: new Error(errors.observeOnlyMissing) },
        log,
      );
    }

    try {
      mr = await this.ensureFinalizer(mr);
    } catch (err) {
      return this.fail(mr, wrap(errors.addFinalizer, err), log);
    }

    if (!observation.resourceExists && policies.create) {
      return this.create(mr, client, forProvider, log, deadline);
    }

    if (observation.connectionDetails) {
      try {
        await this.publisher.publish(mr, observation.connectionDetails);
      } catch (err) {
        this.events.record(mr, {
          type: 'Warning',
          reason: EventReason.CannotPublish,
          message: messageOf(err),
        });
        return this.fail(mr, wrap(errors.publish, err), log);
      }
    }

    if (observation.resourceExists && policies.lateInitialize && observation.lateInitialized) {
      try {
        mr = await this.lateInitialize(mr, observation.lateInitialized);
      } catch (err) {
        return this.fail(mr, wrap(errors.lateInitialize, err), log);
      }
    }

    if (observation.resourceExists && !observation.resourceUpToDate) this.recordDrift(mr);
    if (observation.resourceExists && !observation.resourceUpToDate && policies.update) {
      let details: ConnectionDetails | undefined;
      try {
        const updated = await this.external(
          'update',
          () => client.update(this.viewOf(mr, forProvider)),
          deadline,
        );
        details = updated.connectionDetails;
        if (updated.atProvider) observation = { ...observation, atProvider: updated.atProvider };
        if (details) await this.publisher.publish(mr, details);
      } catch (err) {
        this.events.record(mr, {
          type: 'Warning',
          reason: EventReason.CannotUpdate,
          message: messageOf(err),
        });
        return this.fail(mr, wrap(errors.update, err), log);
      }
      log.info('updated external resource');
      this.events.record(mr, {
        type: 'Normal',
        reason: EventReason.UpdatedExternal,
        message: 'Successfully updated external resource',
      });
    }

    const ready = !observation.resourceExists
      ? creating()
      : observation.available
        ? available()
        : unavailable();
    if (observation.resourceExists && observation.available) this.recordReady(mr);
    this.lastSynced.set(mr.metadata.uid ?? keyOf(mr.metadata), this.clock.now().getTime());
    // Up to date (or not ours to update): observe again after the poll interval to catch drift.
    return this.finish(
      mr,
      [ready, reconcileSuccess()],
      { action: 'requeueAfter', ms: this.jittered(pollMs) },
      log,
      observation.atProvider,
    );
  }

  /**
   * Creates the external resource. The pending annotation is persisted first, conditionally on the
   * resource version just read, so that no two reconciles (or a reconcile after a crash) both create.
   */
  private async create(
    mr: ManagedResource,
    client: ExternalClient<ForProvider>,
    forProvider: ForProvider,
    log: Logger,
    deadline: Deadline,
  ): Promise<ReconcileResult> {
    try {
      mr = await this.patchMetadata(
        mr,
        { annotations: { [Annotation.ExternalCreatePending]: this.timestamp() } },
        true,
      );
    } catch (err) {
      // A conflict means the resource changed since it was read: reconcile the new version.
      return this.fail(mr, wrap(errors.recordPending, err), log);
    }
    let externalName: string | undefined;
    let details: ConnectionDetails | undefined;
    try {
      const creation = await this.external(
        'create',
        () => client.create(this.viewOf(mr, forProvider)),
        deadline,
      );
      externalName = creation.externalName;
      details = creation.connectionDetails;
    } catch (err) {
      this.events.record(mr, { type: 'Warning', reason: EventReason.CannotCreate, message: messageOf(err) });
      if (err instanceof ReconcileTimeoutError) {
        // The create may still succeed: leave it pending, so that nothing creates it a second time.
        return this.fail(mr, wrap(errors.create, err), log, undefined, [creating()]);
      }
      try {
        mr = await this.critical(mr, { [Annotation.ExternalCreateFailed]: this.timestamp() });
      } catch (recordErr) {
        log.error({ err: messageOf(recordErr) }, errors.recordCreated);
      }
      return this.fail(mr, wrap(errors.create, err), log, undefined, [creating()]);
    }
    const annotations: Record<string, string> = { [Annotation.ExternalCreateSucceeded]: this.timestamp() };
    if (externalName !== undefined) annotations[Annotation.ExternalName] = externalName;
    try {
      mr = await this.critical(mr, annotations);
    } catch (err) {
      // The pending annotation stays: the next reconcile refuses to create again (see isCreateIncomplete).
      log.error({ err: messageOf(err), externalName }, errors.recordCreated);
      return this.fail(mr, wrap(errors.recordCreated, err), log, undefined, [creating()]);
    }
    log.info({ externalName }, 'created external resource');
    this.events.record(mr, {
      type: 'Normal',
      reason: EventReason.CreatedExternal,
      message: 'Successfully requested creation of external resource',
    });
    if (details) {
      try {
        await this.publisher.publish(mr, details);
      } catch (err) {
        return this.fail(mr, wrap(errors.publish, err), log, undefined, [creating()]);
      }
    }
    // Creation takes a while in many external systems: observe again soon rather than after a poll.
    return this.finish(
      mr,
      [creating(), reconcileSuccess()],
      { action: 'requeueAfter', ms: this.confirmAfterMs },
      log,
    );
  }

  /** Removes the connection Secret, the provider config usage and then the finalizer. */
  private async finalize(mr: ManagedResource, log: Logger): Promise<ReconcileResult> {
    try {
      await this.publisher.unpublish(mr);
    } catch (err) {
      return this.fail(mr, wrap(errors.unpublish, err), log, undefined, [deleting()]);
    }
    try {
      await this.providerConfigs.release(mr);
    } catch (err) {
      return this.fail(mr, wrap(errors.releaseUsage, err), log, undefined, [deleting()]);
    }
    const finalizers = mr.metadata.finalizers ?? [];
    if (finalizers.includes(FINALIZER)) {
      try {
        await this.patchMetadata(mr, { finalizers: finalizers.filter((f) => f !== FINALIZER) }, true);
      } catch (err) {
        return this.fail(mr, wrap(errors.removeFinalizer, err), log, undefined, [deleting()]);
      }
    }
    log.info('finalized managed resource');
    this.recordDeleted(mr);
    // Gone (or about to be): no watch event will follow that needs this key.
    return { action: 'done' };
  }

  private async ensureFinalizer(mr: ManagedResource): Promise<ManagedResource> {
    const finalizers = mr.metadata.finalizers ?? [];
    if (finalizers.includes(FINALIZER)) return mr;
    return this.patchMetadata(mr, { finalizers: [...finalizers, FINALIZER] }, true);
  }

  /** Fills spec.forProvider fields the user left out with what the external system defaulted. */
  private async lateInitialize(
    mr: ManagedResource,
    observed: Record<string, unknown>,
  ): Promise<ManagedResource> {
    const current = (mr.spec.forProvider ?? {}) as Record<string, unknown>;
    const missing = Object.fromEntries(
      Object.entries(observed).filter(([key]) => current[key] === undefined),
    );
    if (Object.keys(missing).length === 0) return mr;
    return this.kube.mergePatch<ManagedResource>(this.type, mr.metadata.name, mr.metadata.namespace, {
      metadata: { resourceVersion: mr.metadata.resourceVersion },
      spec: { forProvider: missing },
    });
  }

  /** Records annotations that must not be lost, retrying (unconditionally) on transient failures. */
  private async critical(mr: ManagedResource, annotations: Record<string, string>): Promise<ManagedResource> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.criticalAttempts; attempt++) {
      try {
        return await this.patchMetadata(mr, { annotations }, false);
      } catch (err) {
        lastError = err;
        await new Promise((resolve) => this.clock.after(100 * 2 ** attempt, () => resolve(undefined)));
      }
    }
    throw lastError;
  }

  /** Merge-patches metadata; conditional patches fail with a conflict if the resource changed. */
  private patchMetadata(
    mr: ManagedResource,
    metadata: { annotations?: Record<string, string>; finalizers?: string[] },
    conditional: boolean,
  ): Promise<ManagedResource> {
    const patch = {
      metadata: { ...metadata, ...(conditional ? { resourceVersion: mr.metadata.resourceVersion } : {}) },
    };
    return this.kube.mergePatch<ManagedResource>(this.type, mr.metadata.name, mr.metadata.namespace, patch);
  }

  /**
   * Records a failure as Synced=False. Unless told otherwise it backs off: most failures (the API
   * server, the external API, a conflict with a concurrent write) pass, and back-off keeps a lasting
   * one from hammering either side.
   */
  private async fail(
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
  private async finish(
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

  /** Calls the external API within the reconcile's deadline, measuring latency. */
  private async external<T>(operation: string, call: () => Promise<T>, deadline: Deadline): Promise<T> {
    const start = performance.now();
    try {
      const value = await deadline.race(call());
      this.metrics.externalCall(this.kind.kind, operation, 'success', (performance.now() - start) / 1000);
      return value;
    } catch (err) {
      this.metrics.externalCall(this.kind.kind, operation, 'error', (performance.now() - start) / 1000);
      throw err;
    }
  }

  /**
   * Admits a reconcile to its provider config's external API: 0 when it may go now, else the wait for
   * the token reserved for it. A resource keeps its reservation until it is due, so an early wake-up (a
   * watch event) neither takes a second token nor loses its place.
   */
  private admit(mr: ManagedResource): number {
    const key = keyOf(mr.metadata);
    const now = this.clock.now().getTime();
    const due = this.admissions.get(key);
    if (due !== undefined) {
      if (due > now) return due - now;
      this.admissions.delete(key);
      return 0;
    }
    const ref = providerConfigRefOf(mr);
    const wait = this.rateLimiter.reserve(
      `${ref.kind}/${ref.kind === 'ProviderConfig' ? mr.metadata.namespace : ''}/${ref.name}`,
    );
    if (wait > 0) this.admissions.set(key, now + wait);
    return wait;
  }

  private recordFirstReconcile(mr: ManagedResource): void {
    const uid = mr.metadata.uid ?? keyOf(mr.metadata);
    if (this.firstSeen.has(uid)) return;
    this.firstSeen.add(uid);
    this.lifecycle('firstReconcile', mr.metadata.creationTimestamp);
  }

  private recordReady(mr: ManagedResource): void {
    const uid = mr.metadata.uid ?? keyOf(mr.metadata);
    if (this.firstReady.has(uid)) return;
    this.firstReady.add(uid);
    // Only a resource that becomes Ready now counts: one Ready before this process started does not.
    if (conditionOf(mr.status?.conditions, TypeReady)?.status === 'True') return;
    this.lifecycle('firstReady', mr.metadata.creationTimestamp);
  }

  private recordDrift(mr: ManagedResource): void {
    const last = this.lastSynced.get(mr.metadata.uid ?? keyOf(mr.metadata));
    if (last !== undefined)
      this.metrics.lifecycle?.(this.gvk, 'drift', (this.clock.now().getTime() - last) / 1000);
  }

  private recordDeleted(mr: ManagedResource): void {
    const uid = mr.metadata.uid ?? keyOf(mr.metadata);
    this.firstSeen.delete(uid);
    this.firstReady.delete(uid);
    this.lastSynced.delete(uid);
    this.lifecycle('deleted', mr.metadata.deletionTimestamp);
  }

  private lifecycle(event: ManagedLifecycleEvent, since: string | Date | undefined): void {
    const began = since === undefined ? NaN : new Date(since).getTime();
    if (Number.isFinite(began)) {
      this.metrics.lifecycle?.(this.gvk, event, Math.max(0, (this.clock.now().getTime() - began) / 1000));
    }
  }

  /** The poll interval varied by up to pollJitter either way. */
  private jittered(ms: number): number {
    return Math.round(ms * (1 + (this.random() * 2 - 1) * this.pollJitter));
  }

  /** The deadline of one reconcile, on the injected clock. */
  private deadline(): Deadline {
    let expire: (err: Error) => void = () => {};
    const expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    // Unobserved until a call races it.
    expired.catch(() => {});
    const cancel = this.clock.after(this.reconcileTimeoutMs, () =>
      expire(new ReconcileTimeoutError(errors.timedOut)),
    );
    return { race: (call) => Promise.race([call, expired]), cancel };
  }

  /** Whether a create succeeded within the creation grace period. */
  private createdWithinGracePeriod(mr: ManagedResource): boolean {
    const succeeded = Date.parse(mr.metadata.annotations?.[Annotation.ExternalCreateSucceeded] ?? '');
    return Number.isFinite(succeeded) && this.clock.now().getTime() - succeeded < this.creationGracePeriodMs;
  }

  /** The view of a resource its external client gets, with access to what it published. */
  private viewOf(mr: ManagedResource, forProvider: ForProvider): ManagedView<ForProvider> {
    const view = viewOf(mr, forProvider);
    if (!mr.spec.writeConnectionSecretToRef) return view;
    return { ...view, published: () => this.publisher.read(mr) };
  }

  private timestamp(): string {
    return this.clock.now().toISOString();
  }
}

/** The view of a resource its external client gets. */
export function viewOf<ForProvider>(mr: ManagedResource, forProvider: ForProvider): ManagedView<ForProvider> {
  const externalName = externalNameOf(mr);
  return {
    name: mr.metadata.name,
    ...(mr.metadata.namespace === undefined ? {} : { namespace: mr.metadata.namespace }),
    ...(externalName === undefined ? {} : { externalName }),
    ...createdAtOf(mr),
    forProvider,
    ...(isDeleting(mr) ? { deleting: true } : {}),
  };
}

function createdAtOf(mr: ManagedResource): { createdAt?: string } {
  const created = mr.metadata.creationTimestamp;
  if (created === undefined) return {};
  return { createdAt: created instanceof Date ? created.toISOString() : created };
}
