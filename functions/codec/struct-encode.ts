// Encodes plain JavaScript values as google.protobuf.Struct, Value and ListValue, byte for byte as the
// SDK's generated code does (keys in Object.keys order, undefined fields left out, every number a
// double), in one pass over the value: see WireWriter for how lengths are written.
import { annotate, CodecError, indexSegment, keySegment, MAX_VALUE_DEPTH } from './limits.js';
import type { WireWriter } from './wire-writer.js';

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

function unsupported(value: unknown): CodecError {
  return new CodecError(
    'encode',
    'RunFunctionResponse',
    `a ${typeof value} cannot be a google.protobuf.Value`,
  );
}

function tooDeep(): CodecError {
  return new CodecError(
    'encode',
    'RunFunctionResponse',
    `values nested deeper than ${MAX_VALUE_DEPTH} levels (is a value its own ancestor?)`,
  );
}

/** Whether `object` inherits only from Object.prototype, whose properties are not enumerable. */
function isPlain(object: object): boolean {
  const proto = Object.getPrototypeOf(object) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Writes the content of the Struct for `object` (its tag and length are the caller's); `depth` is
 * its nesting level, from 1.
 */
export function writeStruct(w: WireWriter, object: object, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  const record = object as Record<string, unknown>;
  if (!isPlain(record)) {
    // Only own keys count, as in the SDK.
    for (const key of Object.keys(record)) writeEntry(w, key, record[key], depth);
    return;
  }
  // for-in over a plain object visits exactly Object.keys, and reads record[key] from the engine's
  // enumeration cache instead of looking the key up.
  for (const key in record) writeEntry(w, key, record[key], depth);
}

function writeEntry(w: WireWriter, key: string, value: unknown, depth: number): void {
  if (value === undefined) return;
  const entry = w.beginDelimited(STRUCT_FIELDS);
  if (key !== '') w.string(ENTRY_KEY, key);
  const content = w.beginDelimited(ENTRY_VALUE);
  try {
    writeValue(w, value, depth);
  } catch (error) {
    throw annotate(error, keySegment(key));
  }
  w.endDelimited(content);
  w.endDelimited(entry);
}

function writeList(w: WireWriter, list: readonly unknown[], depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  for (let i = 0; i < list.length; i++) {
    // An undefined item is an empty Value, as in the SDK.
    const content = w.beginDelimited(LIST_VALUES);
    try {
      writeValue(w, list[i], depth);
    } catch (error) {
      throw annotate(error, indexSegment(i));
    }
    w.endDelimited(content);
  }
}

/** Writes the content of the Value for `value`, held by a Struct or ListValue at level `depth`. */
function writeValue(w: WireWriter, value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
      w.string(VALUE_STRING, value);
      return;
    case 'number':
      w.ensure(9);
      w.byte(VALUE_NUMBER);
      w.double(value);
      return;
    case 'boolean':
      w.ensure(2);
      w.byte(VALUE_BOOL);
      w.byte(value ? 1 : 0);
      return;
    case 'undefined':
      return;
    case 'object': {
      if (value === null) {
        w.ensure(2);
        w.byte(VALUE_NULL);
        w.byte(0);
        return;
      }
      if (Array.isArray(value)) {
        const content = w.beginDelimited(VALUE_LIST);
        writeList(w, value, depth + 1);
        w.endDelimited(content);
        return;
      }
      const content = w.beginDelimited(VALUE_STRUCT);
      writeStruct(w, value, depth + 1);
      w.endDelimited(content);
      return;
    }
    default:
      throw unsupported(value);
  }
}
