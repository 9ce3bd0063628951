// BENCH_SCENARIO=scale npm run bench:provider — one provider replica holding BENCH_RESOURCES (default
// 10,000) managed resources of a platform's mix, in units of seven: a reseller Project, a User (its
// password from a Secret, a connection Secret), their ProjectMembership and an ApplicationCredential
// (connection Secret), and a storage Project with its root Credential and a Token (connection Secret).
// Units are spread over BENCH_PROVIDER_CONFIGS reseller regions (with Keystone, plain HTTP) and as many
// storage configs (HTTPS, a self-signed CA), each with its own budget of --max-reconcile-rate. Every
// unit is created at once; the membership and the credential follow as soon as their project's and
// user's ids are known, as a Composition's next step would. Then the provider is held on its poll for
// BENCH_HOLD_SECONDS: CPU, calls per resource and poll, and memory while steady.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { RestKubeClient, type KubeObject, type ResourceType } from '../provider/src/runtime/kube.js';
import { providerConfigTypes } from '../provider/src/runtime/providerconfig.js';
import { InformerWatch } from '../provider/src/runtime/controller.js';
import { pino } from 'pino';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { freePort } from '../testing/wait.js';
import { trimForCache } from '../provider/src/runtime/cache-transform.js';
import type { ManagedResource } from '../provider/src/runtime/resource.js';
import { FakeKeystone } from '../testing/fakes/keystone.js';
import { DEFAULT_ACCOUNT, FakeResellerAPI } from '../testing/fakes/reseller-api.js';
import { FakeStorageAPI } from '../testing/fakes/storage-api.js';
import { selfSignedLoopback } from '../testing/fakes/tls.js';
import { findKubeApiServer, startKubeApiServer } from '../testing/kube-apiserver.js';
import {
  createRegion,
  installProviderCrds,
  resellerType,
  type MRModifier,
} from '../test/support/provider-cluster.js';
import { createNamespace, isReady, secretType } from '../test/support/runtime-cluster.js';
import {
  childCpuSeconds,
  loadAverage,
  mib,
  ProviderProcess,
  providerNodeFlags,
  type MemorySample,
} from './provider-process.js';
import { batch, LATENCY_MS, NAMESPACE, OUT, sleep } from './provider-settings.js';
import { applicationCredential, membership, passwordSecret, project, user } from './reseller-unit.js';
import { apiServerWrites, counterDelta, perResource, providerReconciles } from './provider-scale-metrics.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TOTAL = env('BENCH_RESOURCES', 10_000);
const RATE = env('BENCH_MAX_RECONCILE_RATE', 50);
const CONFIGS = env('BENCH_PROVIDER_CONFIGS', 2);
const POLL_SECONDS = env('BENCH_POLL_SECONDS', 60);
const HOLD_SECONDS = env('BENCH_HOLD_SECONDS', 60);
/** How long to wait for all Ready before holding and reporting anyway. */
const READY_TIMEOUT_SECONDS = env('BENCH_READY_TIMEOUT_SECONDS', 1_800);
/** How often the bench lists every kind to count Ready: a list of 10,000 objects costs the API server. */
const COUNT_EVERY_MS = 3_000;
const ADMIN_TOKEN = 'bench-admin-token';

const storageType = (plural: string): ResourceType => ({
  group: 'storage.m.stackplane.io',
  version: 'v1alpha1',
  plural,
  namespaced: true,
});
const KINDS = {
  projects: resellerType('projects'),
  users: resellerType('users'),
  memberships: resellerType('projectmemberships'),
  credentials: resellerType('applicationcredentials'),
  storageProjects: storageType('projects'),
  storageCredentials: storageType('credentials'),
  tokens: storageType('tokens'),
};
const ALL_KINDS = Object.values(KINDS);

/** Where a unit's resources go: its region and its storage config. */
const configRef = (name: string) => ({ providerConfigRef: { kind: 'ClusterProviderConfig', name } });
/** Unit i's reseller resources go to region i mod the configs. */
const inRegion =
  (i: number): MRModifier =>
  (mr) =>
    Object.assign(mr.spec, configRef(`region-${i % CONFIGS}`));

