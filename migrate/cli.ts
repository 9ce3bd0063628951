/**
 * `stackplane migrate`: reads the original operators' resources from a cluster or from files, prints
 * the plan (the default, `--dry-run`), writes its manifests (`-o yaml`) or hands over (`--apply`).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { applyPlans, type SourcePlan } from './apply.js';
import { KubeCluster, type Cluster } from './cluster.js';
import { CompositionFlagError, parseCompositions, withCompositions } from './composition.js';
import { formatManifests } from './manifests.js';
import type { Inventory, MigrationSource } from './plan.js';
import { formatPlan } from './print.js';
import { readCluster } from './read-cluster.js';
import { readFiles } from './read-files.js';
import { sources as allSources } from './sources/index.js';

export const USAGE = `usage: stackplane migrate [flags]

Moves the resources of the original operators onto Stackplane without touching a workload.

  --from NAME              only this operator (repeatable): ${allSources.map((s) => s.name).join(', ')}
  -f, --file PATH          read the originals and their Secrets from YAML files instead of a cluster
  --kubeconfig PATH        the cluster (default $KUBECONFIG, else ~/.kube/config)
  --context NAME           the kubeconfig context
  -n, --namespace NS       only originals of this namespace (repeatable; default all)
  --secret-namespace NS    also read Secrets of this namespace (repeatable; default the operators')
  --dry-run                print the plan (the default)
  -o, --output yaml        print the manifests instead, for GitOps
  --apply                  apply the plan: platform objects, XRs, wait for Ready, then release
  --wait DURATION          how long --apply waits for each XR to be Ready (default 10m)
  --operator NAME=NS/DEPLOY  the operator's Deployment --apply scales to 0 (default per operator)
  --composition KIND=NAME  the Composition the written composites of that kind use (repeatable;
                           spec.crossplane.compositionRef), e.g. the platform's own with other backends
`;

/** What the command needs from outside: output streams and the cluster of a kubeconfig. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  connect: (kubeconfig: string | undefined, context: string | undefined) => Cluster;
}

/** `10m`, `90s`, `1h` as milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) throw new UsageError(`--wait: "${text}" is not a duration; write it like 90s, 10m or 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        from: { type: 'string', multiple: true, default: [] },
        file: { type: 'string', short: 'f', multiple: true, default: [] },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string', short: 'n', multiple: true, default: [] },
        'secret-namespace': { type: 'string', multiple: true, default: [] },
        'dry-run': { type: 'boolean', default: false },
        output: { type: 'string', short: 'o' },
        apply: { type: 'boolean', default: false },
        wait: { type: 'string', default: '10m' },
        operator: { type: 'string', multiple: true, default: [] },
        composition: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

function chooseSources(names: string[]): MigrationSource[] {
  const unknown = names.filter((n) => !allSources.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new UsageError(
      `--from: no operator ${unknown.join(', ')}; choose from ${allSources.map((s) => s.name).join(', ')}`,
    );
  return names.length === 0 ? allSources : allSources.filter((s) => names.includes(s.name));
}

function operators(
  flags: string[],
  sources: MigrationSource[],
): Map<string, { namespace: string; name: string }> {
  const chosen = new Map(sources.flatMap((s) => (s.operator ? [[s.name, s.operator] as const] : [])));
  for (const flag of flags) {
    const match = /^([^=]+)=([a-z0-9-]+)\/([a-z0-9.-]+)$/.exec(flag);
    if (!match || !sources.some((s) => s.name === match[1]))
      throw new UsageError(
        `--operator: "${flag}" is not <operator>=<namespace>/<deployment> of a chosen operator`,
      );
    chosen.set(match[1] as string, { namespace: match[2] as string, name: match[3] as string });
  }
  return chosen;
}

/** Runs the command; returns the exit code (0 done, 1 failed, 2 wrong usage). */
export async function run(argv: string[], io: Io): Promise<number> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(argv);
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (values.output !== undefined && values.output !== 'yaml')
      throw new UsageError(`-o: "${values.output}" is not an output; only yaml is`);
    if (values.apply && (values['dry-run'] || values.output !== undefined))
      throw new UsageError('--apply: leave out --dry-run and -o; --apply prints what it does');
    if (values.apply && values.file.length > 0)
      throw new UsageError('--apply: reads the originals from the cluster it applies to; leave out --file');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`stackplane migrate: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const sources = chooseSources(values.from);
    const wait = parseDuration(values.wait);
    const chosenOperators = operators(values.operator, sources);
    const compositions = parseCompositions(values.composition);
    const cluster = values.file.length > 0 ? undefined : io.connect(values.kubeconfig, values.context);
    const inventory: Inventory = cluster
      ? await readCluster(cluster, sources, {
          namespaces: values.namespace,
          secretNamespaces: [
            ...values['secret-namespace'],
            ...[...chosenOperators.values()].map((o) => o.namespace),
          ],
          operators: chosenOperators,
        })
      : readFiles(values.file);
    const plans: SourcePlan[] = sources.map((source) => {
      const operator = chosenOperators.get(source.name);
      const entries = withCompositions(source.plan(inventory), compositions);
      return {
        source: source.name,
        entries,
        ...(operator ? { operator } : {}),
        ...(source.stopsFirst !== undefined ? { stopsFirst: source.stopsFirst } : {}),
      };
    });
    if (values.output === 'yaml') {
      io.out(formatManifests(plans.flatMap((p) => p.entries)));
      return 0;
    }
    io.out(`${formatPlan(plans)}\n`);
    if (!values.apply || !cluster) return 0;
    await applyPlans(cluster, plans, { timeoutMs: wait, log: (line) => io.out(`${line}\n`) });
    io.out('done: every migrated original is released\n');
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CompositionFlagError) {
      io.err(`stackplane migrate: ${error.message}\n`);
      return 2;
    }
    io.err(`stackplane migrate: ${(error as Error).message}\n`);
    return 1;
  }
}

/** The command line: `stackplane migrate ...` or `tsx migrate/cli.ts ...`. */
export async function main(argv: string[]): Promise<number> {
  return run(argv, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    connect: (kubeconfig, context) => KubeCluster.load(kubeconfig, context),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
