/**
 * The manager: one process's controllers for all registered managed kinds, behind leader election,
 * with metrics on :8080 and a graceful shutdown that lets running reconciles finish.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { SecretConnectionPublisher } from './connection.js';
import { Controller, InformerWatch, type ControllerOptions } from './controller.js';
import { KubeEventRecorder } from './events.js';
import { serveHealthProbes } from './health.js';
import { resourceTypeOf, type ManagedKind, type ProviderConfigStatusObserver } from './kind.js';
import { OwnWrites } from './own-writes.js';
import { RestKubeClient, type KubeClient, type KubeObject, type ResourceType } from './kube.js';
import { CachingKubeClient } from './cache.js';
import { LeaderElector, type LeaderElectionOptions } from './leader.js';
import { gvkOf, PrometheusMetrics, serveMetrics, type ManagedStateSource } from './metrics.js';
import { KubeProviderConfigResolver, providerConfigIdOf, providerConfigTypes } from './providerconfig.js';
import { ProviderConfigReconciler } from './providerconfig-reconciler.js';
import { Reconciler } from './reconciler.js';
import { messageOf } from './conditions.js';
import { KeyedRateLimiter } from './workqueue.js';

/** The timing options a Manager hands its Reconcilers. */
const TIMING = ['pollIntervalMs', 'confirmAfterMs', 'creationGracePeriodMs', 'reconcileTimeoutMs'] as const;
type Timing = Partial<Pick<ManagerOptions, (typeof TIMING)[number]>>;

/**
 * The timing options set, one rule for all: left out (undefined) takes the Reconciler's default, and
 * any number, 0 included, is used as given.
 */
export function reconcilerTiming(options: Timing): Timing {
  const timing: Timing = {};
  for (const name of TIMING) {
    const value = options[name];
    if (value !== undefined) timing[name] = value;
  }
  return timing;
}

/** Options of a Manager. */
export interface ManagerOptions {
  kubeConfig: KubeConfig;
  logger: Logger;
  /** The component name on events, e.g. "provider-stackplane". */
  component: string;
  /** Port of /metrics; false serves none (tests). Default 8080. */
  metricsPort?: number | false;
  /** Address /metrics listens on. Default 0.0.0.0. */
  metricsHost?: string;
  /** Port of /healthz and /readyz; false serves none (tests). Default 8081. */
  healthProbePort?: number | false;
  /** Address the probes listen on. Default 0.0.0.0. */
  healthProbeHost?: string;
  /** Lease to hold before reconciling; false runs without election (a single replica, tests). */
  leaderElection?: Omit<LeaderElectionOptions, 'clock'> | false;
  controller?: ControllerOptions;
  pollIntervalMs?: number;
  /** Share of the poll interval polls vary by, either way (see ReconcilerOptions.pollJitter). */
  pollJitter?: number;
  /** How often the managed resource state metrics are counted again. Default 5 seconds. */
  pollStateMetricIntervalMs?: number;
  /** How long every list and watch of one informer may fail before /healthz says so. Default 1 minute. */
  watchFailureToleranceMs?: number;
  /** Reconcile every managed resource this often even if nothing happened (--sync). Default never. */
  syncIntervalMs?: number;
  confirmAfterMs?: number;
  /** See ReconcilerOptions.creationGracePeriodMs. Default 30 seconds. */
  creationGracePeriodMs?: number;
  /** See ReconcilerOptions.reconcileTimeoutMs. Default 1 minute. */
  reconcileTimeoutMs?: number;
  clock?: Clock;
  /** Reconciles reaching the external API per provider config: rate per second and burst. Default 10/s, 100. */
  providerConfigRateLimit?: { ratePerSecond: number; burst: number };
  /** Where ClusterProviderConfig Secrets are by default: the provider's namespace. Default crossplane-system. */
  providerNamespace?: string;
  /** Reconcile resources of this namespace only; all namespaces by default. */
  namespace?: string;
  /** Replaces the REST client to the API server (tests inject faults here). */
  kube?: KubeClient;
}

