// npm run bench:control-plane — many composites at once on the end-to-end control plane (real
// kube-apiserver, etcd, Crossplane core, function-stackplane and provider-stackplane, fakes of the
// external APIs; see scripts/control-plane/). Not part of npm test or the e2e.
//
// BENCH_COMPOSITES (default 1,000, a multiple of 10) composites are created at once, ten per group
// namespace. BENCH_MIX picks the group: `services` (the default) is two reseller chains (Project,
// User, UserProjectBinding), postgres/aws, blobstorage/aws, placementapi/basic and redis/aws, about
// 3.5 composed resources a composite; `storage` is one reseller chain, the same four data and
// placement examples and three StorageTenants with four classes each whose target is a tenant
// cluster (storagetenant/remote: the storage project, credential and token here, the rest as
// provider-kubernetes Objects), about 11 a composite. The reseller chains reach Ready against the
// fakes, and the StorageTenants count as done once their token is written; the others' providers
// (AWS, SQL, OpenStack, provider-kubernetes) or kubelet do not run here, so they count as done once
// Synced with their resources composed. Reported: time until all are done, composed resources, Crossplane's
// reconciles and circuit-breaker drops, CPU seconds per process, then deleting them all: time, and
// what is left in the reseller fake. Then, unless BENCH_TABLE_ROUND=0, the same composites again with
// the table function (bench/table-function/) in function-stackplane's place, and the ratios.
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { findBinaries } from '../scripts/control-plane/binaries.js';
import { startControlPlane, type ControlPlane } from '../scripts/control-plane/index.js';
import type { KubeObject, Objects } from '../scripts/control-plane/objects.js';
import { condition, exampleObjects, inNamespace, isXR, resourceRefs } from '../test/e2e/support.js';
import { cpuOf, metricSums, p99Seconds, processPids, WATCHED } from './control-plane-metrics.js';
import { serveTable } from './table-function/serve.js';
import { recordTable } from './table-function/record.js';
import { envFlags } from './env-flags.js';

const COMPOSITES = Number(process.env['BENCH_COMPOSITES'] ?? 1_000);
/** How long all composites may take to be done, and to be deleted. */
const TIMEOUT_MS = Number(process.env['BENCH_TIMEOUT_SECONDS'] ?? 3_600) * 1000;
/** How many applies and deletes are in flight at once, as a GitOps tool or a script would send them. */
const CONCURRENCY = 16;
const POLL_MS = 5_000;
/**
 * Whether a second round runs the same composites on the table function (bench/table-function/):
 * function-stackplane's desired resources recorded from the first round and served with no logic.
 */
const TABLE_ROUND = process.env['BENCH_TABLE_ROUND'] !== '0';
/** More flags for Crossplane core, space-separated: `--max-reconcile-rate=10 --poll-interval=5m`. */
const CROSSPLANE_ARGS = envFlags('BENCH_CROSSPLANE_ARGS');
/**
 * More flags for kube-apiserver, space-separated, after the control plane's (which runs priority and
 * fairness off): `--enable-priority-and-fairness=true --max-requests-inflight=800`.
 */
const APISERVER_ARGS = envFlags('BENCH_APISERVER_ARGS');
/**
 * More flags for kube-controller-manager, whose garbage collector deletes what a deleted composite
 * composed: `--kube-api-qps=100 --kube-api-burst=200` (its defaults are 20 and 30).
 */
const CONTROLLER_MANAGER_ARGS = envFlags('BENCH_CONTROLLER_MANAGER_ARGS');
/** More flags for provider-stackplane, space-separated: `--max-reconcile-rate=50`. */
const PROVIDER_ARGS = envFlags('BENCH_PROVIDER_ARGS');
const OUT = resolve('_output/bench');

/** One group of ten composites; the reseller chains are examples/*\/sample renamed per chain. */
const OTHER_EXAMPLES = ['postgres/aws', 'blobstorage/aws', 'placementapi/basic', 'redis/aws'] as const;
const MIXES = {
  services: { chains: 2, storageTenants: 0 },
  storage: { chains: 1, storageTenants: 3 },
} as const;
const MIX_NAME = process.env['BENCH_MIX'] ?? 'services';
if (!(MIX_NAME in MIXES))
  throw new Error(`BENCH_MIX=${MIX_NAME}: must be one of ${Object.keys(MIXES).join(', ')}`);
