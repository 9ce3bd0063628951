/** The EventRecorder port: Kubernetes events on a managed resource, best effort. */
import type { KubeClient, ResourceType } from './kube.js';
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

/** Writes core/v1 Events through the KubeClient; failures go to onError (a log line). */
export class KubeEventRecorder implements EventRecorder {
  constructor(
    private readonly kube: KubeClient,
    private readonly component: string,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  record(mr: ManagedResource, event: ManagedEvent): void {
    const namespace = mr.metadata.namespace ?? 'default';
    const now = new Date().toISOString();
    this.kube
      .create(events, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${mr.metadata.name}.${Date.now().toString(16)}${Math.random().toString(16).slice(2, 8)}`,
          namespace,
        },
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
      })
      .catch(this.onError);
  }
}
