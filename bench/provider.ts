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
// BENCH_PROVIDER_ARGS adds provider flags to the fault run (`--outbound-timeout=5s`); BENCH_POLL_SECONDS
// sets the create and fault runs' poll (default 15).
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { RestKubeClient, type KubeObject } from '../provider/src/runtime/kube.js';
import type { ManagedResource } from '../provider/src/runtime/resource.js';
import { DEFAULT_ACCOUNT, FakeResellerAPI } from '../testing/fakes/reseller-api.js';
import { findKubeApiServer, startKubeApiServer } from '../testing/kube-apiserver.js';
import {
  createRegion,
  installProviderCrds,
  resellerMR,
  resellerType,
} from '../test/support/provider-cluster.js';
import { createNamespace, isReady } from '../test/support/runtime-cluster.js';
import { peakRssMiB, signalAndWait } from './provider-process.js';
import { scale } from './provider-scale.js';
import { faults } from './provider-faults.js';
import {
  LATENCY_MS,
  NAMESPACE,
  OUT,
  POLL_SECONDS,
  RATE,
  RESOURCES,
  sleep,
  STEADY_POLLS,
} from './provider-settings.js';

const projects = resellerType('projects');

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
    await signalAndWait(child, 'SIGTERM');
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
