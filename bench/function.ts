// npm run bench:function — RunFunction latency, throughput, CPU and memory of the StorageTenant step
// over loopback gRPC, side by side with its peers, and of the Postgres step on its own.
//
// function-stackplane runs as built for production (tsc, own process, on the Node.js and with the flags
// of its runtime image; every Node.js server here runs on that Node.js). Beside it, in their own
// processes: the same function on the SDK's protobuf codec (how it ran before), the same step written
// in Go on function-sdk-go (tools/bench-peers), and the floor, a grpc-js server that echoes the
// request's bytes. The load comes from tools/go/runfunction-load, on Crossplane's own gRPC client
// stack (grpc-go, fn/v1 types). Repetitions alternate between the servers (in a rotating order), so a
// change in what else the machine does touches every server alike; ratios are taken within a
// repetition, and the tables show medians over repetitions.
//
// BENCH_REPS (default 3) sets the repetitions, BENCH_SIZES (default 1,10,100) the storage classes.
// BENCH_BASELINE (default: the last commit before the codec) adds function-stackplane as it was at that
// git ref, built from this clone's history; `none` leaves it out.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { GrpcFunctionRunner } from '../render/grpc.js';
import { BEFORE_CODEC, buildBaseline } from './baseline.js';
import { goBinary, goPeer, loadClient } from './go-binaries.js';
import { runtimeNode } from './runtime-node.js';
import { storageClassesInputSchema } from '../apis/functions/storage-classes-input.js';
import { storageTenantSpecSchema } from '../apis/storage/storagetenant.js';
import { storageClassFor, volumeSnapshotClassFor } from '../functions/steps/storage-classes/storage-class.js';
import type { KubeObject } from '../functions/types.js';
import { FUNCTION_NODE_FLAGS } from '../functions/node-flags.js';
import { encodeData } from '../functions/steps/data/secrets.js';
import { dataXR, platformFetched, readyManaged, shippedInput, withStatus } from '../test/support/data.js';
import {
  fetched,
  runFunctionRequest,
  storageClassesInput,
  storageTenant,
  withSpec,
} from '../test/support/requests.js';

const SIZES = (process.env['BENCH_SIZES'] ?? '1,10,100').split(',').map(Number);
const REPS = Number(process.env['BENCH_REPS'] ?? 3);
const BASELINE = process.env['BENCH_BASELINE'] ?? BEFORE_CODEC;
const OUT = resolve('_output/bench');

/**
 * The metadata the API server gives every composite Crossplane reads, which the test builders leave
 * out: a steady-state reconcile sends the same revision each time.
 */
function asServed(xr: KubeObject, resourceVersion: string): KubeObject {
  const metadata = { ...(xr['metadata'] as object), resourceVersion, generation: 3 };
  return { ...xr, metadata };
}

/**
 * A steady-state reconcile: every class already observed and the token Secret present. The platform
 * installs the CSI driver (csiDriver.deploy false), so the response carries the storage classes and
 * their managed resources, as the Go peer composes them.
 */
function steadyStateRequest(classes: number): RunFunctionRequest {
  const entries = Array.from({ length: classes }, (_, i) => ({
    name: `class-${i}`,
    replicas: (i % 3) + 1,
    default: i === 0,
  }));
  const xr = storageTenant(withSpec({ storageClasses: entries }));
  const spec = storageTenantSpecSchema.parse(xr.spec);
  const input = storageClassesInputSchema.parse({ csiDriver: { deploy: false } });
  const storage = { tenant: 'tenant-a', projectID: spec.projectID ?? '', endpoints: spec.endpoints ?? [] };
  const observed: Record<string, KubeObject> = {
    volumesnapshotclass: volumeSnapshotClassFor(input.volumeSnapshotClass.name, storage, input),
  };
  for (const entry of spec.storageClasses)
    observed[`storageclass-${entry.name}`] = storageClassFor(entry, storage, input);
  return runFunctionRequest({
    xr: asServed(xr, `4821${classes}`),
    input: storageClassesInput({ csiDriver: { deploy: false } }),
    observed,
    required: fetched(),
  });
}

/**
 * A steady-state reconcile of a Postgres: status recorded, every composed resource observed and Ready,
 * and an EnvironmentConfig whose data.dataServices the step merges over the Composition's tables.
 */
