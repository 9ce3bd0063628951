// Reads the protobuf wire format. Every read is bounded by the end of the enclosing message, so a
// length that runs past its parent is an error rather than a read of the neighbour's bytes.
import { internalize } from '../interned.js';
import { CodecError, MAX_VALUE_DEPTH } from './limits.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

/** Strings up to this many bytes go through the cache of short ASCII strings. */
const CACHED_STRING_MAX_BYTES = 64;
const STRING_CACHE_SIZE = 4096;

/**
 * Short ASCII strings repeat in every Kubernetes object (keys like `metadata`, values like `v1`):
 * reading them from a cache, checked byte by byte, saves allocating the same string again.
 */
const stringCache: string[] = new Array<string>(STRING_CACHE_SIZE).fill('');
/**
 * The UTF-8 bytes of each cached string (a slot of CACHED_STRING_MAX_BYTES each) and their length: a
 * hit is checked byte against byte, cheaper than against the string's characters.
 */
const cachedBytes = new Uint8Array(STRING_CACHE_SIZE * CACHED_STRING_MAX_BYTES);
const cachedView = new DataView(cachedBytes.buffer);
const cachedLengths = new Uint8Array(STRING_CACHE_SIZE);

// Like the SDK (and TextDecoder's WHATWG default), invalid UTF-8 becomes U+FFFD instead of an error;
// a leading U+FEFF is text, not a byte order mark.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The {@link WireReader.stringRank} of strings too long for the cache: after every other. Ranks run
 * from -1 (the empty string) to this.
 */
export const UNRANKED = STRING_CACHE_SIZE;

export class WireReader {
  pos = 0;
  /**
   * A number for the last string read that depends only on its bytes (its slot in the string cache),
   * so that Struct keys can be put in an order that does not depend on the order they came in; see
   * struct-shapes.ts. {@link UNRANKED} for strings longer than the cache takes.
   */
  stringRank = 0;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    /** The message being decoded, for error messages. */
    readonly messageType: string,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  error(problem: string): CodecError {
    return new CodecError('decode', this.messageType, problem);
  }

  truncated(): CodecError {
    return this.error('message is truncated or a length is corrupt');
  }

