/**
 * The lifecycle bookkeeping behind crossplane-runtime's managed resource metrics (its
 * MRMetricRecorder): when a resource was first reconciled and first Ready, how long it drifted
 * since it was last in sync, and how long its deletion took, per resource UID in this process.
 */
import type { Clock } from './clock.js';
import { conditionOf, TypeReady } from './conditions.js';
import type { ManagedLifecycleEvent, ReconcileMetrics } from './metrics.js';
import { keyOf, type ManagedResource } from './resource.js';

/** Records the lifecycle events of the managed resources of one kind. */
export class ManagedMetricRecorder {
  private readonly firstSeen = new Set<string>();
  private readonly firstReady = new Set<string>();
  private readonly lastSynced = new Map<string, number>();

  constructor(
    private readonly metrics: ReconcileMetrics,
    /** crossplane-runtime's gvk label: "group/version, Kind=Kind". */
    private readonly gvk: string,
    private readonly clock: Clock,
  ) {}

  /** The first reconcile of a resource in this process: seconds since it was created. */
  reconciled(mr: ManagedResource): void {
    const uid = uidOf(mr);
    if (this.firstSeen.has(uid)) return;
    this.firstSeen.add(uid);
    this.lifecycle('firstReconcile', mr.metadata.creationTimestamp);
  }

  /** The resource is available: the first time, seconds since it was created. */
  ready(mr: ManagedResource): void {
    const uid = uidOf(mr);
    if (this.firstReady.has(uid)) return;
    this.firstReady.add(uid);
    // Only a resource that becomes Ready now counts: one Ready before this process started does not.
    if (conditionOf(mr.status?.conditions, TypeReady)?.status === 'True') return;
    this.lifecycle('firstReady', mr.metadata.creationTimestamp);
  }

  /** The resource is in sync with its external resource now. */
  synced(mr: ManagedResource): void {
    this.lastSynced.set(uidOf(mr), this.clock.now().getTime());
  }

  /** The external resource drifted: seconds since the resource was last in sync. */
  drifted(mr: ManagedResource): void {
    const last = this.lastSynced.get(uidOf(mr));
    if (last !== undefined)
      this.metrics.lifecycle?.(this.gvk, 'drift', (this.clock.now().getTime() - last) / 1000);
  }

  /** The resource is finalized: seconds since its deletion began; its bookkeeping goes. */
  deleted(mr: ManagedResource): void {
    const uid = uidOf(mr);
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
}

const uidOf = (mr: ManagedResource): string => mr.metadata.uid ?? keyOf(mr.metadata);
