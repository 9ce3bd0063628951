/** The EventRecorder port: Kubernetes events on a managed resource, best effort. */
import { isNotFound, type KubeClient, type KubeObject, type ResourceType } from './kube.js';
import type { ManagedResource } from './resource.js';

/** One event. Messages must never contain a secret value. */
export interface ManagedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Records events; never throws (an event is worth less than the reconcile that emits it). */
export interface EventRecorder {
  record(mr: ManagedResource, event: ManagedEvent): void;
}

/** Records nothing. */
export const noopEventRecorder: EventRecorder = { record: () => {} };

/** Event reasons the reconciler emits, after crossplane-runtime's. */
export const EventReason = {
  CannotObserve: 'CannotObserveExternalResource',
  CannotCreate: 'CannotCreateExternalResource',
  CannotUpdate: 'CannotUpdateExternalResource',
  CannotDelete: 'CannotDeleteExternalResource',
  CannotConnect: 'CannotConnectToProvider',
  CannotPublish: 'CannotPublishConnectionDetails',
  CannotInitialize: 'CannotInitializeManagedResource',
  CreatedExternal: 'CreatedExternalResource',
  UpdatedExternal: 'UpdatedExternalResource',
  DeletedExternal: 'DeletedExternalResource',
  Paused: 'ReconciliationPaused',
  Pending: 'PendingExternalResource',
} as const;

const events: ResourceType = { group: '', version: 'v1', plural: 'events', namespaced: true };

/** Aggregated events remembered at once, as client-go's recorder's LRU. */
const MAX_REMEMBERED = 4096;

interface Remembered {
  name: string;
  namespace: string;
  count: number;
}

/**
 * Writes core/v1 Events through the KubeClient, aggregated as client-go's recorder does: the same
 * event on the same object (type, reason, message) again raises count and lastTimestamp of one Event
 * instead of making a new object per retry. Failures go to onError (a log line).
 */
export class KubeEventRecorder implements EventRecorder {
  private readonly remembered = new Map<string, Remembered>();
  /** One write at a time per aggregate, so two reconciles never create one Event twice. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    private readonly kube: KubeClient,
    private readonly component: string,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(mr: ManagedResource, event: ManagedEvent): void {
    const key = JSON.stringify([
      mr.metadata.uid ?? mr.metadata.name,
      event.type,
      event.reason,
      event.message,
    ]);
    const previous = this.writing.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.write(key, mr, event))
      .catch(this.onError)
      .finally(() => {
        if (this.writing.get(key) === next) this.writing.delete(key);
      });
    this.writing.set(key, next);
  }

  /** Waits for the writes recorded so far (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all(this.writing.values());
  }

  private async write(key: string, mr: ManagedResource, event: ManagedEvent): Promise<void> {
    const now = this.now().toISOString();
    const known = this.remembered.get(key);
    if (known !== undefined) {
      try {
        await this.kube.mergePatch(events, known.name, known.namespace, {
          count: known.count + 1,
          lastTimestamp: now,
        });
        this.remember(key, { ...known, count: known.count + 1 });
        return;
      } catch (err) {
        // The Event expired (the API server keeps them for an hour): start a new one.
        if (!isNotFound(err)) throw err;
      }
    }
    const namespace = mr.metadata.namespace ?? 'default';
    const name = `${mr.metadata.name}.${Date.now().toString(16)}${Math.random().toString(16).slice(2, 8)}`;
    await this.kube.create(events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: mr.apiVersion,
        kind: mr.kind,
        name: mr.metadata.name,
        namespace,
        uid: mr.metadata.uid,
        resourceVersion: mr.metadata.resourceVersion,
      },
      type: event.type,
      reason: event.reason,
      message: event.message,
      source: { component: this.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    } as KubeObject);
    this.remember(key, { name, namespace, count: 1 });
  }

  private remember(key: string, value: Remembered): void {
    // Most recently used last; the oldest goes first when full.
    this.remembered.delete(key);
    this.remembered.set(key, value);
    if (this.remembered.size > MAX_REMEMBERED) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }
}
