// Settings shared by the create and fault runs of bench:provider.
import { resolve } from 'node:path';
import { envFlags } from './env-flags.js';

export const RESOURCES = Number(process.env['BENCH_RESOURCES'] ?? 1_000);
export const LATENCY_MS = 50;
export const RATE = Number(process.env['BENCH_MAX_RECONCILE_RATE'] ?? 100);
// 1,000 resources polled every 15 s need 67 reconciles/s, under the provider config's budget of
// --max-reconcile-rate per second; a shorter poll would measure the rate limit, not the poll.
// BENCH_POLL_SECONDS sets another (10,000 on a 60 s poll need 167/s).
export const POLL_SECONDS = Number(process.env['BENCH_POLL_SECONDS'] ?? 15);
export const STEADY_POLLS = 3;
/** How long the fault run may take until all are Ready (BENCH_FAULT_TIMEOUT_SECONDS). */
export const FAULT_TIMEOUT_SECONDS = Number(process.env['BENCH_FAULT_TIMEOUT_SECONDS'] ?? 1_200);
/** More provider flags, space-separated, after the run's own (BENCH_PROVIDER_ARGS: `--outbound-timeout=5s`). */
export const PROVIDER_ARGS = envFlags('BENCH_PROVIDER_ARGS');
export const NAMESPACE = 'bench';
export const OUT = resolve('_output/bench');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs write on every item, 50 at a time, as a script or a GitOps tool sends many objects. */
export async function batch<T>(items: T[], write: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 50) await Promise.all(items.slice(i, i + 50).map(write));
}
