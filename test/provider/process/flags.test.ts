import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseAddress, parseDuration, parseFlags, USAGE } from '../../../provider/src/flags.js';

const defaults = {
  pollIntervalMs: 60_000,
  syncIntervalMs: 3_600_000,
  maxReconcileRate: 10,
  leaderElection: false,
  metrics: { host: '0.0.0.0', port: 8080 },
  healthProbes: { host: '0.0.0.0', port: 8081 },
  providerNamespace: 'crossplane-system',
  debug: false,
  outbound: { deadlineMs: 30_000, maxResponseBytes: 16 * 1024 * 1024 },
};

describe('parseFlags', () => {
  it.each<{ reason: string; argv: string[]; env?: Record<string, string>; want: object | string }>([
    { reason: 'no flags give the defaults', argv: [], want: defaults },
    {
      reason: "Go providers' flags are read",
      argv: [
        '--poll=30s',
        '-s',
        '10m',
        '-d',
        '-l',
        '--max-reconcile-rate=50',
        '--metrics-bind-address=127.0.0.1:9090',
        '--health-probe-bind-address=127.0.0.1:9091',
        '--enable-management-policies',
      ],
      want: {
        ...defaults,
        pollIntervalMs: 30_000,
        syncIntervalMs: 600_000,
        debug: true,
        leaderElection: true,
        maxReconcileRate: 50,
        metrics: { host: '127.0.0.1', port: 9090 },
        healthProbes: { host: '127.0.0.1', port: 9091 },
      },
    },
    {
      reason: 'the long forms and the earlier names are aliases',
      argv: [
        '--namespace=team-a',
        '--poll-interval',
        '30s',
        '--sync=2h',
        '--leader-election',
        '--metrics-address=127.0.0.1:9090',
        '--provider-namespace',
        'stackplane-system',
        '--debug',
      ],
      want: {
        ...defaults,
        namespace: 'team-a',
        pollIntervalMs: 30_000,
        syncIntervalMs: 7_200_000,
        leaderElection: true,
        metrics: { host: '127.0.0.1', port: 9090 },
        providerNamespace: 'stackplane-system',
        debug: true,
      },
    },
    {
      reason: 'Crossplane injects the namespace the provider runs in, and LEADER_ELECTION',
      argv: [],
      env: { POD_NAMESPACE: 'upbound-system', LEADER_ELECTION: 'true' },
      want: { ...defaults, providerNamespace: 'upbound-system', leaderElection: true },
    },
    {
      reason: 'a flag wins over the environment',
      argv: ['--provider-namespace=ops'],
      env: { POD_NAMESPACE: 'upbound-system' },
      want: { ...defaults, providerNamespace: 'ops' },
    },
    {
      reason: 'the platform sets when unmarked reseller objects stop being kept',
      argv: ['--adopt-unmarked-created-before=2026-12-01T00:00:00Z'],
      want: { ...defaults, adoptUnmarkedCreatedBefore: new Date('2026-12-01T00:00:00Z') },
    },
    {
      reason: 'the cutoff must be an RFC 3339 time',
      argv: ['--adopt-unmarked-created-before=yesterday'],
      want: 'cannot parse --adopt-unmarked-created-before "yesterday": use an RFC 3339 time, e.g. 2026-12-01T00:00:00Z',
    },
    {
      reason: 'an unknown flag is an error',
      argv: ['--polling=1m'],
      want: "cannot parse flags: Unknown option '--polling'",
    },
    {
      reason: 'a rate must be a whole number',
      argv: ['--max-reconcile-rate=0.5'],
      want: 'cannot parse --max-reconcile-rate "0.5": must be a whole number of at least 1',
    },
    {
      reason: 'a poll interval below a second would hammer the external APIs',
      argv: ['--poll=100ms'],
      want: 'cannot use --poll "100ms": must be at least 1s',
    },
    {
      reason: 'a sync period shorter than the poll would only add load',
      argv: ['--poll=1m', '--sync=30s'],
      want: 'cannot use --sync "30s": must be at least --poll (1m)',
    },
    {
      reason: 'the limits of external calls are read',
      argv: ['--outbound-timeout=10s', '--outbound-max-response-mib=4'],
      want: { ...defaults, outbound: { deadlineMs: 10_000, maxResponseBytes: 4 * 1024 * 1024 } },
    },
    {
      reason: 'an external call needs time to connect and answer',
      argv: ['--outbound-timeout=100ms'],
      want: 'cannot use --outbound-timeout "100ms": must be at least 1s',
    },
    {
      reason: 'an unbounded answer size',
      argv: ['--outbound-max-response-mib=0'],
      want: 'cannot parse --outbound-max-response-mib "0": must be a whole number from 1 to 1024',
    },
  ])('$reason', ({ argv, env, want }) => {
    if (typeof want === 'string') expect(() => parseFlags(argv, env)).toThrow(want);
    else expect(parseFlags(argv, env)).toEqual(want);
  });
});

describe('parseDuration', () => {
  it.each<[string, number | string]>([
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['2.5s', 2_500],
    ['500ms', 500],
    ['60', 'cannot parse duration "60": use a number and a unit (ms, s, m, h), e.g. 1m'],
    ['1m x', 'cannot parse duration "1m x": use a number and a unit (ms, s, m, h), e.g. 1m'],
  ])('%s', (text, want) => {
    if (typeof want === 'string') expect(() => parseDuration(text)).toThrow(want);
    else expect(parseDuration(text)).toBe(want);
  });
});

describe('parseAddress', () => {
  it.each<[string, object | string]>([
    [':8080', { host: '0.0.0.0', port: 8080 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['8080', 'cannot parse address "8080": use [host]:port, e.g. :8080'],
    [':99999', 'cannot parse address ":99999": use [host]:port, e.g. :8080'],
  ])('%s', (text, want) => {
    if (typeof want === 'string') expect(() => parseAddress(text)).toThrow(want);
    else expect(parseAddress(text)).toEqual(want);
  });
});

describe('provider-stackplane --help', () => {
  it.each([['--help'], ['-h']])('%s prints the usage and exits 0', (flag) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'provider/src/main.ts', flag], {
      encoding: 'utf8',
    });
    expect(out).toBe(`${USAGE}\n`);
  });
});
