// npm run bench:function — RunFunction latency and throughput of the StorageTenant and Postgres steps
// over loopback gRPC. function-stackplane runs as built for production (tsc, own process); the load comes from
// tools/go/runfunction-load, which uses Crossplane's own gRPC client stack (grpc-go, fn/v1 types).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { storageClassesInputSchema } from '../apis/functions/storage-classes-input.js';
import { storageTenantSpecSchema } from '../apis/storage/storagetenant.js';
import { storageClassFor, volumeSnapshotClassFor } from '../functions/steps/storage-classes/storage-class.js';
import type { KubeObject } from '../functions/types.js';
import { encodeData } from '../functions/steps/data/secrets.js';
import { dataXR, platformFetched, readyManaged, shippedInput, withStatus } from '../test/support/data.js';
import { fetched, runFunctionRequest, storageTenant, withSpec } from '../test/support/requests.js';

const SIZES = [1, 10, 100];
const OUT = resolve('_output/bench');

/** A steady-state reconcile: every class already observed and the token Secret present. */
function steadyStateRequest(classes: number): RunFunctionRequest {
  const entries = Array.from({ length: classes }, (_, i) => ({
    name: `class-${i}`,
    replicas: (i % 3) + 1,
    default: i === 0,
  }));
  const xr = storageTenant(withSpec({ storageClasses: entries }));
  const spec = storageTenantSpecSchema.parse(xr.spec);
  const input = storageClassesInputSchema.parse({});
  const storage = { tenant: 'tenant-a', projectID: spec.projectID ?? '', endpoints: spec.endpoints ?? [] };
  const observed: Record<string, KubeObject> = {
    volumesnapshotclass: volumeSnapshotClassFor(input.volumeSnapshotClass.name, storage, input),
  };
  for (const entry of spec.storageClasses)
    observed[`storageclass-${entry.name}`] = storageClassFor(entry, storage, input);
  return runFunctionRequest({ xr, observed, required: fetched() });
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
    xr,
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

interface Report {
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
}

function load(target: string, requestFile: string, n: number, concurrency: number): Report {
  const stdout = execFileSync(join(OUT, 'runfunction-load'), [
    '-target',
    target,
    '-request',
    requestFile,
    '-n',
    String(n),
    '-concurrency',
    String(concurrency),
  ]);
  return JSON.parse(stdout.toString()) as Report;
}

mkdirSync(OUT, { recursive: true });
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync('go', ['build', '-o', join(OUT, 'runfunction-load'), './runfunction-load'], {
  cwd: 'tools/go',
  stdio: 'inherit',
});

const port = await freePort();
const target = `127.0.0.1:${port}`;
const server = spawn(process.execPath, ['dist/functions/main.js', '--insecure', '--address', target], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
  console.log('| storage classes | request bytes | p50 ms | p99 ms | req/s (c=1) | req/s (c=16) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const size of SIZES) {
    const request = RunFunctionRequest.toJSON(steadyStateRequest(size));
    const file = join(OUT, `request-${size}.json`);
    writeFileSync(file, JSON.stringify(request));
    const bytes = RunFunctionRequest.encode(steadyStateRequest(size)).finish().length;
    const sequential = load(target, file, 2000, 1);
    const parallel = load(target, file, 4000, 16);
    console.log(
      `| ${size} | ${bytes} | ${sequential.p50Ms.toFixed(2)} | ${sequential.p99Ms.toFixed(2)} | ` +
        `${sequential.perSecond.toFixed(0)} | ${parallel.perSecond.toFixed(0)} |`,
    );
  }
  console.log(
    '\n| Postgres (steady state, EnvironmentConfig merged) | request bytes | p50 ms | p99 ms | req/s (c=1) | req/s (c=16) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const provider of ['aws', 'in-cluster'] as const) {
    const built = steadyStatePostgresRequest(provider);
    const file = join(OUT, `request-postgres-${provider}.json`);
    writeFileSync(file, JSON.stringify(RunFunctionRequest.toJSON(built)));
    const bytes = RunFunctionRequest.encode(built).finish().length;
    const sequential = load(target, file, 2000, 1);
    const parallel = load(target, file, 4000, 16);
    console.log(
      `| ${provider} | ${bytes} | ${sequential.p50Ms.toFixed(2)} | ${sequential.p99Ms.toFixed(2)} | ` +
        `${sequential.perSecond.toFixed(0)} | ${parallel.perSecond.toFixed(0)} |`,
    );
  }
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1];
  console.log(`\nfunction server peak RSS: ${(Number(hwm) / 1024).toFixed(1)} MiB`);
} finally {
  server.kill('SIGTERM');
}