const MIX = MIXES[MIX_NAME as keyof typeof MIXES];
/** The classes of each StorageTenant of the storage mix. */
const TENANT_CLASSES = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The reseller chain of the samples, its names suffixed so that several live in one namespace. */
function resellerChain(namespace: string, suffix: string): KubeObject[] {
  const project = exampleObjects('project/sample').xr;
  const user = exampleObjects('user/sample').xr;
  const binding = exampleObjects('userprojectbinding/sample').xr;
  const named = (o: KubeObject, name: string, spec?: Record<string, unknown>): KubeObject => ({
    ...o,
    metadata: { ...o.metadata, name, namespace },
    ...(spec ? { spec: { ...(o['spec'] as Record<string, unknown>), ...spec } } : {}),
  });
  return [
    named(project, `project-${suffix}`),
    named(user, `user-${suffix}`),
    named(binding, `binding-${suffix}`, { user: `user-${suffix}`, project: `project-${suffix}` }),
  ];
}

/**
 * A StorageTenant whose target is a tenant cluster of its own in namespace (the cluster's
 * provider-kubernetes ProviderConfig; provider-kubernetes does not run here), with its own storage
 * project. Each tenant cluster has a namespace of its own: its token Secret is written there.
 */
function remoteStorageTenant(namespace: string, group: number, index: number): KubeObject {
  const tenant = exampleObjects('storagetenant/remote').xr;
  const spec = tenant['spec'] as { target: Record<string, unknown> };
  const projectID = (group * 10 + index).toString(16).padStart(32, 'b');
  return {
    ...tenant,
    metadata: { name: namespace },
    spec: {
      ...spec,
      projectID,
      target: { ...spec.target, namespace },
      storageClasses: Array.from({ length: TENANT_CLASSES }, (_, c) => ({
        name: `partition-${c}`,
        replicas: 1 + (c % 3),
        default: c === 0,
      })),
    },
  };
}

