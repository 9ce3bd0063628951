import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { metricSums } from '../../../bench/control-plane-metrics.js';
import { counterSums } from '../../../bench/prometheus-text.js';

const TEXT = `# HELP stackplane_managed_reconciles_total Reconciles.
# TYPE stackplane_managed_reconciles_total counter
stackplane_managed_reconciles_total{kind="Project",result="success"} 7
stackplane_managed_reconciles_total{kind="Project",result="throttled"} 2
stackplane_managed_reconciles_total{kind="User",result="success"} 3
circuit_breaker_events_total{controller="a",result="Allowed"} 5
circuit_breaker_events_total{controller="b",result="Allowed"} 6
circuit_breaker_events_total{controller="b",result="Dropped"} 1
function_run_function_seconds_bucket{function="x",le="0.1"} 4
function_run_function_seconds_bucket{function="x",le="+Inf"} 9
controller_runtime_reconcile_total{controller="a",result="success"} 10
controller_runtime_reconcile_total{controller="b",result="error"} 1
`;

describe('Prometheus text', () => {
  it('sums a counter over every label but the ones kept', () => {
    expect({
      byKindAndResult: Object.fromEntries(
        counterSums(TEXT, 'stackplane_managed_reconciles_total', ['kind', 'result']),
      ),
      byKind: Object.fromEntries(counterSums(TEXT, 'stackplane_managed_reconciles_total', ['kind'])),
      total: Object.fromEntries(counterSums(TEXT, 'stackplane_managed_reconciles_total', [])),
      absent: counterSums(TEXT, 'no_such_metric', []).size,
    }).toEqual({
      byKindAndResult: {
        'kind=Project,result=success': 7,
        'kind=Project,result=throttled': 2,
        'kind=User,result=success': 3,
      },
      byKind: { 'kind=Project': 9, 'kind=User': 3 },
      total: { '': 12 },
      absent: 0,
    });
  });

  it("reads Crossplane's counters as the control-plane bench keys them", async () => {
    const server = createServer((_, res) => res.end(TEXT));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await metricSums(`http://127.0.0.1:${port}/metrics`)).toEqual({
        controller_runtime_reconcile_total: 11,
        'circuit_breaker_events_total{result="Allowed"}': 11,
        'circuit_breaker_events_total{result="Dropped"}': 1,
        'function_run_function_seconds_bucket{le="0.1"}': 4,
        'function_run_function_seconds_bucket{le="+Inf"}': 9,
      });
    } finally {
      server.close();
    }
  });
});
