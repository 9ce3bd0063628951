/**
 * Leader election with a coordination.k8s.io/v1 Lease, after client-go's leaderelection: only the
 * holder of the lease runs controllers; it renews the lease every retry period, and a candidate takes
 * over once the holder has not renewed for a lease duration.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import { messageOf } from './conditions.js';
import { isConflict, type KubeClient, type KubeObject, type ResourceType } from './kube.js';

const leases: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  namespaced: true,
};

interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** Options of a LeaderElector; durations follow controller-runtime's defaults. */
export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  /** How long a lease is valid without renewal. Default 15s. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading. Default 10s. */
  renewDeadlineMs?: number;
  /** How often to try to acquire or renew. Default 2s. */
  retryPeriodMs?: number;
  clock?: Clock;
}

/** Thrown by a single attempt that found the lease held by someone else. */
class LeaseHeldError extends Error {}

/** Acquires, renews and releases one Lease. */
export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private stopped = false;
  /**
   * The lease record as last seen and when, by this process's clock. As in client-go, expiry is
   * judged by how long the record has not changed here, never by the holder's renewTime: the
   * holder's clock may be behind or ahead of this one.
   */
  private observed: { record: string; at: number } | undefined;
  private cancelTimer: () => void = () => {};

  constructor(
    private readonly kube: KubeClient,
    private readonly options: LeaderElectionOptions,
    private readonly log: Logger,
  ) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Resolves once this process holds the lease, then renews it in the background; onLost runs if a
   * renewal does not succeed within the renew deadline. Resolves false when stopped before leading.
   */
  async acquire(onLost: () => void): Promise<boolean> {
    while (!this.stopped) {
      try {
        await this.tryAcquireOrRenew();
        this.log.info({ lease: `${this.options.namespace}/${this.options.name}` }, 'became leader');
        this.renewLoop(onLost, this.clock.now().getTime());
        return true;
      } catch (err) {
        if (!(err instanceof LeaseHeldError) && !isConflict(err)) {
          this.log.warn({ err: messageOf(err) }, 'cannot acquire lease');
        }
      }
      await this.sleep(this.retryPeriodMs);
    }
    return false;
  }

  /** Stops renewing and gives the lease up, so a successor need not wait for it to expire. */
  async release(): Promise<void> {
    this.stopped = true;
    this.cancelTimer();
    const lease = await this.kube.get<Lease>(leases, this.options.name, this.options.namespace);
    if (lease?.spec?.holderIdentity !== this.options.identity) return;
    await this.kube.mergePatch(leases, this.options.name, this.options.namespace, {
      metadata: { resourceVersion: lease.metadata.resourceVersion },
      spec: { holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(this.clock.now()) },
    });
  }

  private renewLoop(onLost: () => void, lastRenewal: number): void {
    this.cancelTimer = this.clock.after(this.retryPeriodMs, () => {
      if (this.stopped) return;
      this.tryAcquireOrRenew()
        .then(() => this.renewLoop(onLost, this.clock.now().getTime()))
        .catch((err: unknown) => {
          if (this.stopped) return;
          if (
            this.clock.now().getTime() - lastRenewal < this.renewDeadlineMs &&
            !(err instanceof LeaseHeldError)
          ) {
            this.renewLoop(onLost, lastRenewal);
            return;
          }
          this.log.error({ err: messageOf(err) }, 'lost leadership');
          this.stopped = true;
          onLost();
        });
    });
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const { namespace, name, identity } = this.options;
    const now = this.clock.now();
    const lease = await this.kube.get<Lease>(leases, name, namespace);
    const spec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      renewTime: microTime(now),
    };
    if (lease === undefined) {
      await this.kube.create<Lease>(leases, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 },
      });
      return;
    }
    const holder = lease.spec?.holderIdentity;
    const record = JSON.stringify([
      holder,
      lease.spec?.renewTime,
      lease.spec?.acquireTime,
      lease.spec?.leaseDurationSeconds,
      lease.spec?.leaseTransitions,
    ]);
    if (this.observed?.record !== record) this.observed = { record, at: now.getTime() };
    if (holder && holder !== identity) {
      const duration = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
      if (this.observed.at + duration > now.getTime()) throw new LeaseHeldError(`lease held by ${holder}`);
    }
    const takeover = holder !== identity;
    // Conditional on the version read: of two candidates taking over at once, one gets a conflict.
    await this.kube.mergePatch(leases, name, namespace, {
      metadata: { resourceVersion: lease.metadata.resourceVersion },
      spec: takeover
        ? { ...spec, acquireTime: microTime(now), leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + 1 }
        : spec,
    });
  }

  /** Waits ms; release() ends the wait early. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.clock.after(ms, resolve);
      this.cancelTimer = () => {
        cancel();
        resolve();
      };
    });
  }
}

/** A Kubernetes MicroTime: RFC 3339 with six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
