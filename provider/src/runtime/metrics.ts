/**
 * Prometheus metrics of the runtime, served as text on /metrics (port 8080 by default, as Crossplane
 * providers do), under the names Crossplane's dashboards already use: crossplane-runtime's managed
 * resource metrics (crossplane_managed_resource_*), controller-runtime's reconcile metrics
 * (controller_runtime_reconcile_*) and client-go's work queue metrics (workqueue_*); beside them the
 * provider's own reconcile and external call metrics (stackplane_*).
 */
import http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The lifecycle events of a managed resource crossplane-runtime measures; seconds since the event began. */
export type ManagedLifecycleEvent = 'firstReconcile' | 'firstReady' | 'deleted' | 'drift';

/** What the reconciler reports. No-op by default, so tests need no registry. */
/** How a managed reconcile ended, as stackplane_managed_reconciles_total counts it. */
export type ReconciledResult = 'success' | 'error' | 'paused' | 'throttled';

export interface ReconcileMetrics {
  reconciled(kind: string, result: ReconciledResult): void;
  externalCall(kind: string, operation: string, result: 'success' | 'error', seconds: number): void;
  /** A lifecycle event of a resource of gvk ("group/version, Kind=Kind"), seconds after it began. */
  lifecycle?(gvk: string, event: ManagedLifecycleEvent, seconds: number): void;
}

/** What a controller and its work queue report, by controller name. */
export interface ControllerMetrics {
  reconcileFinished(
    controller: string,
    result: 'success' | 'error' | 'requeue' | 'requeue_after',
    seconds: number,
  ): void;
  workers(controller: string, max: number, active: number): void;
  queueAdded(queue: string): void;
  queueRetried(queue: string): void;
  queueDepth(queue: string, depth: number): void;
  queueWaited(queue: string, seconds: number): void;
  queueWorked(queue: string, seconds: number): void;
}

/** Reports nothing. */
export const noopMetrics: ReconcileMetrics = { reconciled: () => {}, externalCall: () => {} };

/** Reports nothing. */
export const noopControllerMetrics: ControllerMetrics = {
  reconcileFinished: () => {},
  workers: () => {},
  queueAdded: () => {},
  queueRetried: () => {},
  queueDepth: () => {},
  queueWaited: () => {},
  queueWorked: () => {},
};

/** Conditions of a cached managed resource, for the state gauges. */
export interface ManagedStateSource {
  gvk: string;
  list(): ReadonlyArray<{ status?: { conditions?: ReadonlyArray<{ type: string; status: string }> } }>;
}

/** The GroupVersionKind as Go prints it, crossplane-runtime's gvk label. */
export function gvkOf(kind: { group: string; version: string; kind: string }): string {
  return `${kind.group}/${kind.version}, Kind=${kind.kind}`;
}

