// npm run bench:provider — provider-stackplane as built for production (tsc, own process,
// `node dist/provider/src/main.js`) against a real kube-apiserver and etcd and the fake APIs with
// 50 ms latency per call. BENCH_SCENARIO picks the runs (default all):
// - create: 1,000 reseller Projects: time until all are Ready, API calls per resource and poll while
//   steady, and the provider process's peak RSS;
// - faults: Projects, Users, memberships and application credentials with 10% injected faults (error
//   answers 500/429, dropped connections, writes performed and left unanswered) while the provider is
//   killed and restarted twice, when a third and when two thirds are Ready: time until all Ready,
//   duplicates, leftovers after deleting everything, calls per resource and poll while steady, secret
//   values in logs, events and status, peak RSS;
// - scale (not part of all): 10,000 managed resources of a platform's mix held on a 1-minute poll
//   (bench/provider-scale.ts).
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { KubeApiError, RestKubeClient, type KubeObject } from '../provider/src/runtime/kube.js';
import type { ManagedResource } from '../provider/src/runtime/resource.js';
import { FakeKeystone } from '../testing/fakes/keystone.js';
import { DEFAULT_ACCOUNT, FakeResellerAPI } from '../testing/fakes/reseller-api.js';
import { findKubeApiServer, startKubeApiServer } from '../testing/kube-apiserver.js';
import {
  createRegion,
  installProviderCrds,
  resellerMR,
  resellerType,
} from '../test/support/provider-cluster.js';
import { createNamespace, eventType, isReady, secretType } from '../test/support/runtime-cluster.js';
import { peakRssMiB } from './provider-process.js';
import { scale } from './provider-scale.js';