function steadyStatePostgresRequest(provider: 'aws' | 'in-cluster'): RunFunctionRequest {
  const aws = provider === 'aws';
  const xr = dataXR(
    'Postgres',
    { type: aws ? 'managed' : 'workshop', tier: 'production' },
    withStatus({
      provider,
      strategy: 'production',
      version: '16',
      ...(aws ? { externalName: 'qwerty-team-a-orders-yvwi6skvnu' } : {}),
    }),
  );
  const overrides = {
    aws: { region: 'eu-central-1' },
    strategies: { postgres: { [provider]: { production: { allowedVersions: ['16', '17'] } } } },
  };
  const secret = (name: string, values: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'team-a' },
    data: encodeData(values),
  });
  const details = { host: 'db.example.internal', port: '5432', username: 'postgres', password: 'p' };
  const connection = secret('orders-connection', { ...details, database: 'postgres' });
  const observed: Record<string, KubeObject> = aws
    ? {
        instance: readyManaged({ apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Instance' }),
        'connection-secret': connection,
      }
    : {
        credentials: secret('orders-postgres-credentials', { username: 'postgres', password: 'p' }),
        service: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders-postgres' } },
        statefulset: {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          spec: { replicas: 1 },
          status: { readyReplicas: 1 },
        },
        'connection-secret': connection,
      };
  return runFunctionRequest({
    xr: asServed(xr, `5130${provider.length}`),
    input: shippedInput('postgres.yaml'),
    observed,
    required: platformFetched(
      overrides,
      aws ? { 'rds-connection': [secret('orders-postgres-rds', details)] } : {},
    ),
  });
}

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** Resolves once something accepts connections on `port`. */
async function listening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        done(true);
      }).on('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port}`);
}

interface Report {
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
}

const WARMUP = 100;
const SEQUENTIAL = 1000;
const PARALLEL = 2000;

