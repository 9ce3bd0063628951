// What the scale scenario reads from Prometheus text: the provider's reconciles by kind and result
// (stackplane_managed_reconciles_total) and the API server's requests by verb and resource
// (apiserver_request_total), so a run says how many reconciles and writes each resource cost.
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { counterSums } from './prometheus-text.js';

/** The difference of two readings of counterSums. */
export function counterDelta(from: Map<string, number>, to: Map<string, number>): Map<string, number> {
  return new Map([...to].map(([key, value]) => [key, value - (from.get(key) ?? 0)]));
}

/** The provider's reconciles by kind and result. */
export async function providerReconciles(metricsURL: string): Promise<Map<string, number>> {
  const text = await (await fetch(metricsURL)).text();
  return counterSums(text, 'stackplane_managed_reconciles_total', ['kind', 'result']);
}

/** The API server's writes (create, update, patch, delete) by verb, resource and subresource. */
export async function apiServerWrites(kubeConfig: KubeConfig): Promise<Map<string, number>> {
  const text = await getText(kubeConfig, '/metrics');
  const all = counterSums(text, 'apiserver_request_total', ['verb', 'resource', 'subresource']);
  return new Map([...all].filter(([key]) => /^verb=(POST|PUT|PATCH|DELETE|APPLY|CREATE|UPDATE)\b/.test(key)));
}

/** "kind=Project,result=success 1,428, ..." with the count per resource, largest first. */
export function perResource(counts: Map<string, number>, resources: number): string {
  return [...counts]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${n} (${(n / resources).toFixed(2)})`)
    .join('; ');
}

async function getText(kubeConfig: KubeConfig, path: string): Promise<string> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('cannot read the API server metrics: the kubeconfig has no current cluster');
  const options: https.RequestOptions = { method: 'GET', headers: {} };
  await kubeConfig.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    https
      .get(new URL(path, cluster.server), options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
