/**
 * The time limits of a reconcile: the deadline its external calls share, as crossplane-runtime's
 * reconcile timeout, and the jitter that spreads polls of resources created together.
 */
import type { Clock } from './clock.js';
import { Annotation, type ManagedResource } from './resource.js';

/** How long one reconcile may wait for the external API, as crossplane-runtime's reconcile timeout. */
export const DEFAULT_RECONCILE_TIMEOUT_MS = 60_000;
/** Share of the poll interval polls vary by, either way. */
export const DEFAULT_POLL_JITTER = 0.05;

/** Why a reconcile stopped waiting for the external API. */
export const timedOutMessage =
  'cannot finish reconcile: the external API did not answer within the reconcile timeout';

/** An external call did not finish before the reconcile's deadline. */
export class ReconcileTimeoutError extends Error {
  override name = 'ReconcileTimeoutError';
}

/** The deadline of one reconcile: external calls still running when it passes are abandoned. */
export interface Deadline {
  /** The call's outcome, or a ReconcileTimeoutError once the deadline passed. */
  race<T>(call: Promise<T>): Promise<T>;
  /** Stops the timer; call when the reconcile ends. */
  cancel(): void;
}

/** Starts the deadline of one reconcile, ms from now on clock. */
export function startDeadline(clock: Clock, ms: number): Deadline {
  let expire: (err: Error) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  // Unobserved until a call races it.
  expired.catch(() => {});
  const cancel = clock.after(ms, () => expire(new ReconcileTimeoutError(timedOutMessage)));
  return { race: (call) => Promise.race([call, expired]), cancel };
}

/** ms varied by up to share either way, with random() in [0, 1). */
export function jittered(ms: number, share: number, random: () => number): number {
  return Math.round(ms * (1 + (random() * 2 - 1) * share));
}

/**
 * Whether a create succeeded less than graceMs before now: until then an observation that the
 * external resource does not exist is not believed (an eventually consistent API may not list it yet).
 */
export function createdWithin(mr: ManagedResource, now: Date, graceMs: number): boolean {
  const succeeded = Date.parse(mr.metadata.annotations?.[Annotation.ExternalCreateSucceeded] ?? '');
  return Number.isFinite(succeeded) && now.getTime() - succeeded < graceMs;
}
