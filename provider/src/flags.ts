/**
 * The command line of provider-stackplane, parsed into plain values (no process access here). The
 * flags and environment variables are those of Crossplane's Go providers (crossplane-runtime's
 * provider template and provider-kubernetes, read with kingpin's syntax), so a
 * DeploymentRuntimeConfig written for one works here: flags with a meaning here are implemented,
 * the others are accepted with a warning. Earlier names of this provider stay as aliases.
 */
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
  /** Share of the poll interval each poll varies by, either way (--poll-jitter-percentage / 100). */
  pollJitter: number;
  /** How often the managed resource state metrics are counted again (--poll-state-metric). */
  pollStateMetricIntervalMs: number;
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
  /** Flags a Go provider has that mean nothing here: one line each, for the log. */
  warnings: string[];
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
  --poll-jitter-percentage <n>         polls vary by up to n% either way (default 5, below 100)
  --poll-state-metric <duration>       how often the managed resource state metrics are counted
                                       (default 5s)
  -s, --sync <duration>                how often to reconcile every resource even if nothing
                                       changed (default 1h)
  --max-reconcile-rate <n>             reconciles at once per kind, and per second per provider
                                       config (default 10)
  -l, --leader-election                hold a coordination.k8s.io Lease before reconciling
                                       (env LEADER_ELECTION=true)
  --metrics-bind-address <addr>        [host]:port of /metrics (default :8080)
                                       (alias --metrics-address)
  --health-probe-bind-address <addr>   [host]:port of /healthz and /readyz (default :8081)
                                       (alias --health-probe-bind-addr)
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
  -h, --help                           show this help