/** Every group's prerequisites (once per namespace) and XRs. */
function workload(groups: number): { prerequisites: KubeObject[]; xrs: KubeObject[] } {
  const prerequisites = new Map<string, KubeObject>();
  const xrs: KubeObject[] = [];
  const key = (o: KubeObject) =>
    `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  for (let g = 0; g < groups; g++) {
    const namespace = `bench-${g}`;
    prerequisites.set(`ns/${namespace}`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
    for (let c = 0; c < MIX.chains; c++) xrs.push(...resellerChain(namespace, `${c}`));
    for (let t = 0; t < MIX.storageTenants; t++) {
      const tenantNamespace = `${namespace}-tenant-${t}`;
      prerequisites.set(`ns/${tenantNamespace}`, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: tenantNamespace },
      });
      xrs.push(remoteStorageTenant(tenantNamespace, g, t));
    }
    for (const name of OTHER_EXAMPLES) {
      const example = inNamespace(exampleObjects(name), namespace);
      for (const o of example.prerequisites) {
        if (isXR(o)) xrs.push(o);
        else prerequisites.set(key(o), o);
      }
      if (!example.xr.metadata?.namespace)
        throw new Error(`example ${name}: a cluster-scoped XR cannot be repeated per group`);
      xrs.push(example.xr);
    }
  }
  // An example's prerequisite XR (a snapshot's source) may be listed by several examples.
  const unique = new Map(xrs.map((o) => [key(o), o]));
  return { prerequisites: [...prerequisites.values()], xrs: [...unique.values()] };
}

/** Runs f over items with at most CONCURRENCY in flight. */
async function eachLimited<T>(items: T[], f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await f(items[next++]!);
    }),
  );
}

const isReseller = (o: KubeObject) => o.apiVersion?.startsWith('reseller.stackplane.io/') ?? false;

/**
 * Done: a reseller XR Ready; a StorageTenant once its token is written (provider-stackplane's part:
 * the rest, composed with it, waits for provider-kubernetes); any other XR Synced with its resources
 * composed.
 */
function isDone(o: KubeObject): boolean {
  if (isReseller(o)) return condition(o, 'Ready')?.status === 'True';
  const synced = condition(o, 'Synced')?.status === 'True' && resourceRefs(o).length > 0;
  if (o.kind === 'StorageTenant')
    return (
      synced && ['CopyingToken', 'TokenAvailable'].includes(condition(o, 'StorageCredentials')?.reason ?? '')
    );
  return synced;
}

/** Every XR of the kinds in xrs, listed across namespaces. */
async function listAll(objects: Objects, xrs: KubeObject[]): Promise<KubeObject[]> {
  const kinds = new Map(xrs.map((o) => [`${o.apiVersion}/${o.kind}`, o]));
  const lists = await Promise.all(
    [...kinds.values()].map((o) => objects.list<KubeObject>(o.apiVersion!, o.kind!)),
  );
  return lists.flat().filter((o) => (o.metadata?.namespace ?? o.metadata?.name ?? '').startsWith('bench-'));
}

/**
 * listAll, or undefined when a list fails: under load a list of thousands of XRs can be cut off, and
 * the next poll lists again.
 */
async function listAllOrUndefined(objects: Objects, xrs: KubeObject[]): Promise<KubeObject[] | undefined> {
  try {
    return await listAll(objects, xrs);
  } catch (err) {
    console.log(`cannot list the composites, listing again at the next poll: ${String(err)}`);
    return undefined;
  }
}

/** What one round measured, from the first apply until every composite was done. */
interface Round {
  loadAverageAtStart: number;
  composites: number;
  composedResources: number;
  appliedSeconds: number;
  allDoneSeconds: number;
  cpuSecondsUntilDone: Record<string, number>;
  reconciles: number;
  circuitBreaker: { opens: number; events: Record<string, number> };
  runFunctionCalls: number;
  runFunctionP99Seconds: number | undefined;
  deletedSeconds?: number;
}

/** Applies every composite at once and waits until all are done; returns the figures and the XRs. */
async function createAll(
  cp: ControlPlane,
  xrs: KubeObject[],
): Promise<{ round: Round; listed: KubeObject[] }> {
  const pids = processPids(cp.logDir);
  const cpuBefore = cpuOf(pids);
  const metricsBefore = await metricSums(cp.crossplane.metricsUrl);
  const load = loadavg()[0]!;
  const start = performance.now();
  await eachLimited(xrs, (o) => cp.objects.apply(o));
  const applied = (performance.now() - start) / 1000;
  let done = 0;
  let listed: KubeObject[] = [];
  while (done < xrs.length) {
    if (performance.now() - start > TIMEOUT_MS) throw new Error(`only ${done} of ${xrs.length} done in time`);
    await sleep(POLL_MS);
    const now = await listAllOrUndefined(cp.objects, xrs);
    if (now === undefined) continue;
    listed = now;
    done = listed.filter(isDone).length;
    console.log(`${((performance.now() - start) / 1000).toFixed(0)} s: ${done} of ${xrs.length} done`);
  }
  const allDone = (performance.now() - start) / 1000;
  const cpuAfter = cpuOf(pids);
  const metricsAfter = await metricSums(cp.crossplane.metricsUrl);
  const delta = Object.fromEntries(
    Object.keys(metricsAfter).map((n) => [n, (metricsAfter[n] ?? 0) - (metricsBefore[n] ?? 0)]),
  );
  const matching = (prefix: string) =>
    Object.fromEntries(Object.entries(delta).filter(([n]) => n.startsWith(prefix)));
  const round: Round = {
    loadAverageAtStart: Number(load.toFixed(1)),
    composites: xrs.length,
    composedResources: listed.reduce((n, o) => n + resourceRefs(o).length, 0),
    appliedSeconds: Number(applied.toFixed(1)),
    allDoneSeconds: Number(allDone.toFixed(1)),
    cpuSecondsUntilDone: Object.fromEntries(
      [...pids.keys()]
        .filter((name) => WATCHED.includes(name))
        .map((name) => [name, Number((cpuAfter[name]! - cpuBefore[name]!).toFixed(1))]),
    ),
    reconciles: delta['controller_runtime_reconcile_total'] ?? 0,
    circuitBreaker: {
      opens: delta['circuit_breaker_opens_total'] ?? 0,
      events: matching('circuit_breaker_events_total'),
    },
    runFunctionCalls: delta['function_run_function_seconds_count'] ?? 0,
    runFunctionP99Seconds: p99Seconds(matching('function_run_function_seconds_bucket')),
  };
  return { round, listed };
}

/** Deletes every composite; done when they are gone and the reseller fake holds no project, user or membership. */
async function deleteAll(cp: ControlPlane, xrs: KubeObject[]): Promise<number> {
  const start = performance.now();
  await eachLimited(xrs, (o) => cp.objects.delete(o));
  const left = async () =>
    ((await listAllOrUndefined(cp.objects, xrs))?.length ?? Infinity) +
    cp.fakes.reseller.projects.size +
    cp.fakes.reseller.users.size +
    cp.fakes.reseller.memberships.size;
  while ((await left()) > 0) {
    if (performance.now() - start > TIMEOUT_MS)
      throw new Error(`${await left()} objects not deleted in time`);
    await sleep(POLL_MS);
  }
  // A StorageTenant's deletion keeps its storage project (README: StorageTenant).
  console.log(`deleted; the storage fake keeps ${cp.fakes.storage.projects.size} projects`);
  return Number(((performance.now() - start) / 1000).toFixed(1));
}

async function main(): Promise<void> {
  if (COMPOSITES % 10 !== 0) throw new Error(`BENCH_COMPOSITES=${COMPOSITES}: must be a multiple of 10`);
  const binaries = findBinaries();
  if ('missing' in binaries)
    throw new Error(`cannot run the benchmark: missing ${binaries.missing.join('; ')}`);
  mkdirSync(OUT, { recursive: true });
  const cp = await startControlPlane({
    binaries,
    crossplaneArgs: CROSSPLANE_ARGS,
    apiServerArgs: APISERVER_ARGS,
    controllerManagerArgs: CONTROLLER_MANAGER_ARGS,
    ...(PROVIDER_ARGS.length > 0 ? { providerArgs: PROVIDER_ARGS } : {}),
  });
  console.log(`control plane up; logs in ${cp.logDir}`);
  try {
    const { prerequisites, xrs } = workload(COMPOSITES / 10);
    // Namespaces first: a Secret applied beside its Namespace may reach the API server before it.
    const isNamespace = (o: KubeObject) => o.kind === 'Namespace';
    await eachLimited(prerequisites.filter(isNamespace), (o) => cp.objects.apply(o));
    await eachLimited(
      prerequisites.filter((o) => !isNamespace(o)),
      (o) => cp.objects.apply(o),
    );

    const ours = await createAll(cp, xrs);
    console.log(`function-stackplane: ${JSON.stringify(ours.round)}`);
    let recordSeconds: number | undefined;
    if (TABLE_ROUND) {
      const start = performance.now();
      const table = await recordTable(cp.objects, ours.listed);
      recordSeconds = Number(((performance.now() - start) / 1000).toFixed(1));
      console.log(`table of ${table.size} entries recorded in ${recordSeconds} s`);
      ours.round.deletedSeconds = await deleteAll(cp, xrs);
      await serveTable(cp, table);
      const fromTable = await createAll(cp, xrs);
      console.log(`table function: ${JSON.stringify(fromTable.round)}`);
      fromTable.round.deletedSeconds = await deleteAll(cp, xrs);
      report({
        crossplane: binaries.crossplane,
        functionStackplane: ours.round,
        tableFunction: fromTable.round,
        recordSeconds,
      });
    } else {
      ours.round.deletedSeconds = await deleteAll(cp, xrs);
      report({ crossplane: binaries.crossplane, functionStackplane: ours.round });
    }
  } finally {
    await cp.stop();
  }
}

/** Writes the figures, with the ratios of the two rounds when both ran. */
function report(rounds: {
  crossplane: string;
  functionStackplane: Round;
  tableFunction?: Round;
  recordSeconds?: number | undefined;
}): void {
  const { functionStackplane: ours, tableFunction: table } = rounds;
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  const result = {
    date: new Date().toISOString(),
    cores: cpus().length,
    crossplaneArgs: CROSSPLANE_ARGS,
    apiServerArgs: APISERVER_ARGS,
    controllerManagerArgs: CONTROLLER_MANAGER_ARGS,
    providerArgs: PROVIDER_ARGS,
    mix: MIX_NAME,
    ...rounds,
    ...(table
      ? {
          ratios: {
            allDone: ratio(ours.allDoneSeconds, table.allDoneSeconds),
            reconciles: ratio(ours.reconciles, table.reconciles),
            runFunctionCalls: ratio(ours.runFunctionCalls, table.runFunctionCalls),
          },
        }
      : {}),
  };
  writeFileSync(join(OUT, 'control-plane.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

await main();
