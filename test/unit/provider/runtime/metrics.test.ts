import { describe, expect, it } from 'vitest';
import { gvkOf, PrometheusMetrics, serveMetrics } from '../../../../provider/src/runtime/metrics.js';

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

describe('Crossplane metric names', () => {
  it('serves the managed resource, controller-runtime and work queue metrics dashboards use', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    const gvk = gvkOf({ group: 'test.m.stackplane.io', version: 'v1alpha1', kind: 'Widget' });
    const cond = (ready: string, synced: string) => ({
      status: {
        conditions: [
          { type: 'Ready', status: ready },
          { type: 'Synced', status: synced },
        ],
      },
    });
    metrics.addManagedState({ gvk, list: () => [cond('True', 'True'), cond('False', 'True'), {}] });
    metrics.reconcileFinished('managed/widgets.test.m.stackplane.io', 'requeue_after', 0.01);
    metrics.queueAdded('managed/widgets.test.m.stackplane.io');
    metrics.lifecycle(gvk, 'firstReady', 12);
    const lines = (await metrics.text()).split('\n');
    const wanted = [
      `crossplane_managed_resource_exists{gvk="${gvk}"}`,
      `crossplane_managed_resource_ready{gvk="${gvk}"}`,
      `crossplane_managed_resource_synced{gvk="${gvk}"}`,
      `crossplane_managed_resource_first_time_to_readiness_seconds_count{gvk="${gvk}"}`,
      'controller_runtime_reconcile_total{controller="managed/widgets.test.m.stackplane.io",result="requeue_after"}',
      'workqueue_adds_total{name="managed/widgets.test.m.stackplane.io",controller="managed/widgets.test.m.stackplane.io"}',
    ];
    expect(wanted.map((prefix) => lines.find((l) => l.startsWith(prefix)))).toEqual([
      `${wanted[0]} 3`,
      `${wanted[1]} 1`,
      `${wanted[2]} 2`,
      `${wanted[3]} 1`,
      `${wanted[4]} 1`,
      `${wanted[5]} 1`,
    ]);
  });
});

describe('the state metric interval (--poll-state-metric)', () => {
  it('counts managed resources again only once the interval has passed', async () => {
    let now = 0;
    const metrics = new PrometheusMetrics({ processMetrics: false, stateIntervalMs: 5_000, now: () => now });
    const gvk = gvkOf({ group: 'test.m.stackplane.io', version: 'v1alpha1', kind: 'Widget' });
    const resources: object[] = [{}];
    metrics.addManagedState({ gvk, list: () => resources });
    const exists = async () =>
      (await metrics.text()).split('\n').find((l) => l.startsWith('crossplane_managed_resource_exists{'));
    const first = await exists();
    resources.push({});
    now = 4_999;
    const within = await exists();
    now = 5_000;
    const after = await exists();
    expect([first, within, after]).toEqual([
      `crossplane_managed_resource_exists{gvk="${gvk}"} 1`,
      `crossplane_managed_resource_exists{gvk="${gvk}"} 1`,
      `crossplane_managed_resource_exists{gvk="${gvk}"} 2`,
    ]);
  });
});
