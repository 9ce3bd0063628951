import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RunFunctionRequest,
  RunFunctionResponse,
  to,
  type FunctionHandler,
} from '@crossplane-org/function-sdk-typescript';
import { pino } from 'pino';
import {
  functionRunnerService,
  newFunctionServer,
  runFunctionCall,
  type DecodedRequest,
} from '../../../../functions/codec/service.js';
import { MAX_VALUE_DEPTH } from '../../../../functions/codec/limits.js';
import { runFunctionRequest } from '../../../support/requests.js';

/** Answers with the request's desired state, plus whatever the request's input asks to add. */
const echo: FunctionHandler = {
  async RunFunction(req) {
    const rsp = to(req);
    if (req.input?.['kind'] === 'Unencodable') rsp.context = { callback: () => undefined };
    if (req.input?.['kind'] === 'Throw') throw new Error('step exploded');
    return rsp;
  },
};

let server: grpc.Server;
let client: grpc.Client;

beforeAll(async () => {
  server = newFunctionServer(echo, pino({ level: 'silent' }));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

/** Sends raw bytes as a RunFunctionRequest and returns the raw answer or the gRPC error. */
function call(bytes: Buffer): Promise<{ rsp?: RunFunctionResponse; error?: grpc.ServiceError }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      functionRunnerService.runFunction.path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      (error, answer) => resolve(error ? { error } : { rsp: RunFunctionResponse.decode(answer!) }),
    );
  });
}

const encode = (req: RunFunctionRequest) => Buffer.from(RunFunctionRequest.encode(req).finish());

/** An object `levels` deep: `{ a: { a: … {} } }`. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

describe('the function server with the Stackplane codec', () => {
  it('answers a request with what the SDK would decode and encode', async () => {
    const req = runFunctionRequest({
      desired: { sc: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } } },
    });
    const { rsp } = await call(encode(req));
    expect(rsp?.desired).toEqual(RunFunctionRequest.decode(encode(req)).desired);
  });

  it.each([
    {
      reason: 'a truncated request',
      wire: () => encode(runFunctionRequest()).subarray(0, -4),
      details: 'cannot decode RunFunctionRequest: message is truncated or a length is corrupt at input',
    },
    {
      reason: 'a required schema nested past the depth limit, which the SDK refused with a bare Error',
      wire: () =>
        encode(
          RunFunctionRequest.fromPartial({
            requiredSchemas: { xr: { openapiV3: nested(MAX_VALUE_DEPTH + 1) } },
          }),
        ),
      details: `cannot decode RunFunctionRequest: values nested deeper than ${MAX_VALUE_DEPTH} levels at requiredSchemas["xr"].openapiV3${'.a'.repeat(MAX_VALUE_DEPTH)}`,
    },
  ])(
    'answers $reason with INVALID_ARGUMENT and the codec message naming the place',
    async ({ wire, details }) => {
      const { error } = await call(Buffer.from(wire()));
      expect({ code: error?.code, details: error?.details }).toEqual({
        code: grpc.status.INVALID_ARGUMENT,
        details,
      });
    },
  );

  it('answers a response it cannot encode with a fatal result that names the place', async () => {
    const { rsp } = await call(encode(runFunctionRequest({ input: { kind: 'Unencodable' } })));
    expect(rsp?.results).toEqual([
      expect.objectContaining({
        severity: 1,
        message:
          'cannot encode RunFunctionResponse: a function cannot be a google.protobuf.Value at context.callback',
      }),
    ]);
  });

  it('turns a handler that throws into a fatal result, as the SDK server does', async () => {
    const { rsp } = await call(encode(runFunctionRequest({ input: { kind: 'Throw' } })));
    expect(rsp?.results).toEqual([expect.objectContaining({ severity: 1, message: 'step exploded' })]);
  });

  it('takes the decoded request out of the box grpc-js keeps until the call ends', async () => {
    const req = runFunctionRequest({ desired: { cm: { apiVersion: 'v1', kind: 'ConfigMap' } } });
    const box: DecodedRequest = { request: req };
    const answer = await new Promise<Buffer | null | undefined>((resolve, reject) =>
      runFunctionCall(echo, pino({ level: 'silent' }))(
        { request: box } as grpc.ServerUnaryCall<DecodedRequest, Buffer>,
        (error, value) => (error ? reject(new Error(error.details ?? String(error))) : resolve(value)),
      ),
    );
    expect(box.request).toBeUndefined();
    expect(RunFunctionResponse.decode(answer!).desired).toEqual(req.desired);
  });

  it('refuses a request over 4 MiB with RESOURCE_EXHAUSTED', async () => {
    const huge = encode(runFunctionRequest({ context: { blob: 'x'.repeat(4 * 1024 * 1024) } }));
    const { error } = await call(huge);
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });
});
