import { describe, expect, it } from 'vitest';
import { serveHealthProbes } from '../../../../provider/src/runtime/health.js';

describe('serveHealthProbes', () => {
  it('answers /healthz and /readyz from the checks, on an address of its own', async () => {
    let ready = false;
    const probes = await serveHealthProbes({ healthy: () => true, ready: () => ready }, 0, '127.0.0.1');
    const status = async (path: string) => (await fetch(`http://127.0.0.1:${probes.port}${path}`)).status;
    try {
      const before = [await status('/healthz'), await status('/readyz'), await status('/other')];
      ready = true;
      expect({ before, after: await status('/readyz') }).toEqual({ before: [200, 500, 404], after: 200 });
    } finally {
      await probes.close();
    }
  });
});
