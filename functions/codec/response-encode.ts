// Encodes a RunFunctionResponse. The desired state, context and output (the Kubernetes objects) are
// written here; meta, results, requirements and conditions, small and rarely many, are encoded by the
// SDK's generated code and copied in at their place, so the bytes equal the SDK's own encoding.
import { RunFunctionResponse, type Resource, type State } from '@crossplane-org/function-sdk-typescript';
import { annotate, CodecError, fieldSegment, mapKeySegment } from './limits.js';
import { measureStruct, Sizes, writeStruct } from './struct-encode.js';
import { delimitedSize, int32Size, utf8Length, WireWriter } from './wire-writer.js';

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

const SIZES = new Sizes();

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
  for (const key of Object.keys(rsp)) {
    if (!KNOWN_FIELDS.has(key)) return Buffer.from(RunFunctionResponse.encode(rsp).finish());
  }
  const sdk = (fields: Partial<RunFunctionResponse>): Uint8Array =>
    RunFunctionResponse.encode({ ...EMPTY_RESPONSE, ...fields }).finish();
  // Field order on the wire: meta 1, desired 2, results 3, context 4, requirements 5, conditions 6, output 7.
  const meta = rsp.meta !== undefined ? sdk({ meta: rsp.meta }) : undefined;
  const results = rsp.results.length > 0 ? sdk({ results: rsp.results }) : undefined;
  const tail =
    rsp.requirements !== undefined || rsp.conditions.length > 0
      ? sdk({ requirements: rsp.requirements, conditions: rsp.conditions })
      : undefined;

  // One record of sizes for every response: encoding is synchronous, so it is never shared.
  const sizes = SIZES.reset();
  let total = (meta?.length ?? 0) + (results?.length ?? 0) + (tail?.length ?? 0);
  let desiredBytes = 0;
  if (rsp.desired !== undefined) {
    desiredBytes = within('desired', () => measureState(rsp.desired!, sizes));
    total += delimitedSize(desiredBytes);
  }
  if (rsp.context !== undefined)
    total += delimitedSize(within('context', () => measureStruct(rsp.context!, sizes, 1)));
  if (rsp.output !== undefined)
    total += delimitedSize(within('output', () => measureStruct(rsp.output!, sizes, 1)));

  const w = new WireWriter(total);
  if (meta) w.raw(meta);
  if (rsp.desired !== undefined) {
    w.byte(RESPONSE_DESIRED);
    w.varint(desiredBytes);
    writeState(w, rsp.desired, sizes);
  }
  if (results) w.raw(results);
  if (rsp.context !== undefined) writeTopStruct(w, RESPONSE_CONTEXT, rsp.context, sizes);
  if (tail) w.raw(tail);
  if (rsp.output !== undefined) writeTopStruct(w, RESPONSE_OUTPUT, rsp.output, sizes);
  if (w.pos !== total) {
    // Only a value that changes while it is encoded (a getter) can get here.
    throw new CodecError('encode', 'RunFunctionResponse', `wrote ${w.pos} of ${total} measured bytes`);
  }
  return w.buf;
}

function within<T>(field: string, measure: () => T): T {
  try {
    return measure();
  } catch (error) {
    throw annotate(error, fieldSegment(field));
  }
}

function writeTopStruct(w: WireWriter, tag: number, object: object, sizes: Sizes): void {
  w.byte(tag);
  w.varint(sizes.values[sizes.next]!);
  writeStruct(w, object, sizes);
}

/** Content bytes of a State; records the sizes of the objects inside. */
function measureState(state: State, sizes: Sizes): number {
  let total = 0;
  if (state.composite !== undefined) {
    total += delimitedSize(within('composite', () => measureResource(state.composite!, sizes)));
  }
  const resources = state.resources;
  for (const key in resources) {
    if (!Object.hasOwn(resources, key)) continue;
    const value = resources[key];
    let entry = key !== '' ? delimitedSize(utf8Length(key)) : 0;
    if (value !== undefined) {
      try {
        entry += delimitedSize(measureResource(value, sizes));
      } catch (error) {
        throw annotate(annotate(error, mapKeySegment(key)), fieldSegment('resources'));
      }
    }
    total += delimitedSize(entry);
  }
  return total;
}

function writeState(w: WireWriter, state: State, sizes: Sizes): void {
  if (state.composite !== undefined) {
    w.byte(STATE_COMPOSITE);
    w.varint(resourceSize(state.composite, sizes));
    writeResource(w, state.composite, sizes);
  }
  const resources = state.resources;
  for (const key in resources) {
    if (!Object.hasOwn(resources, key)) continue;
    const value = resources[key];
    const keyBytes = key !== '' ? utf8Length(key) : 0;
    const valueBytes = value !== undefined ? resourceSize(value, sizes) : 0;
    w.byte(STATE_RESOURCES);
    w.varint(
      (key !== '' ? delimitedSize(keyBytes) : 0) + (value !== undefined ? delimitedSize(valueBytes) : 0),
    );
    if (key !== '') {
      w.byte(MAP_KEY);
      w.varint(keyBytes);
      w.utf8(key, keyBytes);
    }
    if (value !== undefined) {
      w.byte(MAP_VALUE);
      w.varint(valueBytes);
      writeResource(w, value, sizes);
    }
  }
}

/** Content bytes of a Resource; its Struct's size is recorded, the rest is recomputed when writing. */
function measureResource(resource: Resource, sizes: Sizes): number {
  checkReady(resource.ready);
  let total = 0;
  if (resource.resource !== undefined) {
    total += delimitedSize(within('resource', () => measureStruct(resource.resource!, sizes, 1)));
  }
  total += detailsSize(resource.connectionDetails);
  if (resource.ready !== 0) total += 1 + int32Size(resource.ready);
  return total;
}

/** A Resource's content size from the recorded size of its Struct, read without consuming it. */
function resourceSize(resource: Resource, sizes: Sizes): number {
  let total = resource.resource !== undefined ? delimitedSize(sizes.values[sizes.next]!) : 0;
  total += detailsSize(resource.connectionDetails);
  if (resource.ready !== 0) total += 1 + int32Size(resource.ready);
  return total;
}

function detailsSize(details: Record<string, Uint8Array>): number {
  let total = 0;
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
    let entry = key !== '' ? delimitedSize(utf8Length(key)) : 0;
    if (value.length !== 0) entry += delimitedSize(value.length);
    total += delimitedSize(entry);
  }
  return total;
}

function writeResource(w: WireWriter, resource: Resource, sizes: Sizes): void {
  if (resource.resource !== undefined) {
    w.byte(RESOURCE_RESOURCE);
    w.varint(sizes.values[sizes.next]!);
    writeStruct(w, resource.resource, sizes);
  }
  const details = resource.connectionDetails;
  for (const key in details) {
    if (!Object.hasOwn(details, key)) continue;
    const value = details[key]!;
    const keyBytes = key !== '' ? utf8Length(key) : 0;
    w.byte(RESOURCE_CONNECTION_DETAILS);
    w.varint(
      (key !== '' ? delimitedSize(keyBytes) : 0) + (value.length !== 0 ? delimitedSize(value.length) : 0),
    );
    if (key !== '') {
      w.byte(MAP_KEY);
      w.varint(keyBytes);
      w.utf8(key, keyBytes);
    }
    if (value.length !== 0) {
      w.byte(MAP_VALUE);
      w.varint(value.length);
      w.raw(value);
    }
  }
  if (resource.ready !== 0) {
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
