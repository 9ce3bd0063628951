// BENCH_SCENARIO=faults npm run bench:provider — see bench/provider.ts.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { KubeApiError, RestKubeClient } from '../provider/src/runtime/kube.js';
import type { ManagedResource } from '../provider/src/runtime/resource.js';
import { FakeKeystone } from '../testing/fakes/keystone.js';
import { DEFAULT_ACCOUNT, FakeResellerAPI } from '../testing/fakes/reseller-api.js';
import { findKubeApiServer, startKubeApiServer } from '../testing/kube-apiserver.js';
import { createRegion, installProviderCrds, resellerType } from '../test/support/provider-cluster.js';
import { createNamespace, eventType, isReady, secretType } from '../test/support/runtime-cluster.js';
import { peakRssMiB, providerNodeFlags, signalAndWait } from './provider-process.js';
import { applicationCredential, membership, passwordSecret, project, user } from './reseller-unit.js';

import {
  batch,
  FAULT_TIMEOUT_SECONDS,
  LATENCY_MS,
  NAMESPACE,
  OUT,
  POLL_SECONDS,
  PROVIDER_ARGS,
  RATE,
  RESOURCES,
  sleep,
  STEADY_POLLS,
} from './provider-settings.js';

/** The fault run: four reseller kinds through 10% faults and two provider kills. */
export async function faults(): Promise<void> {
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
    ...PROVIDER_ARGS,
  ];
  const logPath = join(OUT, 'provider-faults.log');
  const log = createWriteStream(logPath);
  let child: ReturnType<typeof spawn> | undefined;
  let peakRss = 0;
  const start = () => {
    child = spawn(process.execPath, ['dist/provider/src/main.js', ...flags], {
      // The runtime image's Node.js flags, as the scale run starts it.
      env: { ...process.env, KUBECONFIG: kubeconfig, NODE_OPTIONS: providerNodeFlags().join(' ') },
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
    await signalAndWait(child, 'SIGKILL');
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
    const index = Array.from({ length: perKind }, (_, i) => i);
    await batch(index, async (i) => {
      await kube.create(secretType, passwordSecret(i, passwords[i]!));
      await kube.create(kinds[0]!, project(i));
      await kube.create(kinds[1]!, user(i));
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
      if (Date.now() - started > FAULT_TIMEOUT_SECONDS * 1_000)
        throw new Error(`only ${ids.size} projects and users Ready after ${FAULT_TIMEOUT_SECONDS} s`);
    }
    console.log(`creating ${perKind} memberships and application credentials`);
    await batch(index, async (i) => {
      const projectID = ids.get(`p${i}`)!;
      const userID = ids.get(`u${i}`)!;
      await kube.create(kinds[2]!, membership(i, projectID, userID));
      await kube.create(kinds[3]!, applicationCredential(i, projectID, userID));
    });
    // At 10% faults some resource's latest poll has always just met one: once every resource has
    // been Ready at least once, the faults go off and the run waits for all Ready at once.
    let ready = 0;
    const everReady = new Set<string>();
    let faultsOff: { seconds: number; ready: number } | undefined;
    while (ready < perKind * 4) {
      await sleep(1_000);
      sample();
      const readyNow = (await listAll()).filter(isReady);
      ready = readyNow.length;
      for (const mr of readyNow) everReady.add(`${mr.kind}/${mr.metadata.name}`);
      await killOnProgress(ready);
      if (faultsOff === undefined && everReady.size === perKind * 4) {
        fake.faults.configure({ latencyMs: LATENCY_MS });
        keystone.faults.configure({ latencyMs: LATENCY_MS });
        faultsOff = { seconds: Math.round((Date.now() - started) / 1000), ready };
        console.log(`every resource Ready once after ${faultsOff.seconds} s: faults off`);
      }
      if (Date.now() - started > FAULT_TIMEOUT_SECONDS * 1_000)
        throw new Error(`only ${ready} of ${perKind * 4} Ready after ${FAULT_TIMEOUT_SECONDS} s`);
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
provider flags: ${flags.join(' ')}; NODE_OPTIONS: ${providerNodeFlags().join(' ')}
faults: ${JSON.stringify(rates)}; provider killed (SIGKILL) and restarted ${kills.map((k) => `when ${k.ready} of ${total} were Ready (${k.seconds} s)`).join(' and ')}; faults off once every resource had been Ready once: ${faultsOff ? `after ${faultsOff.seconds} s, ${faultsOff.ready} Ready then` : 'never'}
resources: ${perKind} each of Project, User, ProjectMembership, ApplicationCredential
all Ready after: ${((allReady - started) / 1000).toFixed(1)} s
duplicate external objects: ${JSON.stringify(duplicates)}
external objects left after deleting everything: ${leftovers} (all deleted in ${((deleted - deleting) / 1000).toFixed(1)} s)
steady state over ${STEADY_POLLS} polls of ${POLL_SECONDS} s (faults off): ${(steadyCalls / (perKind * 4) / STEADY_POLLS).toFixed(3)} calls per resource and poll
secret values found in provider log, events or status: ${leaks}
provider peak RSS (VmHWM, highest of its processes): ${peakRss.toFixed(1)} MiB`);
  } finally {
    await signalAndWait(child, 'SIGTERM');
    kube.close();
    await keystone.stop();
    await fake.stop();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
