/** The command line of provider-stackplane, parsed into plain values (no process access here). */
import { parseArgs } from 'node:util';

/** What the flags configure. */
export interface ProviderFlags {
  /** Watch managed resources of this namespace only; all namespaces when absent. */
  namespace?: string;
  pollIntervalMs: number;
  /** Reconciles running at once per kind, and reconciles per second per provider config. */
  maxReconcileRate: number;
  leaderElection: boolean;
  metrics: { host: string; port: number };
  providerNamespace: string;
  debug: boolean;
}

/** The usage text, printed with a flag error. */
export const USAGE = `usage: provider-stackplane [flags]
  --namespace <name>           watch managed resources of one namespace (default: all)
  --poll-interval <duration>   how often to observe external resources, e.g. 30s, 1m (default 1m)
  --max-reconcile-rate <n>     reconciles at once per kind and per second per provider config
                               (default 10)
  --leader-election            hold a coordination.k8s.io Lease before reconciling
  --metrics-address <addr>     [host]:port of /metrics (default :8080)
  --provider-namespace <name>  where the provider runs; ClusterProviderConfig Secrets default here
                               (default crossplane-system)
  --debug                      log at debug level
  -h, --help                   show this help`;

/** A flag has a value the provider cannot use. */
export class FlagError extends Error {
  override name = 'FlagError';
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A Go-style duration of one or more parts: 500ms, 30s, 1m, 1h30m. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new FlagError(`cannot parse duration "${text}": use a number and a unit (ms, s, m, h), e.g. 1m`);
  }
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNITS[unit!]!, 0);
}

/** Parses [host]:port. */
export function parseAddress(text: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port > 65_535) {
    throw new FlagError(`cannot parse address "${text}": use [host]:port, e.g. :8080`);
  }
  return { host: match[1] === '' ? '0.0.0.0' : match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

/** Parses the command line; throws FlagError on unknown flags or bad values. */
export function parseFlags(argv: string[]): ProviderFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        namespace: { type: 'string' },
        'poll-interval': { type: 'string', default: '1m' },
        'max-reconcile-rate': { type: 'string', default: '10' },
        'leader-election': { type: 'boolean', default: false },
        'metrics-address': { type: 'string', default: ':8080' },
        'provider-namespace': { type: 'string', default: 'crossplane-system' },
        debug: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new FlagError(`cannot parse flags: ${(error as Error).message}`, { cause: error });
  }
  const rate = Number(values['max-reconcile-rate']);
  if (!Number.isInteger(rate) || rate < 1) {
    throw new FlagError(
      `cannot parse --max-reconcile-rate "${values['max-reconcile-rate']}": must be a whole number of at least 1`,
    );
  }
  const pollIntervalMs = parseDuration(values['poll-interval']);
  if (pollIntervalMs < 1_000) {
    throw new FlagError(`cannot use --poll-interval "${values['poll-interval']}": must be at least 1s`);
  }
  return {
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    pollIntervalMs,
    maxReconcileRate: rate,
    leaderElection: values['leader-election'],
    metrics: parseAddress(values['metrics-address']),
    providerNamespace: values['provider-namespace'],
    debug: values.debug,
  };
}
