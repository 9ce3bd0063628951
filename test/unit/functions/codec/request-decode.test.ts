import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRunFunctionRequest } from '../../../../functions/codec/request-decode.js';
import { CodecError, MAX_VALUE_DEPTH, MessageTooLargeError } from '../../../../functions/codec/limits.js';
import { platformFetched, dataXR, shippedInput } from '../../../support/data.js';
import { runFunctionRequest as arbitraryRequest, jsonObject } from '../../../support/protobuf-arbitraries.js';
import {
  bytes,
  delimited,
  doubleField,
  stringField,
  structEntry,
  tag,
  utf8,
  valueBool,
  valueList,
  valueNull,
  valueNumber,
  valueString,
  valueStruct,
  varint,
  varintField,
  type Wire,
} from '../../../support/protobuf-wire.js';
import {
  fetched,
  passwordSecret,
  placementAPI,
  placementInput,
  runFunctionRequest,
  storageTenant,
  tokenSecret,
  withSpec,
} from '../../../support/requests.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const sdkEncode = (req: RunFunctionRequest): Buffer => Buffer.from(RunFunctionRequest.encode(req).finish());

/** What the SDK's decoder makes of `wire`, or the error it throws. */
function sdkOutcome(wire: Uint8Array): { ok: RunFunctionRequest } | { error: unknown } {
  try {
    return { ok: RunFunctionRequest.decode(wire) };
  } catch (error) {
    return { error };
  }
}

/** A request whose observed composite is a Struct of the given entries. */
const compositeWith = (...entries: Wire[]): Buffer =>
  bytes(delimited(2, delimited(1, delimited(1, entries.flat()))));

const examples: Record<string, RunFunctionRequest> = {
  'StorageTenant, first call': runFunctionRequest(),
  'StorageTenant, 100 classes observed': runFunctionRequest({
    xr: storageTenant(
      withSpec({ storageClasses: Array.from({ length: 100 }, (_, i) => ({ name: `c-${i}`, replicas: 3 })) }),
    ),
    observed: Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [
        `storageclass-c-${i}`,
        { apiVersion: 'storage.k8s.io/v1', kind: 'x' },
      ]),
    ),
    required: fetched(),
  }),
  'Postgres with an EnvironmentConfig': runFunctionRequest({
    xr: dataXR('Postgres', { type: 'managed', tier: 'production' }),
    input: shippedInput('postgres.yaml'),
    required: platformFetched({ aws: { region: 'eu-central-1' } }),
  }),
  'PlacementAPI with its password Secret': runFunctionRequest({
    xr: placementAPI(),
    input: placementInput(),
    required: { 'password-secret': [passwordSecret()] },
    context: { 'apiextensions.crossplane.io/environment': { a: [1, 'two', null, true, { b: {} }] } },
  }),
  'every field set': {
    meta: { tag: 'abc', capabilities: [1, 2, 5] },
    observed: {
      composite: { resource: storageTenant(), connectionDetails: { password: Buffer.from('pw') }, ready: 1 },
      resources: { secret: { resource: tokenSecret(), connectionDetails: { k: Buffer.alloc(0) }, ready: 2 } },
    },
    desired: { composite: undefined, resources: {} },
    input: { apiVersion: 'fn.stackplane.io/v1alpha1', kind: 'StorageClasses' },
    context: { nested: { list: [[], {}, '', -0, Number.MAX_VALUE, Number.MIN_VALUE] } },
    extraResources: { old: { items: [{ resource: { a: 1 }, connectionDetails: {}, ready: 0 }] } },
    credentials: { creds: { credentialData: { data: { token: Buffer.from('t0k3n') } } } },
    requiredResources: { secret: { items: [] } },
    requiredSchemas: { xr: { openapiV3: { type: 'object', properties: { spec: { type: 'object' } } } } },
  },
};