function load(client: string, target: string, requestFile: string, n: number, concurrency: number): Report {
  const stdout = execFileSync(client, [
    '-target',
    target,
    '-request',
    requestFile,
    '-n',
    String(n),
    '-warmup',
    String(WARMUP),
    '-concurrency',
    String(concurrency),
  ]);
  return JSON.parse(stdout.toString()) as Report;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident memory (VmHWM) of a process, in MiB. */
function peakMiB(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

interface Peer {
  name: string;
  command: string;
  args: (address: string) => string[];
  process?: ChildProcess;
  target?: string;
}

async function restart(peer: Peer): Promise<void> {
  if (peer.process) {
    const exited = new Promise((done) => peer.process!.once('exit', done));
    peer.process.kill('SIGTERM');
    await exited;
  }
  await start(peer);
}

async function start(peer: Peer): Promise<void> {
  const port = await freePort();
  peer.target = `127.0.0.1:${port}`;
  peer.process = spawn(peer.command, peer.args(peer.target), { stdio: ['ignore', 'ignore', 'inherit'] });
  await listening(port);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Sample {
  seq: Report;
  par: Report;
  cpuMsPerRequest: number;
}

/** The desired composed resources and composite status a response carries, for comparing peers. */
function desiredOf(rsp: RunFunctionResponse) {
  return {
    resources: Object.fromEntries(
      Object.entries(rsp.desired?.resources ?? {}).map(([name, r]) => [
        name,
        { resource: r.resource, ready: r.ready },
      ]),
    ),
    status: (rsp.desired?.composite?.resource as { status?: unknown } | undefined)?.status,
  };
}

mkdirSync(OUT, { recursive: true });
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// The two bench-only servers, compiled by tsc as the function is (no loader in their memory or CPU).
const BENCH_JS = join(OUT, 'js');
execFileSync(
  'npx',
  [
    'tsc',
    '--ignoreConfig',
    ...[
      '--module',
      'nodenext',
      '--target',
      'es2022',
      '--skipLibCheck',
      '--rootDir',
      '.',
      '--outDir',
      BENCH_JS,
    ],
    'bench/echo-server.ts',
    'bench/sdk-codec-server.ts',
  ],
  { stdio: 'inherit' },
);
const client = goBinary(loadClient());
const node = await runtimeNode(OUT);
const peers: Peer[] = [
  {
    name: 'function-stackplane',
    command: node.path,
    args: (address) => [...FUNCTION_NODE_FLAGS, 'dist/functions/main.js', '--insecure', '--address', address],
  },
  {
    name: 'function-stackplane, SDK codec',
    command: node.path,
    args: (address) => [join(BENCH_JS, 'bench/sdk-codec-server.js'), '--insecure', '--address', address],
  },
  { name: 'Go, function-sdk-go', command: goBinary(goPeer()), args: (address) => ['--address', address] },
  {
    name: 'echo floor (grpc-js)',
    command: node.path,
    args: (address) => [join(BENCH_JS, 'bench/echo-server.js'), address],
  },
];
const baseline = BASELINE === 'none' ? undefined : buildBaseline(BASELINE, OUT);
if (baseline) {
  // As it ran then: the SDK's serve() and Node.js's default flags.
  peers.push({
    name: `function-stackplane at ${baseline.commit}`,
    command: node.path,
    args: (address) => [baseline.main, '--insecure', '--address', address],
  });
}

try {
  for (const peer of peers) await start(peer);
  console.log(
    `servers on node ${node.version} (the runtime image's), ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `load average ${loadavg()[0]!.toFixed(1)} at the start, ${REPS} repetitions`,
  );

  // The Go peer must compose what function-stackplane composes, or the comparison means nothing.
  const runner = new GrpcFunctionRunner({
    ts: peers[0]!.target!,
    go: peers[2]!.target!,
    ...(baseline ? { baseline: peers[4]!.target! } : {}),
  });
  for (const size of SIZES) {
    const [ours, theirs] = await Promise.all([
      runner.run('ts', steadyStateRequest(size)),
      runner.run('go', steadyStateRequest(size)),
    ]);
    if (!isDeepStrictEqual(desiredOf(ours), desiredOf(theirs))) {
      throw new Error(`the Go peer composes something else than function-stackplane at ${size} classes`);
    }
  }
  console.log(
    'same desired resources, readiness and composite status from function-stackplane and the Go peer',
  );
  if (baseline) {
    // An earlier version may compose a little differently; it must compose the same resources.
    for (const size of SIZES) {
      const [ours, then] = await Promise.all([
        runner.run('ts', steadyStateRequest(size)),
        runner.run('baseline', steadyStateRequest(size)),
      ]);
      const names = (rsp: RunFunctionResponse) => Object.keys(rsp.desired?.resources ?? {}).sort();
      if (then.results.length > 0 || !isDeepStrictEqual(names(ours), names(then))) {
        throw new Error(
          `function-stackplane at ${baseline.commit} composes other resources at ${size} classes: ` +
            JSON.stringify(then.results),
        );
      }
    }
    console.log(`function-stackplane at ${baseline.commit} composes the same resources, without results`);
  }
  runner.close();

  for (const size of SIZES) {
    const request = RunFunctionRequest.toJSON(steadyStateRequest(size));
    const file = join(OUT, `request-${size}.json`);
    writeFileSync(file, JSON.stringify(request));
    const bytes = RunFunctionRequest.encode(steadyStateRequest(size)).finish().length;
    // Fresh processes per size: each peak RSS belongs to its size alone.
    for (const peer of peers) await restart(peer);
    const samples = new Map<string, Sample[]>(peers.map((p) => [p.name, []]));
    for (let rep = 0; rep < REPS; rep++) {
      for (let i = 0; i < peers.length; i++) {
        const peer = peers[(rep + i) % peers.length]!;
        const pid = peer.process!.pid!;
        const before = cpuSeconds(pid);
        const seq = load(client, peer.target!, file, SEQUENTIAL, 1);
        const par = load(client, peer.target!, file, PARALLEL, 16);
        const requests = SEQUENTIAL + PARALLEL + 2 * WARMUP;
        samples
          .get(peer.name)!
          .push({ seq, par, cpuMsPerRequest: ((cpuSeconds(pid) - before) * 1000) / requests });
      }
    }
    console.log(`\n${size} storage classes, request ${bytes} bytes`);
    console.log(
      '| server | p50 ms (c=1) | p99 ms (c=1) | req/s (c=1) | p50 ms (c=16) | p99 ms (c=16) | req/s (c=16) | ' +
        'CPU ms/request | peak RSS MiB | p50 ÷ ours (c=1) | CPU ÷ ours |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const ours = samples.get(peers[0]!.name)!;
    for (const peer of peers) {
      const s = samples.get(peer.name)!;
      const m = (pick: (x: Sample) => number) => median(s.map(pick));
      const ratio = (pick: (x: Sample) => number) => median(s.map((x, i) => pick(x) / pick(ours[i]!)));
      console.log(
        `| ${peer.name} | ${m((x) => x.seq.p50Ms).toFixed(2)} | ${m((x) => x.seq.p99Ms).toFixed(2)} | ` +
          `${m((x) => x.seq.perSecond).toFixed(0)} | ${m((x) => x.par.p50Ms).toFixed(2)} | ` +
          `${m((x) => x.par.p99Ms).toFixed(2)} | ${m((x) => x.par.perSecond).toFixed(0)} | ` +
          `${m((x) => x.cpuMsPerRequest).toFixed(2)} | ${peakMiB(peer.process!.pid!).toFixed(1)} | ` +
          `${ratio((x) => x.seq.p50Ms).toFixed(2)} | ${ratio((x) => x.cpuMsPerRequest).toFixed(2)} |`,
      );
    }
  }

  const target = peers[0]!.target!;
  console.log(
    '\n| Postgres (steady state, EnvironmentConfig merged) | request bytes | p50 ms | p99 ms | req/s (c=1) | req/s (c=16) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const provider of ['aws', 'in-cluster'] as const) {
    const built = steadyStatePostgresRequest(provider);
    const file = join(OUT, `request-postgres-${provider}.json`);
    writeFileSync(file, JSON.stringify(RunFunctionRequest.toJSON(built)));
    const bytes = RunFunctionRequest.encode(built).finish().length;
    const sequential = load(client, target, file, 2000, 1);
    const parallel = load(client, target, file, 4000, 16);
    console.log(
      `| ${provider} | ${bytes} | ${sequential.p50Ms.toFixed(2)} | ${sequential.p99Ms.toFixed(2)} | ` +
        `${sequential.perSecond.toFixed(0)} | ${parallel.perSecond.toFixed(0)} |`,
    );
  }
  console.log(`\nload average ${loadavg()[0]!.toFixed(1)} at the end`);
} finally {
  for (const peer of peers) peer.process?.kill('SIGTERM');
}
