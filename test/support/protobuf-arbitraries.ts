// fast-check generators of RunFunction messages and the JSON-like values inside them, covering what a
// google.protobuf.Value can carry: every kind, NaN and infinities, -0, empty, long and non-ASCII
// strings (lone surrogates too), empty and nested objects and lists.
import fc from 'fast-check';
import {
  Ready,
  Severity,
  Status,
  Target,
  type Resource,
  type RunFunctionRequest,
  type RunFunctionResponse,
  type State,
} from '@crossplane-org/function-sdk-typescript';

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Strings of every shape: ASCII (cache-sized and longer), any code point, lone surrogates. */
export const text = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 30, maxLength: 140 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', maxLength: 1 }), loneSurrogate), maxLength: 8 }),
);

/** Object keys; `__proto__` is left out because the SDK's decoder loses it (tested on its own). */
export const key = text.filter((k) => k !== '__proto__');

/** Values a Struct can hold, nested at most `depth` levels. */
export function jsonValue(depth = 4): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer({ min: -1000, max: 1000 }),
      text,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5, noNullPrototype: true }),
    ),
  }));
  return value;
}

export const jsonObject = (depth = 4): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(key, jsonValue(depth), { maxKeys: 6, noNullPrototype: true });

const bytesValue = fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b));
const ready = fc.constantFrom(Ready.READY_UNSPECIFIED, Ready.READY_TRUE, Ready.READY_FALSE, 7, -1);

export const resource: fc.Arbitrary<Resource> = fc.record({
  resource: fc.option(jsonObject(), { nil: undefined }),
  connectionDetails: fc.dictionary(key, bytesValue, { maxKeys: 3, noNullPrototype: true }),
  ready,
});

export const state: fc.Arbitrary<State> = fc.record({
  composite: fc.option(resource, { nil: undefined }),
  resources: fc.dictionary(key, resource, { maxKeys: 4, noNullPrototype: true }),
});

const resources = fc.record({ items: fc.array(resource, { maxLength: 3 }) });

export const runFunctionRequest: fc.Arbitrary<RunFunctionRequest> = fc.record({
  meta: fc.option(fc.record({ tag: text, capabilities: fc.array(fc.nat(6), { maxLength: 3 }) }), {
    nil: undefined,
  }),
  observed: fc.option(state, { nil: undefined }),
  desired: fc.option(state, { nil: undefined }),
  input: fc.option(jsonObject(), { nil: undefined }),
  context: fc.option(jsonObject(), { nil: undefined }),
  extraResources: fc.dictionary(key, resources, { maxKeys: 2, noNullPrototype: true }),
  credentials: fc.dictionary(
    key,
    fc.record({
      credentialData: fc.record({
        data: fc.dictionary(key, bytesValue, { maxKeys: 2, noNullPrototype: true }),
      }),
    }),
    { maxKeys: 2, noNullPrototype: true },
  ),
  requiredResources: fc.dictionary(key, resources, { maxKeys: 2, noNullPrototype: true }),
  requiredSchemas: fc.dictionary(
    key,
    fc.record({ openapiV3: fc.option(jsonObject(2), { nil: undefined }) }),
    {
      maxKeys: 2,
      noNullPrototype: true,
    },
  ),
});

/** Values a step may put in a response, including `undefined` fields and list items. */
export function responseValue(depth = 4): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
      fc.double(),
      text,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  }));
  return value;
}

const responseObject = fc.dictionary(key, responseValue(), { maxKeys: 6 });
const responseResource: fc.Arbitrary<Resource> = fc.record({
  resource: fc.option(responseObject, { nil: undefined }),
  connectionDetails: fc.dictionary(key, bytesValue, { maxKeys: 3 }),
  ready,
});

export const runFunctionResponse: fc.Arbitrary<RunFunctionResponse> = fc.record({
  meta: fc.option(
    fc.record({
      tag: text,
      ttl: fc.option(fc.record({ seconds: fc.nat(), nanos: fc.nat(999) }), { nil: undefined }),
    }),
    { nil: undefined },
  ),
  desired: fc.option(
    fc.record({
      composite: fc.option(responseResource, { nil: undefined }),
      resources: fc.dictionary(key, responseResource, { maxKeys: 4 }),
    }),
    { nil: undefined },
  ),
  results: fc.array(
    fc.record({
      severity: fc.constantFrom(Severity.SEVERITY_FATAL, Severity.SEVERITY_WARNING, Severity.SEVERITY_NORMAL),
      message: text,
      reason: fc.option(text, { nil: undefined }),
      target: fc.option(fc.constant(Target.TARGET_COMPOSITE), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
  context: fc.option(responseObject, { nil: undefined }),
  requirements: fc.option(
    fc.record({
      extraResources: fc.constant({}),
      resources: fc.dictionary(key, fc.record({ apiVersion: text, kind: text, matchName: text }), {
        maxKeys: 2,
      }),
      schemas: fc.constant({}),
    }),
    { nil: undefined },
  ),
  conditions: fc.array(
    fc.record({
      type: text,
      status: fc.constantFrom(Status.STATUS_CONDITION_TRUE, Status.STATUS_CONDITION_FALSE),
      reason: text,
      message: fc.option(text, { nil: undefined }),
      target: fc.option(fc.constant(Target.TARGET_COMPOSITE), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
  output: fc.option(responseObject, { nil: undefined }),
});
