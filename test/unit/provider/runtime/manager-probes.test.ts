import http from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, testManager } from '../../../support/runtime-cluster.js';
import { widgetKind, WidgetSystem } from '../../../support/widgets.js';
import type { Manager } from '../../../../provider/src/runtime/manager.js';

/**
 * An API server on loopback that is down (every request 503) until `up`, then lists nothing and
 * holds every watch open.
 */
async function apiServer(): Promise<{ url: string; up: () => void; close: () => Promise<void> }> {
  let up = false;
  const server = http.createServer((req, res) => {
    if (!up) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 503 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (new URL(req.url ?? '/', 'http://x').searchParams.get('watch') === 'true') {
      res.flushHeaders();
      return;
    }
    res.end(
      JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '1' }, items: [] }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    up: () => (up = true),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function kubeConfigFor(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kubeConfig;
}

describe('Manager health probes', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('is ready only once every informer has listed, and unhealthy while watches keep failing', async () => {
    const api = await apiServer();
    cleanups.push(api.close);
    const manager: Manager = testManager(
      kubeConfigFor(api.url),
      { concurrency: 1, queueRatePerSecond: 10 },
      { healthProbePort: 0, healthProbeHost: '127.0.0.1', watchFailureToleranceMs: 500 },
    );
    manager.register(widgetKind(new WidgetSystem()));
    cleanups.push(() => manager.stop());
    await manager.start();
    const probe = async () => {
      const status = async (path: string) =>
        (await fetch(`http://127.0.0.1:${manager.ports.healthProbes}${path}`)).status;
      return { healthz: await status('/healthz'), readyz: await status('/readyz') };
    };

    const down = await probe();
    const failing = await eventually('/healthz to fail', async () => {
      const now = await probe();
      return now.healthz === 500 ? now : undefined;
    });
    api.up();
    const recovered = await eventually('the informers to list', async () => {
      const now = await probe();
      return now.readyz === 200 && now.healthz === 200 ? now : undefined;
    });

    expect({ down, failing, recovered }).toEqual({
      down: { healthz: 200, readyz: 500 },
      failing: { healthz: 500, readyz: 500 },
      recovered: { healthz: 200, readyz: 200 },
    });
  });
});
