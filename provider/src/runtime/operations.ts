/**
 * The writes of a managed reconcile, each with its bookkeeping: creating (with the critical
 * annotations that keep a create from being lost or repeated), updating, deleting, publishing
 * connection details and finalizing, each reported as events and status. The Reconciler decides
 * which to make; these make them.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { creating, deleting, messageOf, reconcileSuccess } from './conditions.js';
import type { ConnectionPublisher } from './connection.js';
import { patchMetadata, type CriticalAnnotationUpdater, type MetadataPatch } from './critical-annotations.js';
import { EventReason, type EventRecorder } from './events.js';
import { viewOf, type ConnectionDetails, type ExternalClient, type ManagedView } from './external.js';
import type { KubeClient, ResourceType } from './kube.js';
import type { ManagedMetricRecorder } from './metric-recorder.js';
import type { ReconcileMetrics } from './metrics.js';
import type { ProviderConfigResolver } from './providerconfig.js';
import { errors, wrap, type ReconcileResult } from './reconcile-result.js';
import { Annotation, FINALIZER, type ManagedResource } from './resource.js';
import type { ManagedStatusWriter } from './status-writer.js';
import { ReconcileTimeoutError, type Deadline } from './timing.js';

/** What the writes need: the ports of one Reconciler. */
export interface OperationPorts {
  kind: string;
  type: ResourceType;
  kube: KubeClient;
  providerConfigs: ProviderConfigResolver;
  publisher: ConnectionPublisher;
  events: EventRecorder;
  metrics: ReconcileMetrics;
  recorder: ManagedMetricRecorder;
  status: ManagedStatusWriter;
  critical: CriticalAnnotationUpdater;
  clock: Clock;
  /** Wait before confirming a create or delete by observing again. */
  confirmAfterMs: number;
}

/** The writes of one kind's Reconciler. */
export class ManagedOperations<ForProvider> {
  constructor(private readonly ports: OperationPorts) {}

  /** Deletes the external resource, then waits to confirm before the finalizer goes. */
  async deleteExternal(
    mr: ManagedResource,
    client: ExternalClient<ForProvider>,
    view: ManagedView<ForProvider>,
    log: Logger,
    deadline: Deadline,
  ): Promise<ReconcileResult> {
    try {
      await this.external('delete', () => client.delete(view), deadline);
    } catch (err) {
      this.ports.events.record(mr, {
        type: 'Warning',
        reason: EventReason.CannotDelete,
        message: messageOf(err),
      });
      return this.ports.status.fail(mr, wrap(errors.delete, err), log, undefined, [deleting()]);
    }
    log.info('deleted external resource');
    this.ports.events.record(mr, {
      type: 'Normal',
      reason: EventReason.DeletedExternal,
      message: 'Successfully requested deletion of external resource',
    });
    // Deletion may take a while: observe again soon and remove the finalizer once it is gone.
    return this.ports.status.finish(
      mr,
      [deleting(), reconcileSuccess()],
      { action: 'requeueAfter', ms: this.ports.confirmAfterMs },
      log,
    );
  }

