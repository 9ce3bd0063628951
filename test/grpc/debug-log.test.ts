// What function-stackplane logs per call, read from the process's own output as `kubectl logs` shows
// it: with --debug, the composite, step, composed resources and results of every call (as
// function-sdk-go's functions log "Running function"); a fatal result's message at any level; never
// a secret value, wherever the request or the response carried one.
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { GrpcFunctionRunner } from '../../render/grpc.js';
import type { KubeObject } from '../../functions/types.js';
import { dataXR, platformFetched, shippedInput } from '../support/data.js';
import { startServing, type ServingFunction } from '../support/function-process.js';
import { runFunctionRequest } from '../support/requests.js';
import { desiredResources, summarize } from '../support/responses.js';

type LogLine = Record<string, unknown>;

/** Values that must never be logged: every one is planted in a place a request carries secrets. */
const PLANTED = {
  userSecret: 'user-secret-data-value',
  requiredStringData: 'required-string-data-value',
  connectionDetail: 'composite-connection-detail-value',
  composedConnectionDetail: 'composed-connection-detail-value',
  credential: 'pipeline-credential-value',
  desiredSecret: 'desired-secret-string-data-value',
};

const xr = () => dataXR('Postgres', { type: 'workshop', tier: 'development' });

/** An in-cluster Postgres call whose request holds a secret in each place one can be. */
function requestWithSecrets(): RunFunctionRequest {
  const userSecret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'orders-password', namespace: 'team-a' },
    data: { password: Buffer.from(PLANTED.userSecret).toString('base64') },
    stringData: { password: PLANTED.requiredStringData },
  };
  const req = runFunctionRequest({
    xr: xr(),
    input: shippedInput('postgres.yaml'),
    required: platformFetched(undefined, { 'user-secret': [userSecret] }),
    desired: {
      'previous-step-secret': {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'previous', namespace: 'team-a' },
        stringData: { token: PLANTED.desiredSecret },
      },
    },
    observed: {
      credentials: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'orders-postgres-credentials', namespace: 'team-a' },
        data: { password: Buffer.from(PLANTED.userSecret).toString('base64') },
      },
    },
  });
  req.observed!.composite!.connectionDetails = { password: Buffer.from(PLANTED.connectionDetail) };
  req.observed!.resources['credentials']!.connectionDetails = {
    password: Buffer.from(PLANTED.composedConnectionDetail),
  };
  req.credentials = { aws: { credentialData: { data: { secretKey: Buffer.from(PLANTED.credential) } } } };
  return req;
}

/** Every value of every composed Secret in the response (the generated password among them), as sent and decoded. */
function composedSecretValues(rsp: RunFunctionResponse): string[] {
  return Object.values(desiredResources(rsp))
    .filter((resource) => resource.kind === 'Secret')
    .flatMap((secret) => [
      ...Object.values((secret['stringData'] ?? {}) as Record<string, string>),
      ...Object.values((secret['data'] ?? {}) as Record<string, string>).flatMap((value) => [
        value,
        Buffer.from(value, 'base64').toString(),
      ]),
    ])
    .filter((value) => value.length >= 6);
}

const parsed = (lines: string[]): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine);
const withMessage = (lines: LogLine[], msg: string) => lines.filter((line) => line['msg'] === msg);

describe('function-stackplane --debug', () => {
  let fn: ServingFunction;
  let runner: GrpcFunctionRunner;
  let rsp: RunFunctionResponse;
  let logged: string[];

  beforeAll(async () => {
    fn = await startServing({ args: ['--debug'] });
    runner = new GrpcFunctionRunner({ fn: fn.address });
    rsp = await runner.run('fn', requestWithSecrets());
    runner.close();
    await fn.stop();
    logged = fn.lines();
  }, 60_000);

  it('logs the call it starts: the request tag, the composite and the step', () => {
    expect(withMessage(parsed(logged), 'Running function')).toEqual([
      {
        severity: 'DEBUG',
        time: expect.any(Number),
        function: 'function-stackplane',
        xr: {
          apiVersion: 'data.stackplane.io/v1alpha1',
          kind: 'Postgres',
          namespace: 'team-a',
          name: 'orders',
        },
        step: 'DataService',
        tag: 'test',
        msg: 'Running function',
      },
    ]);
  });

  it('logs the call it ran: the names of the composed resources and every result', () => {
    const [ran, ...more] = withMessage(parsed(logged), 'Ran function');
    expect(more).toEqual([]);
    expect(ran).toMatchObject({ severity: 'DEBUG', step: 'DataService', xr: { name: 'orders' } });
    expect(ran?.['resources']).toEqual(Object.keys(desiredResources(rsp)));
    expect(ran?.['resources']).toEqual(expect.arrayContaining(['previous-step-secret', 'statefulset']));
    expect(ran?.['results']).toEqual(summarize(rsp).results);
  });

  it('never logs a secret value: connection details, credentials, Secret data of required, observed and composed Secrets', () => {
    const secrets = [...Object.values(PLANTED), ...composedSecretValues(rsp)];
    // The generated password is in the response: the test looks for something that was there to leak.
    expect(composedSecretValues(rsp).length).toBeGreaterThan(0);
    const text = logged.join('\n');
    for (const value of secrets) {
      expect(text, 'a secret value').not.toContain(value);
      expect(text, 'a secret value, base64').not.toContain(Buffer.from(value).toString('base64'));
    }
  });
});

describe('function-stackplane without --debug', () => {
  let logged: LogLine[];
  let rsp: RunFunctionResponse;

  beforeAll(async () => {
    const fn = await startServing();
    const runner = new GrpcFunctionRunner({ fn: fn.address });
    const invalid = dataXR('Postgres', { type: 'workshop', tier: 'tiny' });
    rsp = await runner.run(
      'fn',
      runFunctionRequest({ xr: invalid, input: shippedInput('postgres.yaml'), required: platformFetched() }),
    );
    await runner.run(
      'fn',
      runFunctionRequest({ xr: xr(), input: shippedInput('postgres.yaml'), required: platformFetched() }),
    );
    runner.close();
    await fn.stop();
    logged = parsed(fn.lines());
  }, 60_000);

  it("logs a fatal result's message at info, with the composite and the step", () => {
    const [fatal] = summarize(rsp).results;
    expect(fatal?.severity).toBe('Fatal');
    expect(logged.filter((line) => line['reason'] !== undefined)).toEqual([
      {
        severity: 'INFO',
        time: expect.any(Number),
        function: 'function-stackplane',
        xr: {
          apiVersion: 'data.stackplane.io/v1alpha1',
          kind: 'Postgres',
          namespace: 'team-a',
          name: 'orders',
        },
        step: 'DataService',
        reason: fatal?.reason,
        msg: fatal?.message,
      },
    ]);
  });

  it('logs nothing else about a call', () => {
    expect(logged.filter((line) => line['xr'] !== undefined).map((line) => line['msg'])).toEqual([
      summarize(rsp).results[0]?.message,
    ]);
    expect(logged.filter((line) => line['severity'] === 'DEBUG')).toEqual([]);
  });
});
