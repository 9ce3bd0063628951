/**
 * Admission of reconciles to the external API, per provider config: each provider config is an
 * account or an endpoint with a quota of its own, so its reconciles share one rate limit. A
 * crossplane-runtime provider wraps its reconciler in a rate limiter keyed by the request; this one
 * keys by provider config, so it admits where the reconcile is about to reach the external API, and
 * reconciles that never do (paused, invalid, finalizing) are never held back.
 */
import type { Clock } from './clock.js';
import { providerConfigRefOf } from './providerconfig.js';
import { keyOf, type ManagedResource } from './resource.js';

/** Hands out tokens per key: 0 when one is free now, else the wait for the one reserved. */
export interface TokenReserver {
  reserve(key: string): number;
  /** As reserve, unless earlier reservations are still waiting: then undefined, reserving nothing. */
  reserveUnlessBacklogged(key: string): number | undefined;
}

/** Admits everything at once. */
export const unlimited: TokenReserver = { reserve: () => 0, reserveUnlessBacklogged: () => 0 };

/**
 * What a reconcile asks of its provider config's budget. Pending work (new, changed, failing or
 * deleting resources) reserves the next token, however far ahead. A routine poll of a settled
 * resource takes one only while no pending work waits for the budget, and is otherwise skipped until
 * its next poll, so that a burst of new resources is not queued behind the polls of thousands of
 * healthy ones: controller-runtime's priority queue puts resyncs behind changes for the same reason.
 */
export type Urgency = 'pending' | 'routine';

/** Admits the reconciles of each provider config at the rate its limiter allows. */
export class ProviderConfigAdmission {
  /** Resources holding a reserved token of their provider config: when it is due (ms since epoch). */
  private readonly reserved = new Map<string, number>();

  constructor(
    private readonly limiter: TokenReserver,
    private readonly clock: Clock,
  ) {}

  /**
   * 0 when the reconcile may reach the external API now, else the wait for the token reserved for
   * it; undefined when a routine poll is to be skipped (it reserved nothing). A resource keeps its
   * reservation until it is due, so an early wake-up (a watch event) neither takes a second token
   * nor loses its place.
   */
  admit(mr: ManagedResource, urgency: Urgency = 'pending'): number | undefined {
    const key = keyOf(mr.metadata);
    const now = this.clock.now().getTime();
    const due = this.reserved.get(key);
    if (due !== undefined) {
      if (due > now) return due - now;
      this.reserved.delete(key);
      return 0;
    }
    const ref = providerConfigRefOf(mr);
    const budget = `${ref.kind}/${ref.kind === 'ProviderConfig' ? mr.metadata.namespace : ''}/${ref.name}`;
    const wait =
      urgency === 'routine' ? this.limiter.reserveUnlessBacklogged(budget) : this.limiter.reserve(budget);
    if (wait === undefined) return undefined;
    if (wait > 0) this.reserved.set(key, now + wait);
    return wait;
  }

  /** Drops the reservation of a resource that is gone. */
  forget(key: string): void {
    this.reserved.delete(key);
  }
}
