// Encodes a RunFunctionResponse. The desired state, context and output (the Kubernetes objects) are
// written here; meta, results, requirements and conditions, small and rarely many, are encoded by the
// SDK's generated code and copied in at their place, so the bytes equal the SDK's own encoding.
import { RunFunctionResponse, type Resource, type State } from '@crossplane-org/function-sdk-typescript';
import { annotate, CodecError, fieldSegment, mapKeySegment } from './limits.js';
import { writeStruct } from './struct-encode.js';
import { WireWriter } from './wire-writer.js';

export { returnLent } from './wire-writer.js';

const RESPONSE_DESIRED = 18;
const RESPONSE_CONTEXT = 34;
const RESPONSE_OUTPUT = 58;
const STATE_COMPOSITE = 10;
const STATE_RESOURCES = 18;
const MAP_KEY = 10;
const MAP_VALUE = 18;
const RESOURCE_RESOURCE = 10;
const RESOURCE_CONNECTION_DETAILS = 18;
const RESOURCE_READY = 24;

/** The response fields this encoder knows; a response with any other goes to the SDK whole. */
const KNOWN_FIELDS = new Set([
  'meta',
  'desired',
  'results',
  'context',
  'requirements',
  'conditions',
  'output',
]);

const EMPTY_RESPONSE: RunFunctionResponse = {
  meta: undefined,
  desired: undefined,
  results: [],
  context: undefined,
  requirements: undefined,
  conditions: [],
  output: undefined,
};

/**
 * Encodes a RunFunctionResponse to the bytes the SDK's `RunFunctionResponse.encode` produces (with one
 * difference: an own `__proto__` key in a value is written, where the SDK drops it). A value that is
 * no protobuf Value (a function, a symbol, a bigint) or nests deeper than the limit (a cycle) throws
 * a {@link CodecError} naming the place.
 */
export function encodeRunFunctionResponse(rsp: RunFunctionResponse): Buffer {
  const w = writeRunFunctionResponse(rsp);
  return w instanceof WireWriter ? w.finish() : w;
}

/**
 * As {@link encodeRunFunctionResponse}, in the encoder's scratch buffer: the bytes stay valid until
 * the caller hands them back with {@link returnLent}, after which the next response overwrites them.
 */
export function encodeRunFunctionResponseLent(rsp: RunFunctionResponse): Buffer {
  const w = writeRunFunctionResponse(rsp);
  return w instanceof WireWriter ? w.lend() : w;
}

/** The response written, or the SDK's bytes for a response with fields the codec does not know. */
function writeRunFunctionResponse(rsp: RunFunctionResponse): WireWriter | Buffer {
  for (const key of Object.keys(rsp)) {
    if (!KNOWN_FIELDS.has(key)) return Buffer.from(RunFunctionResponse.encode(rsp).finish());
  }
  const sdk = (fields: Partial<RunFunctionResponse>): Uint8Array =>
    RunFunctionResponse.encode({ ...EMPTY_RESPONSE, ...fields }).finish();
  const w = new WireWriter();
  // Field order on the wire: meta 1, desired 2, results 3, context 4, requirements 5, conditions 6, output 7.
  if (rsp.meta !== undefined) w.raw(sdk({ meta: rsp.meta }));
  if (rsp.desired !== undefined) {
    const desired = rsp.desired;
    const content = w.beginDelimited(RESPONSE_DESIRED);
    within('desired', () => writeState(w, desired));
    w.endDelimited(content);
  }
  if (rsp.results.length > 0) w.raw(sdk({ results: rsp.results }));
  if (rsp.context !== undefined) writeTopStruct(w, RESPONSE_CONTEXT, 'context', rsp.context);
  if (rsp.requirements !== undefined || rsp.conditions.length > 0) {
    w.raw(sdk({ requirements: rsp.requirements, conditions: rsp.conditions }));
  }
  if (rsp.output !== undefined) writeTopStruct(w, RESPONSE_OUTPUT, 'output', rsp.output);
  return w;
}

function within(field: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw annotate(error, fieldSegment(field));
  }
}

function writeTopStruct(w: WireWriter, tag: number, field: string, object: object): void {
  const content = w.beginDelimited(tag);
  within(field, () => writeStruct(w, object, 1));
  w.endDelimited(content);
}

function writeState(w: WireWriter, state: State): void {
  const composite = state.composite;
  if (composite !== undefined) {
    const content = w.beginDelimited(STATE_COMPOSITE);
    within('composite', () => writeResource(w, composite));
    w.endDelimited(content);
  }
  const resources = state.resources;
  for (const key in resources) {
    if (!Object.hasOwn(resources, key)) continue;
    const value = resources[key];
    const entry = w.beginDelimited(STATE_RESOURCES);
    if (key !== '') w.string(MAP_KEY, key);
    if (value !== undefined) {
      const content = w.beginDelimited(MAP_VALUE);
      try {
        writeResource(w, value);
      } catch (error) {
        throw annotate(annotate(error, mapKeySegment(key)), fieldSegment('resources'));
      }
      w.endDelimited(content);
    }
    w.endDelimited(entry);
  }
}

function writeResource(w: WireWriter, resource: Resource): void {
  checkReady(resource.ready);
  const object = resource.resource;
  if (object !== undefined) {
    const content = w.beginDelimited(RESOURCE_RESOURCE);
    within('resource', () => writeStruct(w, object, 1));
    w.endDelimited(content);
  }
  const details = resource.connectionDetails;
  // for-in with hasOwn visits what Object.entries (the SDK's loop) does, without allocating pairs.
  for (const key in details) {
    if (!Object.hasOwn(details, key)) continue;
    const value = details[key];
    if (!(value instanceof Uint8Array)) {
      throw new CodecError(
        'encode',
        'RunFunctionResponse',
        'a connection detail must be bytes (a Uint8Array)',
      ).within(mapKeySegment(key));
    }
    const entry = w.beginDelimited(RESOURCE_CONNECTION_DETAILS);
    if (key !== '') w.string(MAP_KEY, key);
    if (value.length !== 0) w.bytes(MAP_VALUE, value);
    w.endDelimited(entry);
  }
  if (resource.ready !== 0) {
    w.ensure(11);
    w.byte(RESOURCE_READY);
    w.int32(resource.ready);
  }
}

function checkReady(ready: unknown): void {
  if (typeof ready !== 'number' || !Number.isInteger(ready) || ready > 0x7fffffff || ready < -0x80000000) {
    throw new CodecError(
      'encode',
      'RunFunctionResponse',
      `ready must be an int32, not ${String(ready)}`,
    ).within(fieldSegment('ready'));
  }
}