const lifecycleBuckets = [1, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
/** client-go's work queue buckets: 10ns to 10s, by tens. */
const queueBuckets = Array.from({ length: 10 }, (_, i) => 1e-8 * 10 ** i);

/** ReconcileMetrics in a prom-client registry. */
export class PrometheusMetrics implements ReconcileMetrics {
  readonly registry = new Registry();
  private readonly reconciles = new Counter({
    name: 'stackplane_managed_reconciles_total',
    help: 'Reconciles of managed resources by kind and result: success, error, paused, or throttled (deferred by the provider config budget before any external call).',
    labelNames: ['kind', 'result'],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'stackplane_managed_reconcile_errors_total',
    help: 'Reconciles of managed resources that ended in an error, by kind.',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'stackplane_external_call_duration_seconds',
    help: 'Latency of calls to external APIs by kind, operation and result.',
    labelNames: ['kind', 'operation', 'result'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly lifecycleHistograms: Record<ManagedLifecycleEvent, Histogram<'gvk'>> = {
    firstReconcile: new Histogram({
      name: 'crossplane_managed_resource_first_time_to_reconcile_seconds',
      help: 'The time it took for a managed resource to be detected by the controller',
      labelNames: ['gvk'],
      buckets: queueBuckets,
      registers: [this.registry],
    }),
    firstReady: new Histogram({
      name: 'crossplane_managed_resource_first_time_to_readiness_seconds',
      help: 'The time it took for a managed resource to become ready first time after creation',
      labelNames: ['gvk'],
      buckets: lifecycleBuckets,
      registers: [this.registry],
    }),
    deleted: new Histogram({
      name: 'crossplane_managed_resource_deletion_seconds',
      help: 'The time it took for a managed resource to be deleted',
      labelNames: ['gvk'],
      buckets: lifecycleBuckets,
      registers: [this.registry],
    }),
    drift: new Histogram({
      name: 'crossplane_managed_resource_drift_seconds',
      help: 'How long since the previous successful reconcile when a resource was found to be out of sync; excludes restart of the provider',
      labelNames: ['gvk'],
      buckets: queueBuckets,
      registers: [this.registry],
    }),
  };
  private readonly stateSources: ManagedStateSource[] = [];
  private readonly reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'],
    registers: [this.registry],
  });
  private readonly reconcileErrors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'],
    registers: [this.registry],
  });
  private readonly reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'],
    buckets: [
      0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25,
      1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ],
    registers: [this.registry],
  });
  private readonly maxConcurrent = new Gauge({
    name: 'controller_runtime_max_concurrent_reconciles',
    help: 'Maximum number of concurrent reconciles per controller',
    labelNames: ['controller'],
    registers: [this.registry],
  });
  private readonly activeWorkers = new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: ['controller'],
    registers: [this.registry],
  });
  private readonly queueAdds = new Counter({
    name: 'workqueue_adds_total',
    help: 'Total number of adds handled by workqueue',
    labelNames: ['name', 'controller'],
    registers: [this.registry],
  });
  private readonly queueRetries = new Counter({
    name: 'workqueue_retries_total',
    help: 'Total number of retries handled by workqueue',
    labelNames: ['name', 'controller'],
    registers: [this.registry],
  });
  private readonly queueDepthGauge = new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue',
    labelNames: ['name', 'controller'],
    registers: [this.registry],
  });
  private readonly queueDuration = new Histogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'How long in seconds an item stays in workqueue before being requested',
    labelNames: ['name', 'controller'],
    buckets: queueBuckets,
    registers: [this.registry],
  });
  private readonly workDuration = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes',
    labelNames: ['name', 'controller'],
    buckets: queueBuckets,
    registers: [this.registry],
  });

  constructor(
    options: {
      processMetrics?: boolean;
      /**
       * How often the state gauges are counted again (--poll-state-metric); a scrape in between sees
       * the last count, as crossplane-runtime's state recorder's. Default 0: counted at every scrape.
       */
      stateIntervalMs?: number;
      /** Milliseconds since the epoch; injected by tests. */
      now?: () => number;
    } = {},
  ) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const sources = this.stateSources;
    const intervalMs = options.stateIntervalMs ?? 0;
    const now = options.now ?? Date.now;
    const state = (
      name: string,
      help: string,
      counts: (conditions: ReadonlyArray<{ type: string; status: string }>) => boolean,
    ) => {
      let countedAt: number | undefined;
      return new Gauge({
        name,
        help,
        labelNames: ['gvk'],
        registers: [this.registry],
        // Counted from the informer caches at scrape time, at most once per interval.
        collect() {
          if (countedAt !== undefined && now() - countedAt < intervalMs) return;
          countedAt = now();
          this.reset();
          for (const source of sources) {
            const n = source.list().filter((mr) => counts(mr.status?.conditions ?? [])).length;
            this.set({ gvk: source.gvk }, n);
          }
        },
      });
    };
    const isTrue = (type: string) => (conditions: ReadonlyArray<{ type: string; status: string }>) =>
      conditions.some((c) => c.type === type && c.status === 'True');
    state('crossplane_managed_resource_exists', 'The number of managed resources that exist', () => true);
    state(
      'crossplane_managed_resource_ready',
      'The number of managed resources in Ready=True state',
      isTrue('Ready'),
    );
    state(
      'crossplane_managed_resource_synced',
      'The number of managed resources in Synced=True state',
      isTrue('Synced'),
    );
  }

  /** Counts the managed resources of source in the state gauges. */
  addManagedState(source: ManagedStateSource): void {
    this.stateSources.push(source);
  }

  lifecycle(gvk: string, event: ManagedLifecycleEvent, seconds: number): void {
    this.lifecycleHistograms[event].observe({ gvk }, seconds);
  }

  reconcileFinished(
    controller: string,
    result: 'success' | 'error' | 'requeue' | 'requeue_after',
    seconds: number,
  ): void {
    this.reconcileTotal.inc({ controller, result });
    if (result === 'error') this.reconcileErrors.inc({ controller });
    this.reconcileTime.observe({ controller }, seconds);
  }

  workers(controller: string, max: number, active: number): void {
    this.maxConcurrent.set({ controller }, max);
    this.activeWorkers.set({ controller }, active);
  }

  queueAdded(queue: string): void {
    this.queueAdds.inc({ name: queue, controller: queue });
  }

  queueRetried(queue: string): void {
    this.queueRetries.inc({ name: queue, controller: queue });
  }

  queueDepth(queue: string, depth: number): void {
    this.queueDepthGauge.set({ name: queue, controller: queue }, depth);
  }

  queueWaited(queue: string, seconds: number): void {
    this.queueDuration.observe({ name: queue, controller: queue }, seconds);
  }

  queueWorked(queue: string, seconds: number): void {
    this.workDuration.observe({ name: queue, controller: queue }, seconds);
  }

  reconciled(kind: string, result: ReconciledResult): void {
    this.reconciles.inc({ kind, result });
    if (result === 'error') this.errors.inc({ kind });
  }

  externalCall(kind: string, operation: string, result: 'success' | 'error', seconds: number): void {
    this.latency.observe({ kind, operation, result }, seconds);
  }

  /** The text exposition format. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Serves /metrics of registry on host:port; close() stops it. */
export async function serveMetrics(
  metrics: PrometheusMetrics,
  port = 8080,
  host = '0.0.0.0',
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics
      .text()
      .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
      .catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
