import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RunFunctionResponse,
  type Ready,
  type RunFunctionRequest,
} from '@crossplane-org/function-sdk-typescript';
import { CodecError, MAX_VALUE_DEPTH } from '../../../../functions/codec/limits.js';
import {
  encodeRunFunctionResponse,
  encodeRunFunctionResponseLent,
  returnLent,
} from '../../../../functions/codec/response-encode.js';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import { dataXR, platformFetched, shippedInput } from '../../../support/data.js';
import { runFunctionResponse } from '../../../support/protobuf-arbitraries.js';
import {
  fetched,
  passwordSecret,
  placementAPI,
  placementInput,
  runFunctionRequest,
  storageTenant,
  withSpec,
} from '../../../support/requests.js';

const sdkEncode = (rsp: RunFunctionResponse): Buffer => Buffer.from(RunFunctionResponse.encode(rsp).finish());

const empty = (): RunFunctionResponse => ({
  meta: undefined,
  desired: undefined,
  results: [],
  context: undefined,
  requirements: undefined,
  conditions: [],
  output: undefined,
});

/** A response carrying `value` as the only field of a composed resource. */
const withValue = (value: unknown): RunFunctionResponse => ({
  ...empty(),
  desired: {
    composite: undefined,
    resources: { db: { resource: { spec: { field: value } }, connectionDetails: {}, ready: 0 } },
  },
});

const requests: Record<string, RunFunctionRequest> = {
  'StorageTenant, first call': runFunctionRequest(),
  'StorageTenant, 100 classes': runFunctionRequest({
    xr: storageTenant(
      withSpec({ storageClasses: Array.from({ length: 100 }, (_, i) => ({ name: `c-${i}`, replicas: 3 })) }),
    ),
    required: fetched(),
  }),
  'Postgres with an EnvironmentConfig': runFunctionRequest({
    xr: dataXR('Postgres', { type: 'managed', tier: 'production' }),
    input: shippedInput('postgres.yaml'),
    required: platformFetched({ aws: { region: 'eu-central-1' } }),
  }),
  PlacementAPI: runFunctionRequest({
    xr: placementAPI(),
    input: placementInput(),
    required: { 'password-secret': [passwordSecret()] },
  }),
  'a bad spec (fatal result, Valid=False)': runFunctionRequest({
    xr: storageTenant(withSpec({ projectID: '' })),
    required: fetched(),
  }),
};

