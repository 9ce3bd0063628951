import { describe, expect, it } from 'vitest';
import { coreStartArgs, type CoreStartOptions } from '../../../scripts/control-plane/crossplane.js';

const options = (extraArgs?: string[]): CoreStartOptions => ({
  cacheDir: '/cp/xpkg-cache',
  webhookPort: 9443,
  metricsPort: 8081,
  healthPort: 8082,
  serverCertsDir: '/cp/tls/webhook',
  clientCertsDir: '/cp/tls/client',
  ...(extraArgs ? { extraArgs } : {}),
});

const DEFAULTS = [
  'core',
  'start',
  '--package-runtime=External',
  '--xpkg-cache-dir=/cp/xpkg-cache',
  '--webhook-port=9443',
  '--metrics-port=8081',
  '--health-probe-port=8082',
  '--tls-server-certs-dir=/cp/tls/webhook',
  '--tls-client-certs-dir=/cp/tls/client',
  '--debug',
];

describe('crossplane core start arguments', () => {
  const cases: Record<string, { reason: string; extra?: string[]; want: string[] }> = {
    'no extra flags': { reason: 'the control plane as the e2e runs it', want: DEFAULTS },
    "a benchmark's flags": {
      reason: "a caller's flags come after the control plane's own, so a repeated flag wins",
      extra: ['--max-reconcile-rate=10', '--poll-interval=5m'],
      want: [...DEFAULTS, '--max-reconcile-rate=10', '--poll-interval=5m'],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { extra, want }) => {
    expect(coreStartArgs(options(extra))).toEqual(want);
  });
});
