// Decodes a RunFunctionRequest. The parts that carry Kubernetes objects (observed and desired state,
// input, context, required and extra resources, required schemas) are read here into plain values;
// every other field,
// including any field a newer SDK knows and this file does not, is handed to the SDK's generated
// decoder, so the result has exactly the SDK's shape.
import {
  RunFunctionRequest,
  type Resource,
  type Resources,
  type Schema,
  type State,
} from '@crossplane-org/function-sdk-typescript';
import {
  annotate,
  fieldSegment,
  MessageTooLargeError,
  indexSegment,
  MAX_MESSAGE_BYTES,
  mapKeySegment,
} from './limits.js';
import { decodeStruct } from './struct-decode.js';
import { setOwn } from './struct-shapes.js';
import { WireReader } from './wire-reader.js';

// Tags (field number << 3 | wire type 2) of the length-delimited fields read here.
const REQUEST_OBSERVED = 18;
const REQUEST_DESIRED = 26;
const REQUEST_INPUT = 34;
const REQUEST_CONTEXT = 42;
const REQUEST_EXTRA_RESOURCES = 50;
const REQUEST_REQUIRED_RESOURCES = 66;
const REQUEST_REQUIRED_SCHEMAS = 74;
const SCHEMA_OPENAPI_V3 = 10;
const STATE_COMPOSITE = 10;
const STATE_RESOURCES = 18;
const RESOURCES_ITEMS = 10;
const RESOURCE_RESOURCE = 10;
const RESOURCE_CONNECTION_DETAILS = 18;
const RESOURCE_READY = 24; // varint
const MAP_KEY = 10;
const MAP_VALUE = 18;

/** The request's message nesting, before its first Struct: Request > State > map entry > Resource. */
const RESOURCE_STRUCT_DEPTH = 1;

export interface DecodeOptions {
  /** Larger messages are refused before any decoding; {@link MAX_MESSAGE_BYTES} unless set. */
  maxMessageBytes?: number;
}

/**
 * Decodes a RunFunctionRequest from its wire bytes. The result deep-equals the SDK's
 * `RunFunctionRequest.decode` for every message the SDK accepts, except that a `__proto__` key is kept
 * as an own property instead of being dropped. Corrupt input (truncated, a length past its message,
 * field number 0, values nested deeper than the limit) throws a {@link CodecError} naming the place.
 */
export function decodeRunFunctionRequest(bytes: Uint8Array, options: DecodeOptions = {}): RunFunctionRequest {
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  if (bytes.length > maxBytes) {
    throw new MessageTooLargeError('RunFunctionRequest', bytes.length, maxBytes);
  }
  const r = new WireReader(bytes, 'RunFunctionRequest');
  const end = bytes.length;
  let observed: State | undefined;
  let desired: State | undefined;
  let input: Record<string, unknown> | undefined;
  let context: Record<string, unknown> | undefined;
  const extraResources: Record<string, Resources> = {};
  const requiredResources: Record<string, Resources> = {};
  const requiredSchemas: Record<string, Schema> = {};
  // Byte ranges of the fields left to the SDK, in wire order.
  const delegated: Array<[number, number]> = [];
  while (r.pos < end) {
    const start = r.pos;
    const tag = r.tag(end);
    try {
      switch (tag) {
        case REQUEST_OBSERVED:
          observed = decodeState(r, r.delimitedEnd(end));
          continue;
        case REQUEST_DESIRED:
          desired = decodeState(r, r.delimitedEnd(end));
          continue;
        case REQUEST_INPUT:
          input = decodeStruct(r, r.delimitedEnd(end), RESOURCE_STRUCT_DEPTH);
          continue;
        case REQUEST_CONTEXT:
          context = decodeStruct(r, r.delimitedEnd(end), RESOURCE_STRUCT_DEPTH);
          continue;
        case REQUEST_EXTRA_RESOURCES:
          decodeResourcesEntry(r, r.delimitedEnd(end), extraResources);
          continue;
        case REQUEST_REQUIRED_RESOURCES:
          decodeResourcesEntry(r, r.delimitedEnd(end), requiredResources);
          continue;
        case REQUEST_REQUIRED_SCHEMAS:
          decodeSchemaEntry(r, r.delimitedEnd(end), requiredSchemas);
          continue;
        default: {
          const layout = DELEGATED_LAYOUTS[tag];
          if (layout) checkLayout(r, r.delimitedEnd(end), layout);
          else r.skip(tag, end);
        }
      }
    } catch (error) {
      throw annotate(error, fieldSegment(REQUEST_FIELD_NAMES[tag] ?? `field ${tag >>> 3}`));
    }
    const last = delegated[delegated.length - 1];
    if (last && last[1] === start) last[1] = r.pos;
    else delegated.push([start, r.pos]);
  }
  const message = RunFunctionRequest.decode(gather(bytes, delegated));
  message.observed = observed;
  message.desired = desired;
  message.input = input;
  message.context = context;
  message.extraResources = extraResources;
  message.requiredResources = requiredResources;
  message.requiredSchemas = requiredSchemas;
  return message;
}