describe('encodeRunFunctionResponse', () => {
  const fn = new StackplaneFunction(steps, undefined, (n) => Buffer.alloc(n, 7));

  it.each(Object.entries(requests))(
    'encodes the response to %s byte for byte as the SDK does',
    async (_name, req) => {
      const rsp = await fn.RunFunction(req);
      expect(encodeRunFunctionResponse(rsp)).toEqual(sdkEncode(rsp));
    },
  );

  it('encodes every generated response byte for byte as the SDK does', () => {
    fc.assert(
      fc.property(runFunctionResponse, (rsp) => {
        expect(encodeRunFunctionResponse(rsp).toString('hex')).toBe(sdkEncode(rsp).toString('hex'));
      }),
      { numRuns: 500 },
    );
  });

  const values: Record<string, unknown> = {
    'NaN, infinities and -0': [NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, 2 ** 53 + 2],
    'undefined fields and list items': { a: undefined, b: [undefined, 1, undefined], c: {} },
    'an empty key': { '': 'empty key' },
    'non-ASCII and lone surrogates': { ключ: 'значение 😀', s: '\ud800x\udfff', long: 'é'.repeat(100) },
    'a huge string': 'x'.repeat(1 << 20),
    'a null-prototype object': Object.assign(Object.create(null) as object, { a: 1 }),
    'class instances and boxed values, as the SDK treats them': [
      new Date(0),
      new Map([[1, 2]]),
      new String('ab'),
    ],
    'integer-like keys, which objects order first': { b: 1, 2: 'two', a: 3, 1: 'one' },
  };

  it.each(Object.entries(values))('encodes %s as the SDK does', (_name, value) => {
    const rsp = withValue(value);
    // Compared as booleans: a diff of two megabyte buffers takes vitest half a minute.
    expect(encodeRunFunctionResponse(rsp).equals(sdkEncode(rsp))).toBe(true);
  });

  it('encodes ready values, connection details and an empty resource name as the SDK does', () => {
    const rsp: RunFunctionResponse = {
      ...empty(),
      meta: { tag: 't', ttl: { seconds: 60, nanos: 0 } },
      desired: {
        composite: { resource: { status: {} }, connectionDetails: { uri: Buffer.from('x://') }, ready: 2 },
        resources: {
          '': { resource: undefined, connectionDetails: { '': Buffer.alloc(0) }, ready: -1 },
          big: { resource: {}, connectionDetails: { k: Buffer.alloc(300, 1) }, ready: 0x7fffffff as Ready },
        },
      },
      results: [{ severity: 1, message: 'm', target: 1 }],
      output: { answer: 42 },
    };
    expect(encodeRunFunctionResponse(rsp)).toEqual(sdkEncode(rsp));
  });

  it('hands a response with a field it does not know to the SDK whole', () => {
    const rsp = { ...withValue('x'), future: 'field' } as RunFunctionResponse;
    expect(encodeRunFunctionResponse(rsp)).toEqual(sdkEncode(rsp));
  });

  it('writes a __proto__ key the SDK would drop', () => {
    const resource = JSON.parse('{"data":{"__proto__":"kept"}}') as Record<string, unknown>;
    const rsp: RunFunctionResponse = {
      ...empty(),
      desired: { composite: undefined, resources: { cm: { resource, connectionDetails: {}, ready: 0 } } },
    };
    const decoded = RunFunctionResponse.decode(encodeRunFunctionResponse(rsp));
    // The SDK's decoder drops the key again; the bytes hold it.
    expect(encodeRunFunctionResponse(rsp).includes(Buffer.from('__proto__'))).toBe(true);
    expect(decoded.desired?.resources['cm']?.resource).toEqual({ data: {} });
  });

  const refused: Record<string, { rsp: RunFunctionResponse; want: string }> = {
    'a function': {
      rsp: withValue({ list: [1, () => 1] }),
      want: 'cannot encode RunFunctionResponse: a function cannot be a google.protobuf.Value at desired.resources["db"].resource.spec.field.list[1]',
    },
    'a bigint': {
      rsp: { ...empty(), context: { 'a/b': 1n } },
      want: 'cannot encode RunFunctionResponse: a bigint cannot be a google.protobuf.Value at context["a/b"]',
    },
    'a cycle': {
      rsp: (() => {
        const loop: Record<string, unknown> = {};
        loop['self'] = loop;
        return withValue(loop);
      })(),
      want: `cannot encode RunFunctionResponse: values nested deeper than ${MAX_VALUE_DEPTH} levels (is a value its own ancestor?) at desired.resources["db"].resource.spec.field${'.self'.repeat(MAX_VALUE_DEPTH - 3)}`,
    },
    'a ready value that is no int32': {
      rsp: {
        ...empty(),
        desired: { composite: { resource: {}, connectionDetails: {}, ready: 1.5 as Ready }, resources: {} },
      },
      want: 'cannot encode RunFunctionResponse: ready must be an int32, not 1.5 at desired.composite.ready',
    },
    'a connection detail that is a string': {
      rsp: {
        ...empty(),
        desired: {
          composite: undefined,
          resources: { db: { resource: {}, connectionDetails: { password: 'pw' as never }, ready: 0 } },
        },
      },
      want: 'cannot encode RunFunctionResponse: a connection detail must be bytes (a Uint8Array) at desired.resources["db"]["password"]',
    },
  };

  it.each(Object.entries(refused))('refuses %s, naming the place', (_name, { rsp, want }) => {
    expect(() => encodeRunFunctionResponse(rsp)).toThrow(CodecError);
    expect(() => encodeRunFunctionResponse(rsp)).toThrow(want);
  });
});

describe('encodeRunFunctionResponseLent', () => {
  const rspOf = (value: unknown) => withValue(value);

  it('lends the scratch buffer, which writers leave alone until it is handed back', () => {
    const first = encodeRunFunctionResponseLent(rspOf('first'));
    const kept = Buffer.from(first);
    // Not handed back (a cancelled call): the next responses are written elsewhere.
    const second = encodeRunFunctionResponseLent(rspOf('second, a little longer'));
    expect(second.buffer).not.toBe(first.buffer);
    expect(encodeRunFunctionResponse(rspOf('owned'))).toEqual(sdkEncode(rspOf('owned')));
    expect(first).toEqual(kept);
    expect(first).toEqual(sdkEncode(rspOf('first')));
    expect(second).toEqual(sdkEncode(rspOf('second, a little longer')));

    // Handed back: the next response is written over it.
    returnLent(second);
    const third = encodeRunFunctionResponseLent(rspOf('third'));
    expect(third.buffer).toBe(second.buffer);
    expect(third).toEqual(sdkEncode(rspOf('third')));
    returnLent(third);
  });

  it('takes back only the buffer it lent', () => {
    const lent = encodeRunFunctionResponseLent(rspOf('lent'));
    const other = encodeRunFunctionResponse(rspOf('other'));
    returnLent(other);
    const next = encodeRunFunctionResponseLent(rspOf('next'));
    expect(next.buffer).not.toBe(other.buffer);
    expect(next.buffer).not.toBe(lent.buffer);
    expect(lent).toEqual(sdkEncode(rspOf('lent')));
    returnLent(next);
  });
});
