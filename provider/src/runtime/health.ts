/**
 * The health probes controller-runtime managers serve and Crossplane's provider Deployments probe:
 * /healthz (liveness) and /readyz (readiness), on :8081 by default.
 */
import http from 'node:http';

/** What the probes report; each is asked on every request. */
export interface HealthChecks {
  /** The process works: false once it lost leadership or is shutting down. */
  healthy(): boolean;
  /** The process has started: its watches are synced, or it waits for leadership as a standby. */
  ready(): boolean;
}

/** A served probe endpoint; close() stops it. */
export interface ServedProbes {
  port: number;
  close(): Promise<void>;
}

/** Serves /healthz and /readyz on host:port (port 0 picks a free one). */
export async function serveHealthProbes(
  checks: HealthChecks,
  port = 8081,
  host = '0.0.0.0',
): Promise<ServedProbes> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const check = path === '/healthz' ? checks.healthy : path === '/readyz' ? checks.ready : undefined;
    if (check === undefined) {
      res.writeHead(404).end();
      return;
    }
    const ok = check();
    res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not ok');
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
