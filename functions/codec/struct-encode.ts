// Encodes plain JavaScript values as google.protobuf.Struct, Value and ListValue, byte for byte as the
// SDK's generated code does (keys in Object.keys order, undefined fields left out, every number a
// double), in two passes: the first measures every Struct, ListValue and string and records the
// sizes in visiting order, the second writes into a buffer of the exact size.
import { annotate, CodecError, indexSegment, keySegment, MAX_VALUE_DEPTH } from './limits.js';
import { delimitedSize, utf8Length, type WireWriter } from './wire-writer.js';

/**
 * Sizes recorded by the measuring pass, read back in the same order by the writing pass: the content
 * length of each Struct and ListValue and the UTF-8 length of each string.
 */
export class Sizes {
  values: number[] = [];
  /** How many sizes the measuring pass recorded. */
  count = 0;
  /** The next size the writing pass reads. */
  next = 0;

  /** Empties the record for the next message, keeping the array's memory. */
  reset(): this {
    this.count = 0;
    this.next = 0;
    return this;
  }

  push(size: number): number {
    this.values[this.count++] = size;
    return size;
  }

  reserve(): number {
    this.values[this.count] = 0;
    return this.count++;
  }

  take(): number {
    return this.values[this.next++]!;
  }
}

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

/** measureStruct for an object with another prototype: only its own keys count, as in the SDK. */
function measureKeyed(record: Record<string, unknown>, slot: number, sizes: Sizes, depth: number): number {
  let total = 0;
  for (const key of Object.keys(record)) total += measureEntry(key, record[key], sizes, depth);
  sizes.values[slot] = total;
  return total;
}

function measureEntry(key: string, value: unknown, sizes: Sizes, depth: number): number {
  if (value === undefined) return 0;
  let entry = 0;
  if (key !== '') entry += delimitedSize(sizes.push(utf8Length(key)));
  try {
    entry += delimitedSize(measureValue(value, sizes, depth));
  } catch (error) {
    throw annotate(error, keySegment(key));
  }
  return delimitedSize(entry);
}

/** Content bytes of the Struct for `object`; `depth` is its nesting level, from 1. */
export function measureStruct(object: object, sizes: Sizes, depth: number): number {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  const slot = sizes.reserve();
  const record = object as Record<string, unknown>;
  if (!isPlain(record)) return measureKeyed(record, slot, sizes, depth);
  let total = 0;
  // for-in over a plain object visits exactly Object.keys, and reads record[key] from the engine's
  // enumeration cache instead of looking the key up.
  for (const key in record) total += measureEntry(key, record[key], sizes, depth);
  sizes.values[slot] = total;
  return total;
}

function measureList(list: readonly unknown[], sizes: Sizes, depth: number): number {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  const slot = sizes.reserve();
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    try {
      total += delimitedSize(measureValue(list[i], sizes, depth));
    } catch (error) {
      throw annotate(error, indexSegment(i));
    }
  }
  sizes.values[slot] = total;
  return total;
}

/** Content bytes of the Value for `value`, held by a Struct or ListValue at level `depth`. */
function measureValue(value: unknown, sizes: Sizes, depth: number): number {
  switch (typeof value) {
    case 'string':
      return delimitedSize(sizes.push(utf8Length(value)));
    case 'number':
      return 9;
    case 'boolean':
      return 2;
    case 'undefined':
      return 0;
    case 'object':
      if (value === null) return 2;
      if (Array.isArray(value)) return delimitedSize(measureList(value, sizes, depth + 1));
      return delimitedSize(measureStruct(value, sizes, depth + 1));
    default:
      throw unsupported(value);
  }
}

/** Writes the content of the Struct measured for `object` (its length prefix is the caller's). */
export function writeStruct(w: WireWriter, object: object, sizes: Sizes): void {
  sizes.take();
  const record = object as Record<string, unknown>;
  if (!isPlain(record)) {
    for (const key of Object.keys(record)) writeEntry(w, key, record[key], sizes);
    return;
  }
  for (const key in record) writeEntry(w, key, record[key], sizes);
}

function writeEntry(w: WireWriter, key: string, value: unknown, sizes: Sizes): void {
  if (value === undefined) return;
  let keyBytes = 0;
  let keyPart = 0;
  if (key !== '') {
    keyBytes = sizes.take();
    keyPart = delimitedSize(keyBytes);
  }
  // The value's size is known only after reading the sizes it recorded: peek, then write.
  const valueBytes = peekValueSize(value, sizes);
  w.byte(10); // Struct.fields entry
  w.varint(keyPart + delimitedSize(valueBytes));
  if (key !== '') {
    w.byte(10);
    w.varint(keyBytes);
    w.utf8(key, keyBytes);
  }
  w.byte(18); // FieldsEntry.value
  w.varint(valueBytes);
  writeValue(w, value, sizes);
}

function writeList(w: WireWriter, list: readonly unknown[], sizes: Sizes): void {
  sizes.take();
  for (const value of list) {
    w.byte(10);
    w.varint(peekValueSize(value, sizes));
    writeValue(w, value, sizes);
  }
}

/** The Value content size of `value` from the recorded sizes, without consuming them. */
function peekValueSize(value: unknown, sizes: Sizes): number {
  switch (typeof value) {
    case 'string':
      return delimitedSize(sizes.values[sizes.next]!);
    case 'number':
      return 9;
    case 'boolean':
      return 2;
    case 'undefined':
      return 0;
    default:
      return value === null ? 2 : delimitedSize(sizes.values[sizes.next]!);
  }
}

function writeValue(w: WireWriter, value: unknown, sizes: Sizes): void {
  switch (typeof value) {
    case 'string': {
      const bytes = sizes.take();
      w.byte(26);
      w.varint(bytes);
      w.utf8(value, bytes);
      return;
    }
    case 'number':
      w.byte(17);
      w.double(value);
      return;
    case 'boolean':
      w.byte(32);
      w.byte(value ? 1 : 0);
      return;
    case 'undefined':
      return;
    default:
      if (value === null) {
        w.byte(8);
        w.byte(0);
      } else if (Array.isArray(value)) {
        w.byte(50);
        w.varint(sizes.values[sizes.next]!);
        writeList(w, value, sizes);
      } else {
        w.byte(42);
        w.varint(sizes.values[sizes.next]!);
        writeStruct(w, value as object, sizes);
      }
  }
}
