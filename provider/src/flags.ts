/**
 * The command line of provider-stackplane, parsed into plain values (no process access here). The
 * flags and environment variables are those of Crossplane's Go providers, so a DeploymentRuntimeConfig
 * written for one works here; earlier names of this provider stay as aliases.
 */
import { parseArgs } from 'node:util';
import { parseDuration as parseGoDuration } from './runtime/duration.js';

/** A listening address. */
export interface Address {
  host: string;
  port: number;
}

/** What the flags configure. */
export interface ProviderFlags {
  /** Watch managed resources of this namespace only; all namespaces when absent. */
  namespace?: string;
  pollIntervalMs: number;
  /** How often every managed resource is reconciled even if nothing happened to it (--sync). */
  syncIntervalMs: number;
  /** Reconciles running at once per kind, and reconciles per second per provider config. */
  maxReconcileRate: number;
  leaderElection: boolean;
  metrics: Address;
  healthProbes: Address;
  /** Where the provider runs: its lease, and ClusterProviderConfig Secrets by default. */
  providerNamespace: string;
  /**
   * Managed resources created before this instant keep an unmarked project or user their recorded
   * external name points at (objects created before the provider wrote ownership markers).
   */
  adoptUnmarkedCreatedBefore?: Date;
  debug: boolean;
  /** The limits of every call to an external API (reseller, Keystone, Nova, storage, webhooks). */
  outbound: { deadlineMs: number; maxResponseBytes: number };
}

/** The environment the flags read (Crossplane sets POD_NAMESPACE on every provider pod). */
export interface FlagEnvironment {
  POD_NAMESPACE?: string | undefined;
  LEADER_ELECTION?: string | undefined;
}

/** The usage text, printed with a flag error and by --help. */
export const USAGE = `usage: provider-stackplane [flags]
  -d, --debug                          log at debug level
  --poll <duration>                    how often to observe each external resource (default 1m)
                                       (alias --poll-interval)
  -s, --sync <duration>                how often to reconcile every resource even if nothing
                                       changed (default 1h)
  --max-reconcile-rate <n>             reconciles at once per kind, and per second per provider
                                       config (default 10)
  -l, --leader-election                hold a coordination.k8s.io Lease before reconciling
                                       (env LEADER_ELECTION=true)
  --metrics-bind-address <addr>        [host]:port of /metrics (default :8080)
                                       (alias --metrics-address)
  --health-probe-bind-address <addr>   [host]:port of /healthz and /readyz (default :8081)
  --namespace <name>                   watch managed resources of one namespace (default: all)
  --provider-namespace <name>          where the provider runs: its Lease, and the default
                                       namespace of ClusterProviderConfig Secrets
                                       (default $POD_NAMESPACE, else crossplane-system)
  --adopt-unmarked-created-before <t>  RFC 3339 time: Projects and Users created before it keep
                                       the unmarked object their external name records, and
                                       mark it (set it to the upgrade's time; default none)
  --outbound-timeout <duration>        the whole of one call to an external API, connecting to the
                                       last byte of the answer (default 30s)
  --outbound-max-response-mib <n>      the largest answer of an external API read, in MiB
                                       (default 16)
  --enable-management-policies         accepted for Go providers' compatibility; always on
  -h, --help                           show this help`;

/** A flag has a value the provider cannot use. */
export class FlagError extends Error {
  override name = 'FlagError';
}

/** A Go-style duration of one or more parts: 500ms, 30s, 1m, 1h30m. */
export function parseDuration(text: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined) {
    throw new FlagError(`cannot parse duration "${text}": use a number and a unit (ms, s, m, h), e.g. 1m`);
  }
  return ms;
}

/** Parses [host]:port. */
export function parseAddress(text: string): Address {
  const match = /^(.*):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port > 65_535) {
    throw new FlagError(`cannot parse address "${text}": use [host]:port, e.g. :8080`);
  }
  return { host: match[1] === '' ? '0.0.0.0' : match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

/** Whether an environment variable says true, as Go's strconv.ParseBool reads it. */
function envTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'true'].includes(value.toLowerCase());
}

/** Parses the command line; throws FlagError on unknown flags or bad values. */
export function parseFlags(argv: string[], env: FlagEnvironment = {}): ProviderFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        namespace: { type: 'string' },
        poll: { type: 'string' },
        'poll-interval': { type: 'string' },
        sync: { type: 'string', short: 's', default: '1h' },
        'max-reconcile-rate': { type: 'string', default: '10' },
        'leader-election': { type: 'boolean', short: 'l' },
        'metrics-bind-address': { type: 'string' },
        'metrics-address': { type: 'string' },
        'health-probe-bind-address': { type: 'string', default: ':8081' },
        'provider-namespace': { type: 'string' },
        'adopt-unmarked-created-before': { type: 'string' },
        'enable-management-policies': { type: 'boolean' },
        'outbound-timeout': { type: 'string', default: '30s' },
        'outbound-max-response-mib': { type: 'string', default: '16' },
        debug: { type: 'boolean', short: 'd', default: false },
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
  const poll = values.poll ?? values['poll-interval'] ?? '1m';
  const pollIntervalMs = parseDuration(poll);
  if (pollIntervalMs < 1_000) throw new FlagError(`cannot use --poll "${poll}": must be at least 1s`);
  const syncIntervalMs = parseDuration(values.sync);
  if (syncIntervalMs < pollIntervalMs) {
    throw new FlagError(`cannot use --sync "${values.sync}": must be at least --poll (${poll})`);
  }
  const cutoffText = values['adopt-unmarked-created-before'];
  const cutoff = cutoffText === undefined ? undefined : new Date(cutoffText);
  if (
    cutoffText !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}T/.test(cutoffText) || Number.isNaN(cutoff?.getTime()))
  ) {
    throw new FlagError(
      `cannot parse --adopt-unmarked-created-before "${cutoffText}": use an RFC 3339 time, e.g. 2026-12-01T00:00:00Z`,
    );
  }
  const deadlineMs = parseDuration(values['outbound-timeout']);
  if (deadlineMs < 1_000) {
    throw new FlagError(`cannot use --outbound-timeout "${values['outbound-timeout']}": must be at least 1s`);
  }
  const mib = Number(values['outbound-max-response-mib']);
  if (!Number.isInteger(mib) || mib < 1 || mib > 1024) {
    throw new FlagError(
      `cannot parse --outbound-max-response-mib "${values['outbound-max-response-mib']}": must be a whole number from 1 to 1024`,
    );
  }
  return {
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    ...(cutoff === undefined ? {} : { adoptUnmarkedCreatedBefore: cutoff }),
    pollIntervalMs,
    syncIntervalMs,
    maxReconcileRate: rate,
    leaderElection: values['leader-election'] ?? envTrue(env.LEADER_ELECTION),
    metrics: parseAddress(values['metrics-bind-address'] ?? values['metrics-address'] ?? ':8080'),
    healthProbes: parseAddress(values['health-probe-bind-address']),
    providerNamespace: values['provider-namespace'] ?? (env.POD_NAMESPACE || 'crossplane-system'),
    debug: values.debug,
    outbound: { deadlineMs, maxResponseBytes: mib * 1024 * 1024 },
  };
}