  /**
   * Creates the external resource. The pending annotation is persisted first, conditionally on the
   * resource version just read, so that no two reconciles (or a reconcile after a crash) both create.
   */
  async create(
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
      return this.ports.status.fail(mr, wrap(errors.recordPending, err), log);
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
      this.ports.events.record(mr, {
        type: 'Warning',
        reason: EventReason.CannotCreate,
        message: messageOf(err),
      });
      if (err instanceof ReconcileTimeoutError) {
        // The create may still succeed: leave it pending, so that nothing creates it a second time.
        return this.ports.status.fail(mr, wrap(errors.create, err), log, undefined, [creating()]);
      }
      try {
        mr = await this.ports.critical.update(mr, { [Annotation.ExternalCreateFailed]: this.timestamp() });
      } catch (recordErr) {
        log.error({ err: messageOf(recordErr) }, errors.recordCreated);
      }
      return this.ports.status.fail(mr, wrap(errors.create, err), log, undefined, [creating()]);
    }
    const annotations: Record<string, string> = { [Annotation.ExternalCreateSucceeded]: this.timestamp() };
    if (externalName !== undefined) annotations[Annotation.ExternalName] = externalName;
    try {
      mr = await this.ports.critical.update(mr, annotations);
    } catch (err) {
      // The pending annotation stays: the next reconcile refuses to create again (see isCreateIncomplete).
      log.error({ err: messageOf(err), externalName }, errors.recordCreated);
      return this.ports.status.fail(mr, wrap(errors.recordCreated, err), log, undefined, [creating()]);
    }
    log.info({ externalName }, 'created external resource');
    this.ports.events.record(mr, {
      type: 'Normal',
      reason: EventReason.CreatedExternal,
      message: 'Successfully requested creation of external resource',
    });
    if (details) {
      try {
        await this.ports.publisher.publish(mr, details);
      } catch (err) {
        return this.ports.status.fail(mr, wrap(errors.publish, err), log, undefined, [creating()]);
      }
    }
    // Creation takes a while in many external systems: observe again soon rather than after a poll.
    return this.ports.status.finish(
      mr,
      [creating(), reconcileSuccess()],
      { action: 'requeueAfter', ms: this.ports.confirmAfterMs },
      log,
    );
  }

  /** Publishes connection details; the failure's result when they cannot be, reported as such. */
  async publish(
    mr: ManagedResource,
    details: ConnectionDetails,
    log: Logger,
  ): Promise<ReconcileResult | undefined> {
    try {
      await this.ports.publisher.publish(mr, details);
      return undefined;
    } catch (err) {
      this.ports.events.record(mr, {
        type: 'Warning',
        reason: EventReason.CannotPublish,
        message: messageOf(err),
      });
      return this.ports.status.fail(mr, wrap(errors.publish, err), log);
    }
  }

  /** Removes the connection Secret, the provider config usage and then the finalizer. */
  async finalize(mr: ManagedResource, log: Logger): Promise<ReconcileResult> {
    try {
      await this.ports.publisher.unpublish(mr);
    } catch (err) {
      return this.ports.status.fail(mr, wrap(errors.unpublish, err), log, undefined, [deleting()]);
    }
    try {
      await this.ports.providerConfigs.release(mr);
    } catch (err) {
      return this.ports.status.fail(mr, wrap(errors.releaseUsage, err), log, undefined, [deleting()]);
    }
    const finalizers = mr.metadata.finalizers ?? [];
    if (finalizers.includes(FINALIZER)) {
      try {
        await this.patchMetadata(mr, { finalizers: finalizers.filter((f) => f !== FINALIZER) }, true);
      } catch (err) {
        return this.ports.status.fail(mr, wrap(errors.removeFinalizer, err), log, undefined, [deleting()]);
      }
    }
    log.info('finalized managed resource');
    this.ports.recorder.deleted(mr);
    // Gone (or about to be): no watch event will follow that needs this key.
    return { action: 'done' };
  }

  async ensureFinalizer(mr: ManagedResource): Promise<ManagedResource> {
    const finalizers = mr.metadata.finalizers ?? [];
    if (finalizers.includes(FINALIZER)) return mr;
    return this.patchMetadata(mr, { finalizers: [...finalizers, FINALIZER] }, true);
  }

  /** Fills spec.forProvider fields the user left out with what the external system defaulted. */
  async lateInitialize(mr: ManagedResource, observed: Record<string, unknown>): Promise<ManagedResource> {
    const current = (mr.spec.forProvider ?? {}) as Record<string, unknown>;
    const missing = Object.fromEntries(
      Object.entries(observed).filter(([key]) => current[key] === undefined),
    );
    if (Object.keys(missing).length === 0) return mr;
    return this.ports.kube.mergePatch<ManagedResource>(
      this.ports.type,
      mr.metadata.name,
      mr.metadata.namespace,
      {
        metadata: { resourceVersion: mr.metadata.resourceVersion },
        spec: { forProvider: missing },
      },
    );
  }

  /** Merge-patches metadata; conditional patches fail with a conflict if the resource changed. */
  private patchMetadata(
    mr: ManagedResource,
    metadata: MetadataPatch,
    conditional: boolean,
  ): Promise<ManagedResource> {
    return patchMetadata(this.ports.kube, this.ports.type, mr, metadata, conditional);
  }

  /** Calls the external API within the reconcile's deadline, measuring latency. */
  async external<T>(operation: string, call: () => Promise<T>, deadline: Deadline): Promise<T> {
    const start = performance.now();
    try {
      const value = await deadline.race(call());
      this.ports.metrics.externalCall(
        this.ports.kind,
        operation,
        'success',
        (performance.now() - start) / 1000,
      );
      return value;
    } catch (err) {
      this.ports.metrics.externalCall(
        this.ports.kind,
        operation,
        'error',
        (performance.now() - start) / 1000,
      );
      throw err;
    }
  }

  /** The view of a resource its external client gets, with access to what it published. */
  viewOf(mr: ManagedResource, forProvider: ForProvider): ManagedView<ForProvider> {
    const view = viewOf(mr, forProvider);
    if (!mr.spec.writeConnectionSecretToRef) return view;
    return { ...view, published: () => this.ports.publisher.read(mr) };
  }

  private timestamp(): string {
    return this.ports.clock.now().toISOString();
  }
}
