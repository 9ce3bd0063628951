/**
 * The managed reconciler: crossplane-runtime's managed-resource flow for any ManagedKind. It only
 * orchestrates; the API server, the external API, connection Secrets, provider configs, events,
 * metrics and time are ports, injected with defaults.
 */
import type { Logger } from 'pino';
import { ProviderConfigAdmission, unlimited } from './admission.js';
import { systemClock, type Clock } from './clock.js';
import {
  available,
  creating,
  deleting,
  messageOf,
  reconcileError,
  reconcilePaused,
  reconcileSuccess,
  unavailable,
} from './conditions.js';
import { noopConnectionPublisher } from './connection.js';
import { RetryingCriticalAnnotationUpdater } from './critical-annotations.js';
import { EventReason, noopEventRecorder, type EventRecorder } from './events.js';
import type { ExternalClient, ExternalObservation, ExternalUpdate } from './external.js';
import { resourceTypeOf, type ManagedKind } from './kind.js';
import type { KubeClient, ResourceType } from './kube.js';
import { ManagedMetricRecorder } from './metric-recorder.js';
import { gvkOf, noopMetrics, type ReconciledResult, type ReconcileMetrics } from './metrics.js';
import { decidePolicies, isPausedByPolicies, type PolicyDecisions } from './policies.js';
import type { ProviderConfigResolver } from './providerconfig.js';
import { errors, pausedMessages, wrap, type ReconcileResult } from './reconcile-result.js';
import {
  FINALIZER,
  isCreateIncomplete,
  isDeleting,
  isPaused,
  isSettled,
  keyOf,
  otherFinalizersOf,
  pollIntervalOf,
  type ManagedResource,
} from './resource.js';
import { settingsOf, type ReconcilerOptions, type ReconcilerSettings } from './reconciler-options.js';
import { ManagedStatusWriter } from './status-writer.js';
import { ManagedOperations } from './operations.js';
import { createdWithin, jittered, startDeadline, type Deadline } from './timing.js';

export { errors, pausedMessages, wrap, type ReconcileResult } from './reconcile-result.js';
export { DEFAULT_RECONCILE_TIMEOUT_MS, ReconcileTimeoutError } from './timing.js';
export { DEFAULT_CREATION_GRACE_PERIOD_MS, type ReconcilerOptions } from './reconciler-options.js';
export { viewOf } from './external.js';

/** Reconciles managed resources of one kind, one key at a time per resource. */
export class Reconciler<ForProvider, ProviderConfig> {
  private readonly kind: ManagedKind<ForProvider, ProviderConfig>;
  private readonly type: ResourceType;
  private readonly kube: KubeClient;
  private readonly providerConfigs: ProviderConfigResolver;
  private readonly events: EventRecorder;
  private readonly metrics: ReconcileMetrics;
  private readonly recorder: ManagedMetricRecorder;
  private readonly status: ManagedStatusWriter;
  private readonly admission: ProviderConfigAdmission;
  private readonly ops: ManagedOperations<ForProvider>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly settings: ReconcilerSettings;

  constructor(options: ReconcilerOptions<ForProvider, ProviderConfig>) {
    this.kind = options.kind;
    this.type = resourceTypeOf(options.kind as ManagedKind<unknown, unknown>);
    this.kube = options.kube;
    this.providerConfigs = options.providerConfigs;
    this.events = options.events ?? noopEventRecorder;
    this.metrics = options.metrics ?? noopMetrics;
    this.clock = options.clock ?? systemClock;
    this.settings = settingsOf(options);
    this.recorder = new ManagedMetricRecorder(this.metrics, gvkOf(options.kind), this.clock);
    this.status = new ManagedStatusWriter(this.kube, this.type, this.clock);
    this.admission = new ProviderConfigAdmission(options.providerConfigRateLimiter ?? unlimited, this.clock);
    this.log = options.logger.child({ kind: options.kind.kind });
    this.ops = new ManagedOperations({
      kind: options.kind.kind,
      type: this.type,
      kube: this.kube,
      providerConfigs: this.providerConfigs,
      events: this.events,
      metrics: this.metrics,
      recorder: this.recorder,
      status: this.status,
      publisher: options.connectionPublisher ?? noopConnectionPublisher,
      critical:
        options.criticalAnnotationUpdater ??
        new RetryingCriticalAnnotationUpdater(
          this.kube,
          this.type,
          this.clock,
          options.criticalAttempts ?? 5,
        ),
      clock: this.clock,
      confirmAfterMs: this.settings.confirmAfterMs,
    });
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
      this.admission.forget(keyOf({ name, namespace }));
      return { action: 'done' };
    }
    const log = this.log.child({ resource: name, namespace });
    this.recorder.reconciled(mr);

    const pausedBy = isPaused(mr)
      ? 'annotation'
      : isPausedByPolicies(mr.spec.managementPolicies)
        ? 'policies'
        : undefined;
    if (pausedBy !== undefined) {
      this.events.record(mr, { type: 'Normal', reason: EventReason.Paused, message: pausedMessages.event });
      const result = await this.status.finish(
        mr,
        [{ ...reconcilePaused(), message: pausedMessages[pausedBy] }],
        { action: 'done' },
        log,
      );
      this.metrics.reconciled(this.kind.kind, 'paused');
      // Paused: only removing the annotation or setting policies (a watch event) resumes reconciling.
      return result;
    }
    const deadline = startDeadline(this.clock, this.settings.reconcileTimeoutMs);
    try {
      const result = await this.reconcileManaged(mr, log, deadline);
      this.metrics.reconciled(this.kind.kind, reconciledLabel(result));
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
      return this.status.fail(mr, wrap(errors.policies, err), log, { action: 'done' });
    }
    try {
      pollMs = pollIntervalOf(mr, this.settings.pollIntervalMs);
    } catch (err) {
      // Only an edit of the annotation can fix it, and an edit is a watch event.
      return this.status.fail(mr, wrap(errors.pollInterval, err), log, { action: 'done' });
    }