const REQUEST_FIELD_NAMES: Record<number, string> = {
  10: 'meta',
  58: 'credentials',
  [REQUEST_OBSERVED]: 'observed',
  [REQUEST_DESIRED]: 'desired',
  [REQUEST_INPUT]: 'input',
  [REQUEST_CONTEXT]: 'context',
  [REQUEST_EXTRA_RESOURCES]: 'extraResources',
  [REQUEST_REQUIRED_RESOURCES]: 'requiredResources',
  [REQUEST_REQUIRED_SCHEMAS]: 'requiredSchemas',
};

/**
 * Where a delegated message holds messages, as a map from tag to the layout inside ('packed' for
 * packed varints); fields not listed are opaque (strings, bytes, varints).
 */
interface Layout {
  [tag: number]: Layout | 'packed';
}

/**
 * The layouts of the fields decoded by the SDK. They are walked with the strict reader first: the
 * SDK's decoder stops a message at a zero tag and reads on past a message's end, and the walk makes
 * such input an error here as it is everywhere else in this codec.
 */
const DELEGATED_LAYOUTS: Record<number, Layout> = {
  10: { 18: 'packed' }, // meta: RequestMeta (tag, packed capabilities)
  58: { 18: { 10: { 10: {} } } }, // credentials entry: value Credentials > CredentialData > data entry
};

function checkLayout(r: WireReader, end: number, layout: Layout): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    const inner = layout[tag];
    if (inner === undefined) r.skip(tag, end);
    else if (inner === 'packed') {
      const packedEnd = r.delimitedEnd(end);
      while (r.pos < packedEnd) r.varint32(packedEnd);
    } else checkLayout(r, r.delimitedEnd(end), inner);
  }
}

/** The delegated fields as one buffer; most requests delegate only `meta`. */
function gather(bytes: Uint8Array, ranges: ReadonlyArray<[number, number]>): Uint8Array {
  if (ranges.length === 1) return bytes.subarray(ranges[0]![0], ranges[0]![1]);
  let length = 0;
  for (const [from, to] of ranges) length += to - from;
  const out = new Uint8Array(length);
  let at = 0;
  for (const [from, to] of ranges) {
    out.set(bytes.subarray(from, to), at);
    at += to - from;
  }
  return out;
}

