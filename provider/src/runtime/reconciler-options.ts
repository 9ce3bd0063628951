/** The dependencies and settings of a managed Reconciler, with their defaults. */
import type { Logger } from 'pino';
import type { TokenReserver } from './admission.js';
import type { Clock } from './clock.js';
import type { ConnectionPublisher } from './connection.js';
import type { CriticalAnnotationUpdater } from './critical-annotations.js';
import type { EventRecorder } from './events.js';
import type { ManagedKind } from './kind.js';
import type { KubeClient } from './kube.js';
import type { ReconcileMetrics } from './metrics.js';
import type { ProviderConfigResolver } from './providerconfig.js';
import { DEFAULT_POLL_INTERVAL_MS } from './resource.js';
import { DEFAULT_POLL_JITTER, DEFAULT_RECONCILE_TIMEOUT_MS } from './timing.js';

/** How long to trust a recorded create over an observation that the resource does not exist. */
export const DEFAULT_CREATION_GRACE_PERIOD_MS = 30_000;
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
  /** Records the annotations that must not be lost. Default: retried criticalAttempts times. */
  criticalAnnotationUpdater?: CriticalAnnotationUpdater;
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
  providerConfigRateLimiter?: TokenReserver;
  /** Share of the poll interval polls vary by, either way, so resources created together spread out. Default 0.05. */
  pollJitter?: number;
  /** Random numbers in [0, 1) for the jitter; injected by tests. */
  random?: () => number;
}

/** The settings of a Reconciler, defaults applied: undefined takes the default, any number is used as given. */
export interface ReconcilerSettings {
  pollIntervalMs: number;
  confirmAfterMs: number;
  creationGracePeriodMs: number;
  reconcileTimeoutMs: number;
  pollJitter: number;
  random: () => number;
}

/** The settings of options, defaults applied. */
export function settingsOf(options: ReconcilerOptions<unknown, unknown>): ReconcilerSettings {
  return {
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    confirmAfterMs: options.confirmAfterMs ?? 1_000,
    creationGracePeriodMs: options.creationGracePeriodMs ?? DEFAULT_CREATION_GRACE_PERIOD_MS,
    reconcileTimeoutMs: options.reconcileTimeoutMs ?? DEFAULT_RECONCILE_TIMEOUT_MS,
    pollJitter: options.pollJitter ?? DEFAULT_POLL_JITTER,
    random: options.random ?? Math.random,
  };
}
