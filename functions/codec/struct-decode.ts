// Decodes google.protobuf.Struct, Value and ListValue straight into plain JavaScript values, the shape
// the SDK hands a function (its generated code builds a message object per Struct, entry and Value and
// unwraps each one again).
import type { CodecError } from './limits.js';
import { annotate, indexSegment, keySegment, MAX_VALUE_DEPTH } from './limits.js';
import type { WireReader } from './wire-reader.js';
import { buildObject, discardEntries, entriesBase, pushEntry } from './struct-shapes.js';

import {
  ENTRY_KEY,
  ENTRY_VALUE,
  LIST_VALUES,
  STRUCT_FIELDS,
  VALUE_BOOL,
  VALUE_LIST,
  VALUE_NULL,
  VALUE_NUMBER,
  VALUE_STRING,
  VALUE_STRUCT,
} from './struct-tags.js';

/** A Struct of `end - r.pos` bytes as a plain object; `depth` is its own nesting level, from 1. */
export function decodeStruct(r: WireReader, end: number, depth: number): Record<string, unknown> {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep(r);
  const base = entriesBase();
  try {
    readEntries(r, end, depth);
  } catch (error) {
    discardEntries(base);
    throw error;
  }
  return buildObject(base);
}

/** Reads a Struct's entries onto the entries of struct-shapes.ts. */
function readEntries(r: WireReader, end: number, depth: number): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag !== STRUCT_FIELDS) {
      r.skip(tag, end);
      continue;
    }
    const entryEnd = r.delimitedEnd(end);
    let key = '';
    let rank = -1;
    let value: unknown = undefined;
    while (r.pos < entryEnd) {
      const entryTag = r.tag(entryEnd);
      if (entryTag === ENTRY_KEY) {
        key = r.string(entryEnd);
        rank = r.stringRank;
      } else if (entryTag === ENTRY_VALUE) {
        const valueEnd = r.delimitedEnd(entryEnd);
        try {
          value = decodeValue(r, valueEnd, depth);
        } catch (error) {
          throw annotate(error, keySegment(key));
        }
      } else r.skip(entryTag, entryEnd);
    }
    // An entry without a value (or with an empty Value) sets nothing, as in the SDK.
    if (value !== undefined) pushEntry(key, value, rank);
  }
}

/** A ListValue as an array; an empty Value in it becomes `undefined`, as in the SDK. */
function decodeList(r: WireReader, end: number, depth: number): unknown[] {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep(r);
  const list: unknown[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag !== LIST_VALUES) {
      r.skip(tag, end);
      continue;
    }
    const valueEnd = r.delimitedEnd(end);
    try {
      list.push(decodeValue(r, valueEnd, depth));
    } catch (error) {
      throw annotate(error, indexSegment(list.length));
    }
  }
  return list;
}

/**
 * A Value as the plain value it holds; `depth` is the level of the Struct or ListValue holding it.
 * A Value is a oneof, but a message may set several of its fields (or one twice): the last of each
 * kind counts and the kinds rank string, number, bool, struct, list, null, exactly as the SDK's
 * `Value.unwrap` ranks them, so both decoders agree on every input.
 */
function decodeValue(r: WireReader, end: number, depth: number): unknown {
  let string: string | undefined;
  let number: number | undefined;
  let bool: boolean | undefined;
  let struct: Record<string, unknown> | undefined;
  let list: unknown[] | undefined;
  let isNull = false;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case VALUE_STRING:
        string = r.string(end);
        break;
      case VALUE_NUMBER:
        number = r.double(end);
        break;
      case VALUE_BOOL:
        bool = r.varintIsNonZero(end);
        break;
      case VALUE_STRUCT:
        struct = decodeStruct(r, r.delimitedEnd(end), depth + 1);
        break;
      case VALUE_LIST:
        list = decodeList(r, r.delimitedEnd(end), depth + 1);
        break;
      case VALUE_NULL:
        r.varint32(end);
        isNull = true;
        break;
      default:
        r.skip(tag, end);
    }
  }
  if (string !== undefined) return string;
  if (number !== undefined) return number;
  if (bool !== undefined) return bool;
  if (struct !== undefined) return struct;
  if (list !== undefined) return list;
  return isNull ? null : undefined;
}

function tooDeep(r: WireReader): CodecError {
  return r.error(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
}
