// What bench/control-plane.ts reads from the control plane's processes: CPU seconds from /proc and
// Crossplane's Prometheus counters.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { counterSums } from './prometheus-text.js';

/** CPU seconds (user + system) of a process and its descendants. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  const visit = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      for (const task of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/)) {
        if (task) visit(Number(task));
      }
    } catch {
      // Exited meanwhile.
    }
  };
  visit(pid);
  return ticks / 100;
}

/** The control plane's processes by name, from its pid file. */
export function processPids(logDir: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const line of readFileSync(join(logDir, 'pids'), 'utf8').trim().split('\n')) {
    const [pid, name] = line.split(' ');
    if (pid && name) pids.set(name, Number(pid));
  }
  return pids;
}

export const WATCHED = [
  'kube-apiserver',
  'etcd',
  'crossplane',
  'function-stackplane',
  'function-table',
  'provider-stackplane',
];

export function cpuOf(pids: Map<string, number>): Record<string, number> {
  return Object.fromEntries(WATCHED.map((name) => [name, pids.has(name) ? cpuSeconds(pids.get(name)!) : 0]));
}

/**
 * Crossplane's counters the benchmark reads, summed over their labels except the ones kept:
 * reconciles, the XR circuit breaker's opens and events by result, and the RunFunction latency
 * histogram's buckets by upper bound.
 */
const KEPT_LABEL: Record<string, string | undefined> = {
  controller_runtime_reconcile_total: undefined,
  circuit_breaker_opens_total: undefined,
  circuit_breaker_events_total: 'result',
  function_run_function_seconds_bucket: 'le',
  function_run_function_seconds_count: undefined,
};

/** KEPT_LABEL's counters, keyed `name`, or `name{label="value"}` per value of the label kept. */
export async function metricSums(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(url)).text();
  const sums: Record<string, number> = {};
  for (const [metric, label] of Object.entries(KEPT_LABEL)) {
    for (const [key, sum] of counterSums(text, metric, label === undefined ? [] : [label])) {
      const value = key.slice(`${label}=`.length);
      sums[label === undefined ? metric : `${metric}{${label}="${value}"}`] = sum;
    }
  }
  return sums;
}

/** The 99th percentile's bucket bound of the RunFunction calls between two scrapes, in seconds. */
export function p99Seconds(delta: Record<string, number>): number | undefined {
  const buckets = Object.entries(delta)
    .map(([key, count]) => [/le="([^"]+)"/.exec(key)?.[1], count] as const)
    .filter((b): b is readonly [string, number] => b[0] !== undefined)
    .map(([le, count]) => [le === '+Inf' ? Infinity : Number(le), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  return buckets.find(([, count]) => count >= 0.99 * total)?.[0];
}