/** The scale run; prints its figures. */
export async function scale(): Promise<void> {
  const binaries = findKubeApiServer();
  if ('missing' in binaries) throw new Error(`cannot run the benchmark: ${binaries.missing}`);
  mkdirSync(OUT, { recursive: true });
  console.log('building the provider (npm run build)');
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  const units = Math.floor(TOTAL / 7);
  const total = units * 7;
  const loadBefore = loadAverage();

  const server = await startKubeApiServer(binaries);
  const kube = new RestKubeClient(server.kubeConfig);
  const reseller = await new FakeResellerAPI({ faults: { latencyMs: LATENCY_MS } }).start();
  const keystone = await new FakeKeystone((id, password) => reseller.authenticate(id, password)).start();
  keystone.faults.configure({ latencyMs: LATENCY_MS });
  const tls = selfSignedLoopback();
  const storage = await new FakeStorageAPI(ADMIN_TOKEN, tls).start();
  storage.faults.configure({ latencyMs: LATENCY_MS });
  const work = mkdtempSync(join(tmpdir(), 'stackplane-bench-'));
  const kubeconfig = join(work, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeConfig.exportConfig());
  const metricsPort = await freePort();
  const metricsURL = `http://127.0.0.1:${metricsPort}/metrics`;
  const flags = [
    `--namespace=${NAMESPACE}`,
    `--poll=${POLL_SECONDS}s`,
    `--max-reconcile-rate=${RATE}`,
    `--metrics-bind-address=127.0.0.1:${metricsPort}`,
    '--health-probe-bind-address=127.0.0.1:0',
  ];
  const log = createWriteStream(join(OUT, 'provider-scale.log'));
  const provider = new ProviderProcess(work, flags, kubeconfig, log, process.env['BENCH_HEAP_SNAPSHOT']);
  let stopWatches: () => Promise<unknown> = async () => {};
  const calls = () => reseller.requests.length + keystone.requests.length + storage.requests.length;
  try {
    await installProviderCrds(kube);
    await createNamespace(kube, 'crossplane-system');
    await createNamespace(kube, NAMESPACE);
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    for (let c = 0; c < CONFIGS; c++) {
      await createRegion(
        kube,
        `region-${c}`,
        { endpoint: reseller.url, username: DEFAULT_ACCOUNT.username, password: DEFAULT_ACCOUNT.password },
        { keystone: { authURL: keystone.url } },
      );
      await kube.create(secretType, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `lightos-${c}`, namespace: 'crossplane-system' },
        data: {
          token: base64(ADMIN_TOKEN),
          'key.pem': base64(key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
          'ca.crt': base64(tls.cert),
        },
      } as KubeObject);
      const ref = (k: string) => ({ name: `lightos-${c}`, key: k });
      await kube.create(providerConfigTypes.ClusterProviderConfig, {
        apiVersion: 'm.stackplane.io/v1alpha1',
        kind: 'ClusterProviderConfig',
        metadata: { name: `lightos-${c}` },
        spec: {
          storage: {
            endpoints: [storage.endpoint],
            adminTokenSecretRef: ref('token'),
            adminPrivateKeySecretRef: ref('key.pem'),
            caSecretRef: ref('ca.crt'),
          },
        },
      } as KubeObject);
    }
    const quiet = pino({ level: 'error' });
    const watches = ALL_KINDS.map(
      (t) =>
        [
          `${t.plural}.${t.group.split('.')[0]}`,
          new InformerWatch(server.kubeConfig, kube, t, quiet, NAMESPACE),
        ] as const,
    );
    for (const [, watch] of watches) await watch.start();
    stopWatches = () => Promise.all(watches.map(([, w]) => w.stop()));
    const writesAtStart = await apiServerWrites(server.kubeConfig);
    provider.start();
    const started = Date.now();
    const cpuAtStart = childCpuSeconds();
    console.log(
      `scale run: ${units} units of 7, ${total} managed resources, ${CONFIGS} regions and storage configs`,
    );
    const index = Array.from({ length: units }, (_, i) => i);
    const password = (i: number) => `bench-password-${i}`;
    const projectName = (i: number) => i.toString(16).padStart(32, '0');
    await batch(index, async (i) => {
      const lightos = configRef(`lightos-${i % CONFIGS}`);
      const mr = (kind: string, name: string, forProvider: Record<string, unknown>, spec = {}) =>
        ({
          apiVersion: 'storage.m.stackplane.io/v1alpha1',
          kind,
          metadata: { name, namespace: NAMESPACE },
          spec: { ...lightos, forProvider, ...spec },
        }) as KubeObject;
      await kube.create(secretType, passwordSecret(i, password(i)));
      await Promise.all([
        kube.create(KINDS.projects, project(i, inRegion(i))),
        kube.create(KINDS.users, user(i, inRegion(i))),
        kube.create(KINDS.storageProjects, mr('Project', `s${i}`, { name: projectName(i) })),
        kube.create(
          KINDS.storageCredentials,
          mr('Credential', `s${i}-root`, { projectName: projectName(i) }),
        ),
        kube.create(
          KINDS.tokens,
          mr(
            'Token',
            `s${i}-csi`,
            { projectName: projectName(i), subject: `tenant-${i}` },
            { writeConnectionSecretToRef: { name: `s${i}-token` } },
          ),
        ),
      ]);
    });
    const created = Date.now();
    console.log(`first wave created in ${((created - started) / 1000).toFixed(1)} s`);

    // Counts Ready per kind from watches (a list of 10,000 objects every few seconds would load the
    // API server more than the provider does); creates each unit's membership and credential once its
    // project's and user's ids are known.
    const second = new Set<number>();
    let ready = 0;
    let byKind: Record<string, number> = {};
    while (ready < total) {
      await sleep(COUNT_EVERY_MS);
      const ids = new Map<string, string>();
      byKind = {};
      ready = 0;
      for (const [plural, watch] of watches) {
        const items = watch.list() as ReadonlyArray<ManagedResource>;
        const n = items.filter(isReady).length;
        byKind[plural] = n;
        ready += n;
        if (plural !== 'projects.reseller' && plural !== 'users.reseller') continue;
        for (const mr of items) {
          const id = mr.status?.atProvider?.['id'];
          if (isReady(mr) && typeof id === 'string') ids.set(mr.metadata.name, id);
        }
      }
      const due = index.filter((i) => !second.has(i) && ids.has(`p${i}`) && ids.has(`u${i}`));
      for (const i of due) second.add(i);
      await batch(due, async (i) => {
        const projectID = ids.get(`p${i}`)!;
        const userID = ids.get(`u${i}`)!;
        await kube.create(KINDS.memberships, membership(i, projectID, userID, inRegion(i)));
        await kube.create(KINDS.credentials, applicationCredential(i, projectID, userID, inRegion(i)));
      });
      // A machine too slow to finish still reports what it measured, with how far it got.
      if (Date.now() - started > READY_TIMEOUT_SECONDS * 1_000) break;
    }
    const allReady = Date.now();
    const callsUntilReady = calls();
    const peakWhileCreating = provider.peakRssMiB();
    const loadAtReady = loadAverage();
    const cpuUntilReady = cpuDelta(cpuAtStart, childCpuSeconds());
    const reconcilesUntilReady = await providerReconciles(metricsURL);
    const writesUntilReady = counterDelta(writesAtStart, await apiServerWrites(server.kubeConfig));
    console.log(`${ready} of ${total} Ready after ${((allReady - started) / 1000).toFixed(1)} s`);

    // Steady: a short settle, then the hold. CPU and calls over the hold; memory sampled throughout.
    await sleep(10_000);
    const cpuAtHold = childCpuSeconds();
    const reconcilesAtHold = await providerReconciles(metricsURL);
    const fromCalls = calls();
    const holdStart = Date.now();
    await sleep(HOLD_SECONDS * 1_000);
    const holdEnd = Date.now();
    const steadyCalls = calls() - fromCalls;
    const cpuInHold = cpuDelta(cpuAtHold, childCpuSeconds());
    const reconcilesInHold = counterDelta(reconcilesAtHold, await providerReconciles(metricsURL));
    const samples = provider.samples();
    const inHold = samples.filter((s) => s.at >= holdStart && s.at <= holdEnd);
    const first = inHold[0];
    const last = inHold[inHold.length - 1];
    const providerCores =
      first && last && last.at > first.at
        ? (last.cpuMicros - first.cpuMicros) / 1000 / (last.at - first.at)
        : NaN;
    const peak = samples.reduce((a, s) => (s.rss > a.rss ? s : a), samples[0]!);
    const peakHeap = Math.max(...samples.map((s) => s.heapUsed));
    const loadAfter = loadAverage();
    const peakRss = provider.peakRssMiB();
    const afterGC = await provider.sampleAfterGC();
    const cache = await cacheCost(kube);
    const row = (label: string, s: MemorySample | undefined) =>
      s === undefined
        ? `  ${label}: no sample`
        : `  ${label}: RSS ${mib(s.rss)}, V8 heap used ${mib(s.heapUsed)} of ${mib(s.heapTotal)}, external ${mib(s.external)} (ArrayBuffers ${mib(s.arrayBuffers)})`;
    const pollsInHold = HOLD_SECONDS / POLL_SECONDS;
    const perConfig = Math.ceil(units / CONFIGS) * 7;
    const perReseller = Math.ceil(units / CONFIGS) * 4;
    const bound = (2 * Math.max(perReseller, perConfig - perReseller)) / RATE;
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`
scale run
machine: ${cpus().length} vCPU ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}
load average (1, 5, 15 min): before ${loadBefore}; at all Ready ${loadAtReady}; after the hold ${loadAfter}
provider flags: ${flags.join(' ')}; Node.js flags: ${providerNodeFlags().join(' ') || 'none'}
fake APIs: reseller (HTTP), Keystone (HTTP), storage (HTTPS); ${LATENCY_MS} ms per call
resources: ${total} (${units} each of reseller Project, User, ProjectMembership, ApplicationCredential, storage Project, Credential, Token) over ${CONFIGS} regions and ${CONFIGS} storage configs
first wave (5 of 7 per unit) created in: ${((created - started) / 1000).toFixed(1)} s
${ready < total ? `NOT all Ready: ${ready} of ${total} after` : 'all Ready after:'} ${((allReady - started) / 1000).toFixed(1)} s (from the provider's start; by kind ${JSON.stringify(byKind)}); budget bound ${bound.toFixed(1)} s (2 reconciles x the busiest config's ${Math.max(perReseller, perConfig - perReseller)} resources / ${RATE} per s): ratio ${((allReady - started) / 1000 / bound).toFixed(2)}
CPU until all Ready, cores on average: ${cores(cpuUntilReady, allReady - started)}
external calls until all Ready: ${callsUntilReady} (${(callsUntilReady / total).toFixed(2)} per resource)
provider reconciles until all Ready (per resource): ${perResource(reconcilesUntilReady, total)}
API server writes until all Ready, the bench's own creates included (per resource): ${perResource(writesUntilReady, total)}
provider reconciles in the hold (per resource): ${perResource(reconcilesInHold, total)}
steady over ${HOLD_SECONDS} s (${pollsInHold.toFixed(2)} polls of ${POLL_SECONDS} s): ${steadyCalls} calls, ${(steadyCalls / total / pollsInHold).toFixed(3)} per resource and poll; provider CPU ${providerCores.toFixed(3)} cores (probe); CPU by process ${cores(cpuInHold, holdEnd - holdStart)}
memory:
  peak RSS (VmHWM): ${peakRss.toFixed(1)} MiB (${peakWhileCreating.toFixed(1)} MiB when all were Ready); peak V8 heap used ${mib(peakHeap)}
${row('at the peak sample', peak)}
${row('steady (last sample of the hold)', last)}
${row('steady after a full GC', afterGC)}
  informer caches (the managed resources and their ProviderConfigUsages, ${cache.objects} objects, ${mib(cache.jsonBytes)} of JSON), V8 heap as the API server sends them: ${mib(cache.full)}; trimmed as the cache keeps them now: ${mib(cache.trimmed)}
  per resource after a full GC: ${afterGC ? (afterGC.heapUsed / total / 1024).toFixed(1) : '?'} KiB V8 heap, ${afterGC ? (afterGC.rss / total / 1024).toFixed(1) : '?'} KiB RSS`);
  } finally {
    await stopWatches();
    await provider.kill('SIGTERM');
    kube.close();
    await storage.stop();
    await keystone.stop();
    await reseller.stop();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** CPU seconds per process name between two readings. */
function cpuDelta(from: Map<string, number>, to: Map<string, number>): Map<string, number> {
  return new Map([...to].map(([name, seconds]) => [name, seconds - (from.get(name) ?? 0)]));
}

/** "name 0.12, ..." in cores: CPU seconds over the wall time. */
function cores(cpu: Map<string, number>, wallMs: number): string {
  return [...cpu].map(([name, seconds]) => `${name} ${(seconds / (wallMs / 1000)).toFixed(2)}`).join(', ');
}

/**
 * What the provider's informer caches cost: the V8 heap the same objects take in this process (every
 * managed resource and every ProviderConfigUsage, parsed from one list each), as the API server sends
 * them and trimmed by trimForCache.
 */
async function cacheCost(
  kube: RestKubeClient,
): Promise<{ objects: number; jsonBytes: number; full: number; trimmed: number }> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  const lists = await Promise.all(
    [...ALL_KINDS, providerConfigTypes.ProviderConfigUsage].map((t) => kube.list<KubeObject>(t, NAMESPACE)),
  );
  const objects = lists.flatMap((l) => l.items);
  const full = heap() - before;
  const jsonBytes = objects.reduce((sum, o) => sum + Buffer.byteLength(JSON.stringify(o)), 0);
  for (const o of objects) trimForCache(o);
  const trimmed = heap() - before;
  return { objects: objects.length, jsonBytes, full, trimmed };
}