    if (isDeleting(mr) && !policies.delete) {
      // Without the Delete policy the external resource outlives the managed resource.
      return this.ops.finalize(mr, log);
    }
    if (isDeleting(mr) && !mr.metadata.finalizers?.includes(FINALIZER)) {
      // Never finalized by us (deleted before the first reconcile added the finalizer): nothing
      // external was created, but a usage may have been recorded.
      return this.ops.finalize(mr, log);
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
      return this.status.finish(mr, [creating(), reconcileError(error)], { action: 'done', error }, log);
    }

    const forProvider = this.kind.forProvider.safeParse(mr.spec.forProvider ?? {});
    if (!forProvider.success) {
      // Only an edit of the spec can fix it, and an edit is a watch event.
      return this.status.fail(mr, wrap(errors.validateForProvider, forProvider.error), log, {
        action: 'done',
      });
    }

    const wait = this.admission.admit(mr, isSettled(mr) ? 'routine' : 'pending');
    // Pending work waits for the provider config's budget: this poll of a settled resource yields.
    if (wait === undefined) {
      return {
        action: 'requeueAfter',
        ms: jittered(pollMs, this.settings.pollJitter, this.settings.random),
        throttled: true,
      };
    }
    // The provider config's budget of external calls is spent: come back when the reserved token is due.
    if (wait > 0) return { action: 'requeueAfter', ms: wait, throttled: true };

    let client: ExternalClient<ForProvider>;
    try {
      client = await this.connect(mr);
    } catch (err) {
      this.events.record(mr, { type: 'Warning', reason: EventReason.CannotConnect, message: messageOf(err) });
      return this.status.fail(mr, err, log);
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
    const view = this.ops.viewOf(mr, forProvider);
    let observation: ExternalObservation;
    try {
      observation = await this.ops.external('observe', () => client.observe(view), deadline);
    } catch (err) {
      this.events.record(mr, { type: 'Warning', reason: EventReason.CannotObserve, message: messageOf(err) });
      return this.status.fail(mr, wrap(errors.observe, err), log);
    }

    if (
      !observation.resourceExists &&
      createdWithin(mr, this.clock.now(), this.settings.creationGracePeriodMs)
    ) {
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
        return this.status.finish(mr, [deleting()], { action: 'requeue' }, log);
      }
      if (!observation.resourceExists) return this.ops.finalize(mr, log);
      return this.ops.deleteExternal(mr, client, view, log, deadline);
    }

    if (!observation.resourceExists && policies.observeOnly) {
      // Observe-only resources never create; the external resource may still appear, so poll.
      return this.status.finish(
        mr,
        [reconcileError(errors.observeOnlyMissing)],
        { action: 'requeueAfter', ms: pollMs, error: new Error(errors.observeOnlyMissing) },
        log,
      );
    }

    try {
      mr = await this.ops.ensureFinalizer(mr);
    } catch (err) {
      return this.status.fail(mr, wrap(errors.addFinalizer, err), log);
    }

    if (!observation.resourceExists && policies.create) {
      return this.ops.create(mr, client, forProvider, log, deadline);
    }

    if (observation.connectionDetails) {
      const failed = await this.ops.publish(mr, observation.connectionDetails, log);
      if (failed) return failed;
    }

    if (observation.resourceExists && policies.lateInitialize && observation.lateInitialized) {
      try {
        mr = await this.ops.lateInitialize(mr, observation.lateInitialized);
      } catch (err) {
        return this.status.fail(mr, wrap(errors.lateInitialize, err), log);
      }
    }

    if (observation.resourceExists && !observation.resourceUpToDate) this.recorder.drifted(mr);
    if (observation.resourceExists && !observation.resourceUpToDate && policies.update) {
      let updated: ExternalUpdate;
      try {
        updated = await this.ops.external(
          'update',
          () => client.update(this.ops.viewOf(mr, forProvider)),
          deadline,
        );
      } catch (err) {
        this.events.record(mr, {
          type: 'Warning',
          reason: EventReason.CannotUpdate,
          message: messageOf(err),
        });
        return this.status.fail(mr, wrap(errors.update, err), log);
      }
      if (updated.atProvider) observation = { ...observation, atProvider: updated.atProvider };
      log.info('updated external resource');
      // Published on their own: a Secret that cannot be written is not a failed update (it happened).
      if (updated.connectionDetails) {
        const failed = await this.ops.publish(mr, updated.connectionDetails, log);
        if (failed) return failed;
      }
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
        : unavailable(observation.unavailableBecause);
    if (observation.resourceExists && observation.available) this.recorder.ready(mr);
    this.recorder.synced(mr);
    // Up to date (or not ours to update): observe again after the poll interval to catch drift.
    return this.status.finish(
      mr,
      [ready, reconcileSuccess()],
      { action: 'requeueAfter', ms: jittered(pollMs, this.settings.pollJitter, this.settings.random) },
      log,
      observation.atProvider,
    );
  }
}

/** The result label of stackplane_managed_reconciles_total. */
function reconciledLabel(result: ReconcileResult): ReconciledResult {
  if (result.error !== undefined) return 'error';
  return result.action === 'requeueAfter' && result.throttled ? 'throttled' : 'success';
}