  /** An unsigned varint, keeping the low 32 bits of up to 10 bytes as protobuf's uint32 does. */
  varint32(end: number): number {
    const buf = this.buf;
    let result = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw this.truncated();
      const byte = buf[this.pos++]!;
      if (i < 4) result |= (byte & 0x7f) << (7 * i);
      else if (i === 4) result |= (byte & 0x0f) << 28;
      if (byte < 0x80) return result >>> 0;
    }
    throw this.error('varint longer than 10 bytes');
  }

  /**
   * A varint read only for whether it is zero, as a bool field is. Protobuf reads a varint as a
   * 64-bit integer and a bool as that integer's being non-zero: of a tenth byte only the lowest bit
   * is in those 64 bits (9 × 7 = 63), so the bits above it count for nothing, as in the SDK and in
   * protobuf's C++ parser.
   */
  varintIsNonZero(end: number): boolean {
    let nonZero = false;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw this.truncated();
      const byte = this.buf[this.pos++]!;
      if ((byte & (i < 9 ? 0x7f : 0x01)) !== 0) nonZero = true;
      if (byte < 0x80) return nonZero;
    }
    throw this.error('varint longer than 10 bytes');
  }

  /** A field tag. Field number 0 and a stray end-group tag are corrupt input. */
  tag(end: number): number {
    const buf = this.buf;
    const first = buf[this.pos];
    // One-byte tags (fields 1 to 15) are all a RunFunctionRequest uses.
    const tag =
      first !== undefined && first < 0x80 && this.pos < end ? (this.pos++, first) : this.varint32(end);
    if (tag >>> 3 === 0) throw this.error(`invalid field number 0 at byte ${this.pos - 1}`);
    if ((tag & 7) === WIRE_END_GROUP) throw this.error(`unexpected end-group tag at byte ${this.pos - 1}`);
    return tag;
  }

  /** Reads a length prefix and returns where the length-delimited field ends. */
  delimitedEnd(end: number): number {
    const length = this.varint32(end);
    const fieldEnd = this.pos + length;
    if (fieldEnd > end) throw this.truncated();
    return fieldEnd;
  }

  double(end: number): number {
    if (this.pos + 8 > end) throw this.truncated();
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** A length-delimited bytes field, as a view of the input (the SDK returns the same view). */
  bytes(end: number): Uint8Array {
    const fieldEnd = this.delimitedEnd(end);
    const start = this.pos;
    this.pos = fieldEnd;
    return this.buf.subarray(start, fieldEnd);
  }

  string(end: number): string {
    const fieldEnd = this.delimitedEnd(end);
    const start = this.pos;
    this.pos = fieldEnd;
    const length = fieldEnd - start;
    if (length === 0) {
      this.stringRank = -1;
      return '';
    }
    if (length > CACHED_STRING_MAX_BYTES) {
      this.stringRank = UNRANKED;
      return utf8.decode(this.buf.subarray(start, fieldEnd));
    }
    const buf = this.buf;
    // The slot comes from the length and the first and last eight bytes (four-byte words where the
    // string has them); the comparison below checks every byte, so a collision costs a miss, never a
    // wrong string.
    const view = this.view;
    let hash = length;
    if (length >= 8) {
      hash = Math.imul(hash ^ view.getInt32(start), 0x85ebca6b);
      hash = Math.imul(hash ^ view.getInt32(start + 4), 0x85ebca6b);
      hash = Math.imul(hash ^ view.getInt32(fieldEnd - 8), 0x85ebca6b);
      hash = Math.imul(hash ^ view.getInt32(fieldEnd - 4), 0x85ebca6b);
    } else {
      for (let i = start; i < fieldEnd; i++) hash = Math.imul(hash ^ buf[i]!, 0x85ebca6b);
    }
    const slot = (hash ^ (hash >>> 15)) & (STRING_CACHE_SIZE - 1);
    this.stringRank = slot;
    const base = slot * CACHED_STRING_MAX_BYTES;
    if (cachedLengths[slot] === length) {
      let i = 0;
      while (i + 4 <= length && view.getInt32(start + i) === cachedView.getInt32(base + i)) i += 4;
      while (i < length && cachedBytes[base + i] === buf[start + i]) i++;
      if (i === length) return stringCache[slot]!;
    }
    for (let i = start; i < fieldEnd; i++) {
      if (buf[i]! > 0x7f) {
        // Unranked: different invalid bytes decode to the same U+FFFD text, and two such keys of one
        // Struct must then resolve in wire order (the last wins, as in the SDK), not by byte hash.
        this.stringRank = UNRANKED;
        return utf8.decode(buf.subarray(start, fieldEnd));
      }
    }
    const bytes = buf.subarray(start, fieldEnd);
    const text = internalize(String.fromCharCode.apply(null, bytes as unknown as number[]));
    stringCache[slot] = text;
    cachedBytes.set(bytes, base);
    cachedLengths[slot] = length;
    return text;
  }

  /** Skips a field the caller does not read: unknown fields and known fields with another wire type. */
  skip(tag: number, end: number, groupDepth = 0): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint32(end);
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > end) throw this.truncated();
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED:
        this.pos = this.delimitedEnd(end);
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > end) throw this.truncated();
        this.pos += 4;
        return;
      case WIRE_START_GROUP:
        this.skipGroup(tag >>> 3, end, groupDepth + 1);
        return;
      default:
        throw this.error(`invalid wire type ${tag & 7} at byte ${this.pos - 1}`);
    }
  }

  private skipGroup(fieldNumber: number, end: number, groupDepth: number): void {
    if (groupDepth > MAX_VALUE_DEPTH) throw this.error(`groups nested deeper than ${MAX_VALUE_DEPTH} levels`);
    for (;;) {
      const tag = this.varint32(end);
      if ((tag & 7) === WIRE_END_GROUP) {
        if (tag >>> 3 !== fieldNumber) throw this.error(`end-group tag does not match field ${fieldNumber}`);
        return;
      }
      if (tag >>> 3 === 0) throw this.error(`invalid field number 0 at byte ${this.pos - 1}`);
      this.skip(tag, end, groupDepth);
    }
  }
}