function decodeState(r: WireReader, end: number): State {
  const state: State = { composite: undefined, resources: {} };
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === STATE_COMPOSITE) {
      try {
        state.composite = decodeResource(r, r.delimitedEnd(end));
      } catch (error) {
        throw annotate(error, fieldSegment('composite'));
      }
    } else if (tag === STATE_RESOURCES) {
      const entryEnd = r.delimitedEnd(end);
      let key = '';
      let value: Resource | undefined;
      while (r.pos < entryEnd) {
        const entryTag = r.tag(entryEnd);
        if (entryTag === MAP_KEY) key = r.string(entryEnd);
        else if (entryTag === MAP_VALUE) {
          try {
            value = decodeResource(r, r.delimitedEnd(entryEnd));
          } catch (error) {
            throw annotate(annotate(error, mapKeySegment(key)), fieldSegment('resources'));
          }
        } else r.skip(entryTag, entryEnd);
      }
      if (value !== undefined) setOwn(state.resources, key, value);
    } else r.skip(tag, end);
  }
  return state;
}

function decodeResourcesEntry(r: WireReader, end: number, into: Record<string, Resources>): void {
  let key = '';
  let value: Resources | undefined;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === MAP_KEY) key = r.string(end);
    else if (tag === MAP_VALUE) {
      try {
        value = decodeResources(r, r.delimitedEnd(end));
      } catch (error) {
        throw annotate(error, mapKeySegment(key));
      }
    } else r.skip(tag, end);
  }
  if (value !== undefined) setOwn(into, key, value);
}

function decodeResources(r: WireReader, end: number): Resources {
  const items: Resource[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag !== RESOURCES_ITEMS) {
      r.skip(tag, end);
      continue;
    }
    try {
      items.push(decodeResource(r, r.delimitedEnd(end)));
    } catch (error) {
      throw annotate(annotate(error, indexSegment(items.length)), fieldSegment('items'));
    }
  }
  return { items };
}

function decodeResource(r: WireReader, end: number): Resource {
  const resource: Resource = { resource: undefined, connectionDetails: {}, ready: 0 };
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === RESOURCE_RESOURCE) {
      try {
        resource.resource = decodeStruct(r, r.delimitedEnd(end), RESOURCE_STRUCT_DEPTH);
      } catch (error) {
        throw annotate(error, fieldSegment('resource'));
      }
    } else if (tag === RESOURCE_CONNECTION_DETAILS) {
      const entryEnd = r.delimitedEnd(end);
      let key = '';
      let value: Uint8Array = Buffer.alloc(0);
      while (r.pos < entryEnd) {
        const entryTag = r.tag(entryEnd);
        if (entryTag === MAP_KEY) key = r.string(entryEnd);
        // A copy, as the SDK makes: the response may outlive the request's buffer.
        else if (entryTag === MAP_VALUE) value = Buffer.from(r.bytes(entryEnd));
        else r.skip(entryTag, entryEnd);
      }
      setOwn(resource.connectionDetails, key, value);
    } else if (tag === RESOURCE_READY) {
      resource.ready = r.varint32(end) | 0;
    } else r.skip(tag, end);
  }
  return resource;
}

/**
 * A required_schemas entry. Decoded here rather than by the SDK: a schema is a Struct as deep as the
 * CRD it describes, and the SDK's decoder refuses one nested past its recursion limit with a plain
 * Error, which grpc-js turned into a bare "Error deserializing request".
 */
function decodeSchemaEntry(r: WireReader, end: number, into: Record<string, Schema>): void {
  let key = '';
  let value: Schema | undefined;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === MAP_KEY) key = r.string(end);
    else if (tag === MAP_VALUE) {
      try {
        value = decodeSchema(r, r.delimitedEnd(end));
      } catch (error) {
        throw annotate(error, mapKeySegment(key));
      }
    } else r.skip(tag, end);
  }
  if (value !== undefined) setOwn(into, key, value);
}

function decodeSchema(r: WireReader, end: number): Schema {
  const schema: Schema = { openapiV3: undefined };
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === SCHEMA_OPENAPI_V3) {
      try {
        schema.openapiV3 = decodeStruct(r, r.delimitedEnd(end), RESOURCE_STRUCT_DEPTH);
      } catch (error) {
        throw annotate(error, fieldSegment('openapiV3'));
      }
    } else r.skip(tag, end);
  }
  return schema;
}
