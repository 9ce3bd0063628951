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
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { GrpcFunctionRunner } from '../render/grpc.js';
import { BEFORE_CODEC, buildBaseline } from './baseline.js';
import { steadyStatePostgresRequest, steadyStateRequest } from './function-requests.js';
import { goBinary, goPeer, loadClient } from './go-binaries.js';
import {
  cpuSeconds,
  load,
  median,
  peakMiB,
  restart,
  start,
  WARMUP,
  type Peer,
  type Report,
} from './peers.js';
import { runtimeNode } from './runtime-node.js';
import { FUNCTION_NODE_FLAGS } from '../functions/node-flags.js';

const SIZES = (process.env['BENCH_SIZES'] ?? '1,10,100').split(',').map(Number);
const REPS = Number(process.env['BENCH_REPS'] ?? 3);
const BASELINE = process.env['BENCH_BASELINE'] ?? BEFORE_CODEC;
const OUT = resolve('_output/bench');
const SEQUENTIAL = 1000;
const PARALLEL = 2000;

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