const RESOURCES = Number(process.env['BENCH_RESOURCES'] ?? 1_000);
const LATENCY_MS = 50;
const RATE = Number(process.env['BENCH_MAX_RECONCILE_RATE'] ?? 100);
// 1,000 resources polled every 15 s need 67 reconciles/s, under the provider config's budget of
// --max-reconcile-rate per second; a shorter poll would measure the rate limit, not the poll.
const POLL_SECONDS = 15;
const STEADY_POLLS = 3;
const NAMESPACE = 'bench';
const OUT = resolve('_output/bench');
const projects = resellerType('projects');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const binaries = findKubeApiServer();
  if ('missing' in binaries) throw new Error(`cannot run the benchmark: ${binaries.missing}`);
  mkdirSync(OUT, { recursive: true });
  console.log('building the provider (npm run build)');
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });

  const server = await startKubeApiServer(binaries);
  const kube = new RestKubeClient(server.kubeConfig);
  const fake = await new FakeResellerAPI({ faults: { latencyMs: LATENCY_MS } }).start();
  const work = mkdtempSync(join(tmpdir(), 'stackplane-bench-'));
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await installProviderCrds(kube);
    await createNamespace(kube, 'crossplane-system');
    await createNamespace(kube, NAMESPACE);
    await createRegion(kube, 'default', {
      endpoint: fake.url,
      username: DEFAULT_ACCOUNT.username,
      password: DEFAULT_ACCOUNT.password,
    });

    const kubeconfig = join(work, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeConfig.exportConfig());
    const flags = [
      `--namespace=${NAMESPACE}`,
      `--poll=${POLL_SECONDS}s`,
      `--max-reconcile-rate=${RATE}`,
      '--metrics-bind-address=127.0.0.1:0',
      '--health-probe-bind-address=127.0.0.1:0',
    ];
    const log = createWriteStream(join(OUT, 'provider.log'));
    child = spawn(process.execPath, ['dist/provider/src/main.js', ...flags], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const pid = child.pid!;

    console.log(`creating ${RESOURCES} Projects`);
    const started = Date.now();
    const names = Array.from({ length: RESOURCES }, (_, i) => `p${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(
        names
          .slice(i, i + 50)
          .map((name) =>
            kube.create(
              projects,
              resellerMR('Project', NAMESPACE, name, { name, description: `Bench ${name}` }) as KubeObject,
            ),
          ),
      );
    }
    const created = Date.now();
    let readyCount = 0;
    while (readyCount < RESOURCES) {
      await sleep(250);
      const list = await kube.list<ManagedResource>(projects, NAMESPACE);
      readyCount = list.items.filter(isReady).length;
      if (Date.now() - started > 600_000) throw new Error(`only ${readyCount} Ready after 600 s`);
    }
    const allReady = Date.now();
    const createRequests = fake.requests.length;

    // Steady state: let the confirm-observes and first polls settle, then count whole poll intervals.
    await sleep(POLL_SECONDS * 1_000 * 2);
    const from = fake.requests.length;
    await sleep(POLL_SECONDS * 1_000 * STEADY_POLLS);
    const steady = fake.requests.slice(from);
    const byKind = new Map<string, number>();
    for (const r of steady) {
      const path = r.path.replace(/[0-9a-f]{32}/g, '{id}').replace(/\/$/, '');
      byKind.set(`${r.method} ${path}`, (byKind.get(`${r.method} ${path}`) ?? 0) + 1);
    }
    const perProject = new Map<string, number>();
    for (const r of steady) {
      const id = /^\/api\/v1\/project\/([0-9a-f]{32})$/.exec(r.path)?.[1];
      if (r.method === 'GET' && id !== undefined) perProject.set(id, (perProject.get(id) ?? 0) + 1);
    }
    const counts = [...perProject.values()];
    const rss = peakRssMiB(pid);

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`
machine: ${cpus().length} vCPU ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}
provider flags: ${flags.join(' ')}
fake reseller API latency: ${LATENCY_MS} ms per call
resources: ${RESOURCES}
objects created in: ${((created - started) / 1000).toFixed(1)} s
all Ready after: ${((allReady - started) / 1000).toFixed(1)} s (from the first create)
reseller API calls until all Ready: ${createRequests} (${(createRequests / RESOURCES).toFixed(2)} per resource)
steady state over ${STEADY_POLLS} polls of ${POLL_SECONDS} s: ${steady.length} calls, ${(steady.length / RESOURCES / STEADY_POLLS).toFixed(3)} per resource and poll
${[...byKind].map(([k, v]) => `  ${k}: ${v}`).join('\n')}
GETs per project over the ${STEADY_POLLS} polls: min ${Math.min(...counts)}, max ${Math.max(...counts)}, projects seen ${counts.length}
provider peak RSS (VmHWM): ${rss.toFixed(1)} MiB`);
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    kube.close();
    await fake.stop();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const scenario = process.env['BENCH_SCENARIO'] ?? 'all';
if (scenario === 'create' || scenario === 'all') await main();
if (scenario === 'faults' || scenario === 'all') await faults();
if (scenario === 'scale') await scale();

/** The fault run: four reseller kinds through 10% faults and two provider kills. */
async function faults(): Promise<void> {
  const binaries = findKubeApiServer();
  if ('missing' in binaries) throw new Error(`cannot run the benchmark: ${binaries.missing}`);
  mkdirSync(OUT, { recursive: true });
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  const perKind = Math.floor(RESOURCES / 4);
  const rates = {
    seed: 7,
    errorRate: 0.05,
    dropRate: 0.025,
    crashAfterPerformRate: 0.025,
    latencyMs: LATENCY_MS,
  };
  const server = await startKubeApiServer(binaries);
  const kube = new RestKubeClient(server.kubeConfig);
  const fake = await new FakeResellerAPI({ faults: rates }).start();
  const keystone = await new FakeKeystone((id, password) => fake.authenticate(id, password)).start();
  keystone.faults.configure({ ...rates, seed: 8 });
  const work = mkdtempSync(join(tmpdir(), 'stackplane-bench-'));
  const kubeconfig = join(work, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeConfig.exportConfig());
  const flags = [
    `--namespace=${NAMESPACE}`,
    `--poll=${POLL_SECONDS}s`,
    `--max-reconcile-rate=${RATE}`,
    '--metrics-bind-address=127.0.0.1:0',
    '--health-probe-bind-address=127.0.0.1:0',
  ];
  const logPath = join(OUT, 'provider-faults.log');
  const log = createWriteStream(logPath);
  let child: ReturnType<typeof spawn> | undefined;
  let peakRss = 0;
  const start = () => {
    child = spawn(process.execPath, ['dist/provider/src/main.js', ...flags], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
  };
  const sample = () => {
    if (child?.pid !== undefined && child.exitCode === null)
      peakRss = Math.max(peakRss, peakRssMiB(child.pid));
  };
  const kill = async () => {
    sample();
    const exited = new Promise((r) => child!.once('exit', r));
    child!.kill('SIGKILL');
    await exited;
  };
  const kinds = ['projects', 'users', 'projectmemberships', 'applicationcredentials'].map(resellerType);
  // Lists every kind; retried on a 429 (a new CRD's storage initializing) or a timeout (a loaded box).
  const listAll = async (): Promise<ManagedResource[]> => {
    for (;;) {
      try {
        const lists = await Promise.all(kinds.map((t) => kube.list<ManagedResource>(t, NAMESPACE)));
        return lists.flatMap((l) => l.items);
      } catch (err) {
        if (err instanceof KubeApiError && err.code !== 429) throw err;
        await sleep(500);
      }
    }
  };
  const passwords = Array.from(
    { length: perKind },
    (_, i) => `bench-password-${i}-${Math.random().toString(36).slice(2)}`,
  );
  try {
    await installProviderCrds(kube);
    await createNamespace(kube, 'crossplane-system');
    await createNamespace(kube, NAMESPACE);
    await createRegion(
      kube,
      'default',
      { endpoint: fake.url, username: DEFAULT_ACCOUNT.username, password: DEFAULT_ACCOUNT.password },
      { keystone: { authURL: keystone.url } },
    );
    start();
    const started = Date.now();
    // Kills by progress, not by the clock: on a fast machine a kill timed in seconds lands after the
    // run is over. The first when a third of all resources are Ready, the second at two thirds.
    const total = perKind * 4;
    const thresholds = [Math.ceil(total / 3), Math.ceil((2 * total) / 3)];
    const kills: Array<{ seconds: number; ready: number }> = [];
    const killOnProgress = async (ready: number) => {
      const next = thresholds[kills.length];
      if (next === undefined || ready < next) return;
      await kill();
      kills.push({ seconds: Math.round((Date.now() - started) / 1000), ready });
      start();
    };
    console.log(`fault run: creating ${perKind} Projects and Users`);
    const batch = async <T>(items: T[], create: (item: T) => Promise<unknown>) => {
      for (let i = 0; i < items.length; i += 50) await Promise.all(items.slice(i, i + 50).map(create));
    };
    const index = Array.from({ length: perKind }, (_, i) => i);
    await batch(index, async (i) => {
      await kube.create(secretType, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `pw-${i}`, namespace: NAMESPACE },
        stringData: { password: passwords[i]! },
      } as KubeObject);
      await kube.create(
        kinds[0]!,
        resellerMR('Project', NAMESPACE, `p${i}`, { name: `p${i}`, description: `Bench ${i}` }) as KubeObject,
      );
      await kube.create(
        kinds[1]!,
        resellerMR(
          'User',
          NAMESPACE,
          `u${i}`,
          {
            email: `u${i}@bench.example`,
            description: `Bench ${i}`,
            passwordSecretRef: { name: `pw-${i}`, key: 'password' },
          },
          (mr) => (mr.spec.writeConnectionSecretToRef = { name: `u${i}-login` }),
        ) as KubeObject,
      );
    });
    // Memberships and credentials need the ids of their project and user.
    const ids = new Map<string, string>();
    while (ids.size < perKind * 2) {
      await sleep(1_000);
      const all = await listAll();
      await killOnProgress(all.filter(isReady).length);
      for (const mr of all) {
        const id = mr.status?.atProvider?.['id'];
        if (isReady(mr) && typeof id === 'string') ids.set(mr.metadata.name, id);
      }
      if (Date.now() - started > 900_000)
        throw new Error(`only ${ids.size} projects and users Ready after 900 s`);
    }
    console.log(`creating ${perKind} memberships and application credentials`);
    await batch(index, async (i) => {
      const projectID = ids.get(`p${i}`)!;
      const userID = ids.get(`u${i}`)!;
      await kube.create(
        kinds[2]!,
        resellerMR('ProjectMembership', NAMESPACE, `m${i}`, { projectID, userID }) as KubeObject,
      );
      await kube.create(
        kinds[3]!,
        resellerMR(
          'ApplicationCredential',
          NAMESPACE,
          `c${i}`,
          {
            userID,
            projectID,
            name: `ci${i}`,
            passwordSecretRef: { name: `pw-${i}`, key: 'password' },
          },
          (mr) => (mr.spec.writeConnectionSecretToRef = { name: `c${i}-credential` }),
        ) as KubeObject,
      );
    });
    let ready = 0;
    while (ready < perKind * 4) {
      await sleep(1_000);
      sample();
      ready = (await listAll()).filter(isReady).length;
      await killOnProgress(ready);
      if (Date.now() - started > 1_200_000)
        throw new Error(`only ${ready} of ${perKind * 4} Ready after 1,200 s`);
    }
    const allReady = Date.now();
    const duplicates = {
      projects: fake.projects.size - perKind,
      users: fake.users.size - perKind,
      memberships: fake.memberships.size - perKind,
      credentials: keystone.credentials.size - perKind,
    };

    // Steady state with the faults off: whole poll intervals.
    fake.faults.configure({ latencyMs: LATENCY_MS });
    keystone.faults.configure({ latencyMs: LATENCY_MS });
    await sleep(POLL_SECONDS * 1_000 * 2);
    const fromReseller = fake.requests.length;
    const fromKeystone = keystone.requests.length;
    await sleep(POLL_SECONDS * 1_000 * STEADY_POLLS);
    const steadyCalls = fake.requests.length - fromReseller + (keystone.requests.length - fromKeystone);
    sample();

    // Secrets seen where nobody may read them: the provider's log, events and status.
    const secretValues = [
      ...passwords,
      ...[...keystone.credentials.values()].map((c) => c.secret),
      DEFAULT_ACCOUNT.password,
    ];
    const events = JSON.stringify((await kube.list(eventType, NAMESPACE)).items);
    const statuses = JSON.stringify((await listAll()).map((mr) => mr.status));
    const logText = readFileSync(logPath, 'utf8');
    const leaks = secretValues.filter(
      (v) => logText.includes(v) || events.includes(v) || statuses.includes(v),
    ).length;

    console.log('deleting everything');
    // Dependents first, as Usages order them in a Composition: a credential is deleted as its user.
    const deleting = Date.now();
    for (const t of [...kinds].reverse()) {
      const items = (await kube.list<ManagedResource>(t, NAMESPACE)).items;
      await batch(items, (mr) => kube.delete(t, mr.metadata.name, NAMESPACE));
      while ((await kube.list(t, NAMESPACE)).items.length > 0) {
        await sleep(1_000);
        if (Date.now() - deleting > 900_000) throw new Error(`${t.plural} left 900 s after deleting them`);
      }
    }
    const deleted = Date.now();
    const leftovers =
      fake.projects.size + fake.users.size + fake.memberships.size + keystone.credentials.size;
    sample();
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`
fault run
machine: ${cpus().length} vCPU ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}
provider flags: ${flags.join(' ')}
faults: ${JSON.stringify(rates)}; provider killed (SIGKILL) and restarted ${kills.map((k) => `when ${k.ready} of ${total} were Ready (${k.seconds} s)`).join(' and ')}
resources: ${perKind} each of Project, User, ProjectMembership, ApplicationCredential
all Ready after: ${((allReady - started) / 1000).toFixed(1)} s
duplicate external objects: ${JSON.stringify(duplicates)}
external objects left after deleting everything: ${leftovers} (all deleted in ${((deleted - deleting) / 1000).toFixed(1)} s)
steady state over ${STEADY_POLLS} polls of ${POLL_SECONDS} s (faults off): ${(steadyCalls / (perKind * 4) / STEADY_POLLS).toFixed(3)} calls per resource and poll
secret values found in provider log, events or status: ${leaks}
provider peak RSS (VmHWM, highest of its processes): ${peakRss.toFixed(1)} MiB`);
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    kube.close();
    await keystone.stop();
    await fake.stop();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
