// Reading Prometheus' text exposition format, as the benchmarks scrape the provider, Crossplane
// core and the API server.

/** Sums of a metric's samples over every label but the ones kept, keyed `a=x,b=y` ('' keeps none). */
export function counterSums(text: string, metric: string, kept: readonly string[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? ([0-9.e+-]+|\+Inf)$/.exec(line);
    if (match?.[1] !== metric) continue;
    const labels = new Map(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const),
    );
    const key = kept.map((k) => `${k}=${labels.get(k) ?? ''}`).join(',');
    sums.set(key, (sums.get(key) ?? 0) + Number(match[3]));
  }
  return sums;
}
