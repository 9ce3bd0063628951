/**
 * Prometheus metrics of the runtime: reconciles, reconcile errors and external call latency, served
 * as text on /metrics (port 8080 by default, as Crossplane providers do).
 */
import http from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the reconciler reports. No-op by default, so tests need no registry. */
export interface ReconcileMetrics {
  reconciled(kind: string, result: 'success' | 'error' | 'paused'): void;
  externalCall(kind: string, operation: string, result: 'success' | 'error', seconds: number): void;
}

/** Reports nothing. */
export const noopMetrics: ReconcileMetrics = { reconciled: () => {}, externalCall: () => {} };

/** ReconcileMetrics in a prom-client registry. */
export class PrometheusMetrics implements ReconcileMetrics {
  readonly registry = new Registry();
  private readonly reconciles = new Counter({
    name: 'stackplane_managed_reconciles_total',
    help: 'Reconciles of managed resources by kind and result.',
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

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  reconciled(kind: string, result: 'success' | 'error' | 'paused'): void {
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