/** Runs the controllers of the registered kinds. */
export class Manager {
  readonly metrics: PrometheusMetrics;
  /** The API server itself: leases and events, which must never come from a cache. */
  private readonly api: KubeClient;
  /** What the reconcilers use: watched types from their informer caches, the rest from the API. */
  private readonly kube: CachingKubeClient;
  /** Watches of provider configs and usages, shared by the reconcilers' cache and their controllers. */
  private readonly providerConfigWatches: Record<keyof typeof providerConfigTypes, InformerWatch>;
  private readonly controllers: Controller[] = [];
  /** Caches of kinds the external clients read (AdoptionGrants); started and stopped with the controllers. */
  private readonly readCaches: InformerWatch[] = [];
  /** Every informer: /readyz waits for each to list once, /healthz fails when one keeps failing. */
  private readonly watches: InformerWatch[] = [];
  /** The provider config status observers of the registered kinds, each once. */
  private readonly statusObservers = new Set<ProviderConfigStatusObserver<unknown>>();
  /** Shared by all kinds: a provider config's quota does not depend on the kind. */
  private readonly rateLimiter: KeyedRateLimiter;
  private elector: LeaderElector | undefined;
  private closeMetrics: (() => Promise<void>) | undefined;
  private closeProbes: (() => Promise<void>) | undefined;
  /** A standby replica: it waits for the Lease and is ready meanwhile. */
  private standby = false;
  private started = false;
  private lost = false;
  /** The ports actually served (a configured port 0 picks a free one). */
  readonly ports: { metrics?: number; healthProbes?: number } = {};
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: ManagerOptions) {
    this.metrics = new PrometheusMetrics({ stateIntervalMs: options.pollStateMetricIntervalMs ?? 5_000 });
    this.api = options.kube ?? new RestKubeClient(options.kubeConfig);
    this.kube = new CachingKubeClient(this.api);
    const watch = (type: ResourceType, namespace: string | undefined): InformerWatch => {
      const informer = new InformerWatch(options.kubeConfig, this.api, type, options.logger, namespace);
      this.kube.serve(type, informer, namespace);
      this.watches.push(informer);
      return informer;
    };
    this.providerConfigWatches = {
      ProviderConfig: watch(providerConfigTypes.ProviderConfig, options.namespace),
      ClusterProviderConfig: watch(providerConfigTypes.ClusterProviderConfig, undefined),
      ProviderConfigUsage: watch(providerConfigTypes.ProviderConfigUsage, options.namespace),
    };
    const limit = options.providerConfigRateLimit ?? { ratePerSecond: 10, burst: 100 };
    this.rateLimiter = new KeyedRateLimiter(limit.ratePerSecond, limit.burst, options.clock);
  }

  /**
   * A cache of a cluster-scoped type the external clients only read: its objects from the informer
   * once synced, from the API server before. Call before start().
   */
  cache(type: ResourceType): () => Promise<ReadonlyArray<KubeObject>> {
    const informer = new InformerWatch(
      this.options.kubeConfig,
      this.api,
      type,
      this.options.logger,
      undefined,
    );
    this.kube.serve(type, informer, undefined);
    this.readCaches.push(informer);
    return async () => (informer.synced() ? informer.list() : (await this.api.list(type)).items);
  }

  /** Registers a managed kind; call before start(). */
  register<ForProvider, ProviderConfig>(kind: ManagedKind<ForProvider, ProviderConfig>): this {
    const { logger } = this.options;
    if (kind.providerConfigStatus !== undefined) this.statusObservers.add(kind.providerConfigStatus);
    const reconciler = new Reconciler<ForProvider, ProviderConfig>({
      kind,
      kube: this.kube,
      providerConfigs: new KubeProviderConfigResolver(this.kube, this.options.providerNamespace),
      connectionPublisher: new SecretConnectionPublisher(this.kube),
      events: new KubeEventRecorder(this.api, this.options.component, (err) =>
        logger.debug({ err: messageOf(err) }, 'cannot record event'),
      ),
      metrics: this.metrics,
      providerConfigRateLimiter: this.rateLimiter,
      logger,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...reconcilerTiming(this.options),
      ...(this.options.pollJitter === undefined ? {} : { pollJitter: this.options.pollJitter }),
    });
    const type = resourceTypeOf(kind);
    const watch = new InformerWatch(this.options.kubeConfig, this.api, type, logger, this.options.namespace);
    this.kube.serve(type, watch, this.options.namespace);
    const ownWrites = new OwnWrites();
    this.kube.recordWrites(type, ownWrites);
    this.watches.push(watch);
    this.metrics.addManagedState({
      gvk: gvkOf(kind),
      list: () => watch.list() as ReturnType<ManagedStateSource['list']>,
    });
    const name = `managed/${kind.plural}.${kind.group}`;
    this.controllers.push(
      new Controller(name, watch, reconciler, logger, {
        ...this.options.controller,
        metrics: this.metrics,
        ownWrites,
        ...(this.options.syncIntervalMs === undefined ? {} : { resyncMs: this.options.syncIntervalMs }),
      }),
    );
    return this;
  }

  /**
   * Counts usages of provider configs and keeps those in use; started with the managed kinds. A
   * usage that comes or goes reconciles its provider config at once.
   */
  private registerProviderConfigs(): void {
    const { logger } = this.options;
    for (const kind of ['ProviderConfig', 'ClusterProviderConfig'] as const) {
      const reconciler = new ProviderConfigReconciler({
        kind,
        kube: this.kube,
        logger,
        statusObservers: [...this.statusObservers],
        ...(this.options.providerNamespace ? { providerNamespace: this.options.providerNamespace } : {}),
        ...(this.options.pollIntervalMs === undefined ? {} : { pollIntervalMs: this.options.pollIntervalMs }),
        ...(this.options.clock ? { clock: this.options.clock } : {}),
      });
      const type = providerConfigTypes[kind];
      const watch = this.providerConfigWatches[kind];
      // A deleted config's sessions (which hold its credentials) go with it.
      watch.onDelete((config) => {
        const id = providerConfigIdOf(kind, config.metadata.name, config.metadata.namespace);
        for (const observer of this.statusObservers) observer.forget?.(id);
      });
      const usages = this.providerConfigWatches.ProviderConfigUsage;
      const name = `providerconfig/${type.plural}.${type.group}`;
      const controller = new Controller(name, watch, reconciler, logger, {
        concurrency: 1,
        metrics: this.metrics,
      });
      this.controllers.push(controller.watchRelated(usages, (usage) => providerConfigKeysOf(kind, usage)));
    }
  }

  /**
   * Serves metrics, waits for leadership, then starts every controller. onLost runs when leadership
   * is lost; the process should then exit, as controller-runtime's managers do.
   */
  async start(onLost: () => void = () => {}): Promise<void> {
    const { metricsPort = 8080, metricsHost, healthProbePort = 8081, healthProbeHost } = this.options;
    const { leaderElection = false, logger } = this.options;
    if (metricsPort !== false) {
      const served = await serveMetrics(this.metrics, metricsPort, metricsHost);
      this.closeMetrics = served.close;
      this.ports.metrics = served.port;
      logger.info({ port: served.port }, 'serving metrics');
    }
    if (healthProbePort !== false) {
      const served = await serveHealthProbes(
        { healthy: () => this.healthy(), ready: () => this.ready() },
        healthProbePort,
        healthProbeHost,
      );
      this.closeProbes = served.close;
      this.ports.healthProbes = served.port;
      logger.info({ port: served.port }, 'serving health probes');
    }
    if (leaderElection) {
      this.elector = new LeaderElector(
        this.api,
        { ...leaderElection, ...(this.options.clock ? { clock: this.options.clock } : {}) },
        logger,
      );
      // A standby replica is ready: it serves its probes and takes over when the leader goes.
      this.standby = true;
      const leading = await this.elector.acquire(() => {
        this.lost = true;
        onLost();
      });
      if (!leading) return;
      this.standby = false;
    }
    if (this.controllers.length > 0) this.registerProviderConfigs();
    // Not awaited: until a cache is synced its readers ask the API server.
    for (const cache of this.readCaches) {
      cache.start().catch((err: unknown) => logger.warn({ err: messageOf(err) }, 'cannot start cache'));
    }
    for (const controller of this.controllers) await controller.start();
    this.started = true;
  }

  /** Ready once every informer has listed its objects, as controller-runtime waits for its caches. */
  ready(): boolean {
    if (this.standby) return true;
    // Without managed kinds no informer starts (tests register none).
    return this.started && (this.controllers.length === 0 || this.watches.every((w) => w.synced()));
  }

  /** False once leadership is lost, while stopping, or while an informer has failed for too long. */
  healthy(): boolean {
    if (this.lost || this.stopping !== undefined) return false;
    const tolerance = this.options.watchFailureToleranceMs ?? 60_000;
    const now = Date.now();
    return this.watches.every((w) => {
      const since = w.failingSince();
      return since === undefined || now - since < tolerance;
    });
  }

  /** Stops watching, lets running reconciles finish, releases the lease and the metrics port. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all([...this.controllers, ...this.readCaches].map((c) => c.stop()));
      await this.elector
        ?.release()
        .catch((err: unknown) => this.options.logger.warn({ err: messageOf(err) }, 'cannot release lease'));
      await this.closeMetrics?.();
      await this.closeProbes?.();
    })();
    return this.stopping;
  }
}

/** Starts manager and stops it gracefully on SIGTERM or SIGINT (and exits when leadership is lost). */
export async function runUntilSignalled(manager: Manager, logger: Logger): Promise<void> {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    manager.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await manager.start(() => {
    // Another replica may already be reconciling: stop at once rather than race it.
    process.exit(1);
  });
}

const usageShape = z.object({
  metadata: z.object({ namespace: z.string().optional() }),
  providerConfigRef: z.object({ kind: z.string(), name: z.string() }),
});

/** The key of the provider config of kind a ProviderConfigUsage points at, if any. */
export function providerConfigKeysOf(
  kind: 'ProviderConfig' | 'ClusterProviderConfig',
  usage: unknown,
): string[] {
  const parsed = usageShape.safeParse(usage);
  if (!parsed.success || parsed.data.providerConfigRef.kind !== kind) return [];
  const { name } = parsed.data.providerConfigRef;
  return [kind === 'ProviderConfig' ? `${parsed.data.metadata.namespace ?? ''}/${name}` : name];
}