describe('decodeRunFunctionRequest', () => {
  it.each(Object.entries(examples))('decodes %s as the SDK does', (_name, req) => {
    const wire = sdkEncode(req);
    expect(decodeRunFunctionRequest(wire)).toStrictEqual(RunFunctionRequest.decode(wire));
  });

  it('decodes every generated request as the SDK does', () => {
    fc.assert(
      fc.property(arbitraryRequest, (req) => {
        const wire = sdkEncode(req);
        expect(decodeRunFunctionRequest(wire)).toStrictEqual(RunFunctionRequest.decode(wire));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes a Uint8Array as well as a Buffer', () => {
    const wire = new Uint8Array(sdkEncode(examples['every field set']!));
    expect(decodeRunFunctionRequest(wire)).toStrictEqual(RunFunctionRequest.decode(wire));
  });

  it('decodes huge strings and many keys', () => {
    const big = {
      s: 'x'.repeat(1 << 20),
      u: 'ü€😀'.repeat(10000),
      many: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])),
    };
    const wire = sdkEncode(runFunctionRequest({ context: big }));
    expect(decodeRunFunctionRequest(wire)).toStrictEqual(RunFunctionRequest.decode(wire));
  });

  // Messages no encoder writes, but a decoder must read the same way as the SDK.
  const handWritten: Record<string, Buffer> = {
    'duplicate keys: the last value wins, in the first position': compositeWith(
      structEntry(utf8('a'), valueString('first')),
      structEntry(utf8('b'), valueNumber(2)),
      structEntry(utf8('a'), valueString('second')),
    ),
    'an entry without a value, or with an empty Value, sets nothing': compositeWith(
      structEntry(utf8('a'), valueString('kept')),
      structEntry(utf8('a')),
      structEntry(utf8('b'), []),
    ),
    'an entry without a key uses the empty key': bytes(
      delimited(2, delimited(1, delimited(1, delimited(1, delimited(2, valueBool(true)))))),
    ),
    'a Value with several kinds ranks them as the SDK does': compositeWith(
      structEntry(utf8('nullAndNumber'), [...valueNull(), ...valueNumber(1)]),
      structEntry(utf8('listAndStruct'), [...valueList(valueNull()), ...valueStruct()]),
      structEntry(utf8('boolAndString'), [...valueBool(false), ...valueString('s')]),
      structEntry(utf8('twoNumbers'), [...valueNumber(1), ...valueNumber(2)]),
    ),
    'a list with an empty Value holds undefined': compositeWith(
      structEntry(utf8('l'), valueList([], valueNumber(1))),
    ),
    'NaN, infinities, -0 and a huge bool varint': compositeWith(
      structEntry(utf8('nan'), valueNumber(NaN)),
      structEntry(utf8('inf'), valueNumber(-Infinity)),
      structEntry(utf8('negzero'), valueNumber(-0)),
      structEntry(utf8('bool'), [...tag(4, 0), ...varint(2n ** 63n)]),
      structEntry(utf8('null7'), varintField(1, 7)),
    ),
    'invalid UTF-8 becomes U+FFFD, a BOM stays': compositeWith(
      structEntry([0xff, 0x61], delimited(3, [0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf0, 0x9f])),
      structEntry(utf8('bom'), delimited(3, [0xef, 0xbb, 0xbf, 0x61])),
      structEntry(utf8('long'), delimited(3, [...utf8('y'.repeat(70)), 0x80])),
    ),
    'unknown fields and known fields with another wire type are skipped': compositeWith(
      varintField(9, 5),
      [...tag(1, 5), 1, 2, 3, 4],
      doubleField(3, 1),
      [...tag(7, 3), ...varintField(1, 1), ...tag(7, 4)],
      structEntry(utf8('a'), [...stringField(15, 'x'), ...valueString('kept'), ...varintField(3, 1)]),
    ),
    'an unknown top-level field and duplicate meta (the SDK keeps the last)': bytes(
      delimited(1, stringField(1, 'one')),
      varintField(100, 1),
      delimited(1, stringField(1, 'two')),
      delimited(4, structEntry(utf8('k'), valueNull())),
    ),
    'a connection detail without a value is empty bytes': bytes(
      delimited(
        2,
        delimited(1, [...delimited(2, stringField(1, 'password')), ...varintField(3, 2 ** 32 - 1)]),
      ),
    ),
    'resources map entries without a value are dropped': bytes(
      delimited(2, delimited(2, stringField(1, 'x'))),
    ),
  };

  it.each(Object.entries(handWritten))('%s', (_name, wire) => {
    expect(decodeRunFunctionRequest(wire)).toStrictEqual(RunFunctionRequest.decode(wire));
  });

  it('never accepts what the SDK refuses, and agrees with it on whatever it accepts', () => {
    const corrupted = fc
      .tuple(
        arbitraryRequest,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      )
      .map(([req, flips]) => {
        const wire = sdkEncode(req);
        for (const [at, byte] of flips) if (wire.length > 0) wire[at % wire.length] = byte;
        return wire;
      });
    const truncated = fc.tuple(arbitraryRequest, fc.nat()).map(([req, cut]) => {
      const wire = sdkEncode(req);
      return wire.subarray(0, wire.length === 0 ? 0 : cut % wire.length);
    });
    const garbage = fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b));
    fc.assert(
      fc.property(fc.oneof(corrupted, truncated, garbage), (wire) => {
        const sdk = sdkOutcome(wire);
        let ours: RunFunctionRequest | undefined;
        try {
          ours = decodeRunFunctionRequest(wire);
        } catch (error) {
          // Stricter than the SDK is allowed (it reads past a message's end); another error type is not.
          expect(error).toBeInstanceOf(CodecError);
          return;
        }
        expect(sdk).toHaveProperty('ok');
        expect(ours).toStrictEqual((sdk as { ok: RunFunctionRequest }).ok);
      }),
      // CODEC_FUZZ_RUNS=30000 (with --testTimeout=900000) searches longer after a codec change.
      { numRuns: Number(process.env['CODEC_FUZZ_RUNS'] ?? 2000) },
    );
  });

  it('resolves two Struct keys whose different invalid UTF-8 bytes decode alike in wire order, as the SDK', () => {
    // Found by the property above: keys of different bytes that both decode to U+FFFD text.
    const wire = Buffer.from(
      [
        'CggKAiAgEgIAABI3CjUKABIvCiPwkICA8JCAgPCQgIDwkICA8JCAgPCQgIDwkICA8JCAgOCggBIIAAAAAAAAAAAYBxqWBAqT',
        'BAr4Awo6Ci0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICASCREAAAAAAAAAAAocChbvv73w',
        'kICA8JCAgPCQgIDvv73wkICAEgIIAAoXCgogICAgICAgICAgEgkRAAAAAAAAAAAKFAoD77/FEg0yCwoJEQAAAAAAAAAACuMB',
        'Cgbvv73vv70S2AEq1QEKbwoN77+977+98JCAgO+/vRJeKlwKJQofICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIBIC',
        'CAAKHwoS8JCAgPCQgIDvv73vv73wkICAEgkRAAAAAAAAAAAKEgoM8JCAgPCQgIDwkICAEgIIAApiCkUgICAgICAgICAgICAg',
        'ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICASGTIXCgkRAAAAAAAAAAAK',
        'AggACgIIAAoCCAAKhgEKDPCQgIDwkICA8JCAgBJ2KnQKGQoM8JCAgPCQgIDwkICAEgkRAAAAAAAAAAAKEQoEICAgIBIJEQAA',
        'AAAAAAAACkQKNyAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICASCREAAAAA',
        'AAAAABIUCgvwkICA8JCAgOCggBIFAAAAAAAYAiotChUKCPCQgIDwkICAEgkRAAAAAAAAAAAKFAoH77+98JCAgBIJEQAAAAAA',
        'AAAAQgsSCQoHEgUSAwAAAEqXBAoKICAgICAgICAgIBKIBAqFBAoqCiQgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg',
        'ICAgICASAiAACg8KAiAgEgkRAAAAAAAAAAAKegpDICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg',
        'ICAgICAgICAgICAgICAgICAgICAgICAgIBIzGjEgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg',
        'ICAgICAgCqACCkUgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg',
        'ICAgICAgICAS1gEq0wEKQgo5ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg',
        'ICAgEgUaA++/vQpqCgIgIBJkKmIKRgpAICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg',
        'ICAgICAgICAgICAgICAgIBICCAAKCgoE8JCAgBICCAAKDAoGICAgICAgEgIIAAoLEgkRAAAAAAAAAAAKFAoKICAgICAgICAg',
        'IBIGMgQKAggAChAKA++/vRIJEQAAAAAAAAAAChUKCPCQgIDwkICAEgkRAAAAAAAAAAA=',
      ].join(''),
      'base64',
    );
    expect(decodeRunFunctionRequest(wire)).toStrictEqual((sdkOutcome(wire) as { ok: RunFunctionRequest }).ok);
  });

  const errors: Record<string, { wire: Buffer; want: string }> = {
    'truncated inside a composed resource': {
      wire: bytes(
        delimited(
          2,
          delimited(2, [
            ...stringField(1, 'sc'),
            ...delimited(2, delimited(1, structEntry(utf8('spec'), valueString('value')))),
          ]),
        ),
      ).subarray(0, -3),
      want: 'cannot decode RunFunctionRequest: message is truncated or a length is corrupt at observed',
    },
    'a zero tag in meta, which the SDK reads as the end of the request': {
      wire: bytes(delimited(1, [0, 0]), delimited(3, [])),
      want: 'cannot decode RunFunctionRequest: invalid field number 0 at byte 2 at meta',
    },
    'a string longer than its Struct entry': {
      wire: compositeWith(delimited(1, [...tag(1, 2), ...varint(50), 0x61])),
      want: 'cannot decode RunFunctionRequest: message is truncated or a length is corrupt at observed.composite.resource',
    },
    'field number 0 inside a value': {
      wire: compositeWith(structEntry(utf8('spec'), valueStruct(structEntry(utf8('a.b'), [0, 1])))),
      want: 'cannot decode RunFunctionRequest: invalid field number 0 at byte 27 at observed.composite.resource.spec["a.b"]',
    },
    'a varint of eleven bytes': {
      wire: bytes(
        delimited(2, delimited(2, [...stringField(1, 'x'), ...tag(3, 0), ...Array(10).fill(0xff), 1])),
      ),
      want: 'cannot decode RunFunctionRequest: varint longer than 10 bytes at observed',
    },
    'wire type 7': {
      wire: bytes(delimited(3, delimited(2, [...stringField(1, 'r'), ...delimited(2, [(1 << 3) | 7])]))),
      want: 'cannot decode RunFunctionRequest: invalid wire type 7 at byte 9 at desired.resources["r"]',
    },
  };

  it.each(Object.entries(errors))('refuses %s, naming the place', (_name, { wire, want }) => {
    expect(() => decodeRunFunctionRequest(wire)).toThrow(CodecError);
    expect(() => decodeRunFunctionRequest(wire)).toThrow(want);
  });

  const nested = (levels: number): Record<string, unknown> => {
    let value: Record<string, unknown> = {};
    for (let i = 1; i < levels; i++) value = { a: value };
    return value;
  };

  it.each([
    {
      field: 'context',
      request: (value: Record<string, unknown>) => runFunctionRequest({ context: value }),
      read: (req: RunFunctionRequest) => req.context,
      path: 'context',
    },
    {
      field: 'a required schema',
      request: (value: Record<string, unknown>) =>
        RunFunctionRequest.fromPartial({ requiredSchemas: { 'xr.example.org': { openapiV3: value } } }),
      read: (req: RunFunctionRequest) => req.requiredSchemas['xr.example.org']?.openapiV3,
      path: 'requiredSchemas["xr.example.org"].openapiV3',
    },
  ])(
    `accepts $field nested ${MAX_VALUE_DEPTH} levels deep and refuses one more, naming the path`,
    ({ request, read, path }) => {
      const ok = sdkEncode(request(nested(MAX_VALUE_DEPTH)));
      expect(read(decodeRunFunctionRequest(ok))).toEqual(nested(MAX_VALUE_DEPTH));
      const tooDeep = sdkEncode(request(nested(MAX_VALUE_DEPTH + 1)));
      expect(() => decodeRunFunctionRequest(tooDeep)).toThrow(CodecError);
      // The whole message: the object at the hundredth `.a` is the 101st level.
      expect(() => decodeRunFunctionRequest(tooDeep)).toThrow(
        new RegExp(
          `^cannot decode RunFunctionRequest: values nested deeper than 100 levels at ${escapeRegExp(path)}(\\.a){${MAX_VALUE_DEPTH}}$`,
        ),
      );
    },
  );

  it.each([
    { reason: 'only bit 63 set: true', last: 0x01, want: true },
    { reason: 'only bit 64 set, past the 64 bits protobuf keeps: false', last: 0x02, want: false },
    { reason: 'bits 64 to 69 set: false', last: 0x7e, want: false },
    { reason: 'bits 63 to 69 set: true', last: 0x7f, want: true },
  ])('reads a ten-byte bool varint with $reason, as the SDK does', ({ last, want }) => {
    const wire = compositeWith(structEntry(utf8('b'), [...tag(4, 0), ...Array<number>(9).fill(0x80), last]));
    const resource = decodeRunFunctionRequest(wire).observed?.composite?.resource;
    expect(resource).toEqual({ b: want });
    expect(resource).toStrictEqual(RunFunctionRequest.decode(wire).observed?.composite?.resource);
  });

  it('refuses 2,000 nested lists and a megabyte of nested structs with a CodecError, not a stack overflow', () => {
    // Each level is a ListValue holding one Value holding the next ListValue; lengths are filled in
    // from the inside out.
    let inner: number[] = [];
    for (let i = 0; i < 2000; i++) inner = delimited(1, delimited(6, inner));
    const wire = bytes(delimited(5, structEntry(utf8('deep'), delimited(6, inner))));
    expect(() => decodeRunFunctionRequest(wire)).toThrow(CodecError);
    expect(() => decodeRunFunctionRequest(Buffer.alloc(1_000_000, 0x2a))).toThrow(CodecError);
  });

  it('refuses a message over the size limit before decoding it', () => {
    const wire = sdkEncode(runFunctionRequest());
    expect(() => decodeRunFunctionRequest(wire, { maxMessageBytes: 100 })).toThrow(MessageTooLargeError);
    expect(() => decodeRunFunctionRequest(wire, { maxMessageBytes: 100 })).toThrow(
      `cannot decode RunFunctionRequest: message of ${wire.length} bytes exceeds the limit of 100 bytes`,
    );
  });

  it('keeps a __proto__ key as an own property and leaves prototypes alone', () => {
    const wire = compositeWith(
      structEntry(utf8('__proto__'), valueStruct(structEntry(utf8('polluted'), valueBool(true)))),
      structEntry(utf8('data'), valueStruct(structEntry(utf8('__proto__'), valueString('x')))),
    );
    const resource = decodeRunFunctionRequest(wire).observed?.composite?.resource as Record<string, unknown>;
    expect(Object.getPrototypeOf(resource)).toBe(Object.prototype);
    expect(Object.keys(resource)).toEqual(['__proto__', 'data']);
    expect(Object.getOwnPropertyDescriptor(resource, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getOwnPropertyDescriptor(resource['data'], '__proto__')?.value).toBe('x');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('agrees with the SDK on generated objects in every hot field at once', () => {
    fc.assert(
      fc.property(jsonObject(6), jsonObject(3), (a, b) => {
        const wire = sdkEncode(
          runFunctionRequest({ xr: a, input: b, observed: { x: b }, context: a, required: { r: [a] } }),
        );
        expect(decodeRunFunctionRequest(wire)).toStrictEqual(RunFunctionRequest.decode(wire));
      }),
      { numRuns: 200 },
    );
  });
});
