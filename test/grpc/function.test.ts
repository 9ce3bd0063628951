import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLogger } from '../../lib/logger.js';
import { GrpcFunctionRunner, startLocalFunction, type LocalFunction } from '../../render/grpc.js';
import {
  fetched,
  runFunctionRequest,
  storageClassesInput,
  storageTenant,
  withSpec,
} from '../support/requests.js';
import { desiredReadiness, summarize } from '../support/responses.js';

const logLines: string[] = [];
let fn: LocalFunction;
let runner: GrpcFunctionRunner;

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  fn = await startLocalFunction({ logger: newLogger({ debug: true, destination }) });
  runner = new GrpcFunctionRunner({ fn: fn.address });
});

afterAll(async () => {
  runner.close();
  await fn.stop();
});

describe('function-stackplane over gRPC', () => {
  it('answers RunFunction with desired resources, conditions, the request tag and the TTL of a tenant not ready yet', async () => {
    const rsp = await runner.run(
      'fn',
      runFunctionRequest({
        input: storageClassesInput({ csiDriver: { deploy: false } }),
        required: fetched(),
      }),
    );
    expect(rsp.meta).toEqual({ tag: 'test', ttl: { seconds: 5, nanos: 0 } });
    expect(desiredReadiness(rsp)).toEqual({
      'storage-project': 'False',
      'storage-credential': 'False',
      'storageclass-gold': 'False',
      volumesnapshotclass: 'False',
    });
    expect(summarize(rsp).conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      'Valid=True',
      'StorageCredentials=True',
      'CSIDriver=True',
      'VolumeSnapshots=True',
    ]);
  });

  it('returns requirements on the first call of a run', async () => {
    const rsp = await runner.run('fn', runFunctionRequest());
    expect(Object.keys(rsp.requirements?.resources ?? {})).toEqual([
      'credentials-secret',
      'volumesnapshotclass-crd',
    ]);
  });

  it('turns a bad spec into a fatal result and a Valid=False condition over the wire', async () => {
    const rsp = await runner.run(
      'fn',
      runFunctionRequest({ xr: storageTenant(withSpec({ projectID: '' })), required: fetched() }),
    );
    expect(summarize(rsp)).toEqual({
      results: [
        {
          severity: 'Fatal',
          reason: 'InvalidSpec',
          message:
            'invalid StorageTenant tenant-a: spec.projectID: Too small: expected string to have >=1 characters',
        },
      ],
      conditions: [
        {
          type: 'Valid',
          status: 'False',
          reason: 'InvalidSpec',
          message:
            'invalid StorageTenant tenant-a: spec.projectID: Too small: expected string to have >=1 characters',
        },
      ],
    });
  });

  it('survives a request with nothing in it', async () => {
    const rsp = await runner.run('fn', {
      meta: undefined,
      observed: undefined,
      desired: undefined,
      extraResources: {},
      credentials: {},
      requiredResources: {},
      requiredSchemas: {},
    });
    expect(summarize(rsp).results[0]?.reason).toBe('MissingInput');
  });

  it('logs which XR and step a line is about, and never a secret value', async () => {
    await runner.run('fn', runFunctionRequest({ required: fetched() }));
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      lines.some(
        (line) => (line['xr'] as { name?: string })?.name === 'tenant-a' && line['step'] === 'StorageClasses',
      ),
    ).toBe(true);
    // The token Secret's value (base64 of "secret-token-value") crossed the wire; it must not reach the logs.
    expect(logLines.join('\n')).not.toContain('c2VjcmV0LXRva2VuLXZhbHVl');
  });
});
