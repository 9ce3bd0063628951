import { describe, expect, it } from 'vitest';
import { PrometheusMetrics, serveMetrics } from '../../../../provider/src/runtime/metrics.js';

describe('serveMetrics', () => {
  it('serves reconciles, errors and external call latency on /metrics', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    metrics.reconciled('Widget', 'success');
    metrics.reconciled('Widget', 'error');
    metrics.externalCall('Widget', 'observe', 'success', 0.02);
    const served = await serveMetrics(metrics, 0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${served.port}/metrics`);
      const lines = (await res.text()).split('\n');
      expect({
        status: res.status,
        lines: lines.filter((l) =>
          [
            'stackplane_managed_reconciles_total{',
            'stackplane_managed_reconcile_errors_total{',
            'stackplane_external_call_duration_seconds_count{',
          ].some((p) => l.startsWith(p)),
        ),
      }).toEqual({
        status: 200,
        lines: [
          'stackplane_managed_reconciles_total{kind="Widget",result="success"} 1',
          'stackplane_managed_reconciles_total{kind="Widget",result="error"} 1',
          'stackplane_managed_reconcile_errors_total{kind="Widget"} 1',
          'stackplane_external_call_duration_seconds_count{kind="Widget",operation="observe",result="success"} 1',
        ],
      });
      expect((await fetch(`http://127.0.0.1:${served.port}/other`)).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});