Other flags of Crossplane's Go providers (--enable-changelogs, --changelogs-socket-path,
--sanitize-secrets, --webhook-port, --enable-watches, --enable-server-side-apply,
--remove-managed-fields, --legacy-csa-field-managers) are accepted and ignored with a warning.`;

/** A flag has a value the provider cannot use. */
export class FlagError extends Error {
  override name = 'FlagError';
}

type FlagType = 'bool' | 'string' | 'int' | 'uint' | 'duration' | 'strings';

interface FlagSpec {
  type: FlagType;
  short?: string;
  /** The flag this one is another name of. */
  aliasOf?: string;
  /** Why a Go provider's flag means nothing here; set on flags that are only accepted. */
  ignored?: string;
}

const PROVIDER_KUBERNETES_ONLY = 'it configures how provider-kubernetes applies Objects; there are none here';

/** Every flag, by its long name. */
const FLAGS: Record<string, FlagSpec> = {
  debug: { type: 'bool', short: 'd' },
  namespace: { type: 'string' },
  poll: { type: 'duration' },
  'poll-interval': { type: 'duration', aliasOf: 'poll' },
  'poll-jitter-percentage': { type: 'uint' },
  'poll-state-metric': { type: 'duration' },
  sync: { type: 'duration', short: 's' },
  'max-reconcile-rate': { type: 'int' },
  'leader-election': { type: 'bool', short: 'l' },
  'metrics-bind-address': { type: 'string' },
  'metrics-address': { type: 'string', aliasOf: 'metrics-bind-address' },
  'health-probe-bind-address': { type: 'string' },
  'health-probe-bind-addr': { type: 'string', aliasOf: 'health-probe-bind-address' },
  'provider-namespace': { type: 'string' },
  'adopt-unmarked-created-before': { type: 'string' },
  'outbound-timeout': { type: 'duration' },
  'outbound-max-response-mib': { type: 'uint' },
  'enable-management-policies': { type: 'bool' },
  'enable-changelogs': { type: 'bool', ignored: 'provider-stackplane writes no change logs' },
  'changelogs-socket-path': { type: 'string', ignored: 'provider-stackplane writes no change logs' },
  'sanitize-secrets': { type: 'bool', ignored: 'provider-stackplane never copies Secret data into status' },
  'webhook-port': { type: 'int', ignored: 'provider-stackplane serves no webhooks' },
  'enable-watches': { type: 'bool', ignored: PROVIDER_KUBERNETES_ONLY },
  'enable-server-side-apply': { type: 'bool', ignored: PROVIDER_KUBERNETES_ONLY },
  'remove-managed-fields': { type: 'bool', ignored: PROVIDER_KUBERNETES_ONLY },
  'legacy-csa-field-managers': { type: 'strings', ignored: PROVIDER_KUBERNETES_ONLY },
};

const SHORT: Record<string, string> = Object.fromEntries(
  Object.entries(FLAGS).flatMap(([name, spec]) => (spec.short ? [[spec.short, name]] : [])),
);

/** The long names of every flag accepted, aliases included. */
export const FLAG_NAMES: readonly string[] = Object.keys(FLAGS);

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

/** Whether text says true, as Go's strconv.ParseBool reads it; undefined when it says neither. */
function goBool(text: string): boolean | undefined {
  if (['1', 't', 'true'].includes(text.toLowerCase())) return true;
  if (['0', 'f', 'false'].includes(text.toLowerCase())) return false;
  return undefined;
}

/** The flags given, by long name (aliases resolved), each with every value given in order. */
function scan(argv: string[]): Map<string, string[]> {
  const given = new Map<string, string[]>();
  const set = (name: string, value: string) => {
    const spec = FLAGS[name]!;
    const key = spec.aliasOf ?? name;
    given.set(key, [...(given.get(key) ?? []), value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    const short = long ? null : /^-([^-])(.*)$/s.exec(arg);
    if (!long && !short) throw new FlagError(`cannot parse flags: unexpected argument "${arg}"`);
    let name = long ? long[1]! : SHORT[short![1]!];
    let inline = long ? long[2] : short![2] === '' ? undefined : short![2]!.replace(/^=/, '');
    if (name !== undefined && FLAGS[name] === undefined && name.startsWith('no-')) {
      const negated = name.slice(3);
      if (FLAGS[negated]?.type === 'bool' && inline === undefined) {
        name = negated;
        inline = 'false';
      }
    }
    const spec = name === undefined ? undefined : FLAGS[name];
    if (name === undefined || spec === undefined) {
      throw new FlagError(`cannot parse flags: unknown flag "${arg.split('=')[0]}"`);
    }
    if (spec.type === 'bool') {
      const value = inline === undefined ? true : goBool(inline);
      if (value === undefined) throw new FlagError(`cannot parse --${name} "${inline}": use true or false`);
      set(name, String(value));
      continue;
    }
    if (inline === undefined) {
      inline = argv[++i];
      if (inline === undefined) throw new FlagError(`cannot parse flags: --${name} needs a value`);
    }
    set(name, inline);
  }
  return given;
}

/** A whole number of at least min, or a FlagError naming the flag. */
function wholeNumber(flag: string, text: string, min: number, rule: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min) throw new FlagError(`cannot parse --${flag} "${text}": ${rule}`);
  return n;
}

/** An RFC 3339 time, or a FlagError naming the flag; undefined when the flag is not given. */
function rfc3339(flag: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(time.getTime())) {
    throw new FlagError(`cannot parse --${flag} "${text}": use an RFC 3339 time, e.g. 2026-12-01T00:00:00Z`);
  }
  return time;
}

/** The limits of every outbound call: a total deadline of at least 1 s, answers of 1 to 1024 MiB. */
function outboundLimits(timeout: string, mibText: string): ProviderFlags['outbound'] {
  const deadlineMs = parseDuration(timeout);
  if (deadlineMs < 1_000)
    throw new FlagError(`cannot use --outbound-timeout "${timeout}": must be at least 1s`);
  const rule = 'must be a whole number from 1 to 1024';
  const mib = wholeNumber('outbound-max-response-mib', mibText, 1, rule);
  if (mib > 1024) throw new FlagError(`cannot parse --outbound-max-response-mib "${mibText}": ${rule}`);
  return { deadlineMs, maxResponseBytes: mib * 1024 * 1024 };
}

/** Parses the command line; throws FlagError on unknown flags or bad values. */
export function parseFlags(argv: string[], env: FlagEnvironment = {}): ProviderFlags {
  const given = scan(argv);
  const last = (name: string): string | undefined => given.get(name)?.at(-1);
  const warnings: string[] = [];
  for (const [name, spec] of Object.entries(FLAGS)) {
    if (spec.ignored !== undefined && given.has(name)) warnings.push(`ignoring --${name}: ${spec.ignored}`);
  }
  if (last('enable-management-policies') === 'false') {
    warnings.push('ignoring --enable-management-policies=false: management policies are always on');
  }
  const webhookPort = last('webhook-port');
  if (webhookPort !== undefined) wholeNumber('webhook-port', webhookPort, 0, 'must be a whole number');
  const rateText = last('max-reconcile-rate') ?? '10';
  const rate = wholeNumber('max-reconcile-rate', rateText, 1, 'must be a whole number of at least 1');
  const jitterText = last('poll-jitter-percentage') ?? '5';
  const jitter = wholeNumber('poll-jitter-percentage', jitterText, 0, 'must be a whole number below 100');
  if (jitter >= 100) {
    throw new FlagError(
      `cannot parse --poll-jitter-percentage "${jitterText}": must be a whole number below 100`,
    );
  }
  const poll = last('poll') ?? '1m';
  const pollIntervalMs = parseDuration(poll);
  if (pollIntervalMs < 1_000) throw new FlagError(`cannot use --poll "${poll}": must be at least 1s`);
  const stateInterval = last('poll-state-metric') ?? '5s';
  const pollStateMetricIntervalMs = parseDuration(stateInterval);
  const sync = last('sync') ?? '1h';
  const syncIntervalMs = parseDuration(sync);
  if (syncIntervalMs < pollIntervalMs) {
    throw new FlagError(`cannot use --sync "${sync}": must be at least --poll (${poll})`);
  }
  const cutoff = rfc3339('adopt-unmarked-created-before', last('adopt-unmarked-created-before'));
  const outbound = outboundLimits(
    last('outbound-timeout') ?? '30s',
    last('outbound-max-response-mib') ?? '16',
  );
  const namespace = last('namespace');
  const leaderElection = last('leader-election');
  return {
    ...(namespace === undefined ? {} : { namespace }),
    pollIntervalMs,
    pollJitter: jitter / 100,
    pollStateMetricIntervalMs,
    syncIntervalMs,
    maxReconcileRate: rate,
    leaderElection:
      leaderElection === undefined ? goBool(env.LEADER_ELECTION ?? '') === true : leaderElection === 'true',
    metrics: parseAddress(last('metrics-bind-address') ?? ':8080'),
    healthProbes: parseAddress(last('health-probe-bind-address') ?? ':8081'),
    providerNamespace: last('provider-namespace') ?? (env.POD_NAMESPACE || 'crossplane-system'),
    ...(cutoff === undefined ? {} : { adoptUnmarkedCreatedBefore: cutoff }),
    debug: last('debug') === 'true',
    outbound,
    warnings,
  };
}
