// Writes the protobuf wire format in one pass into a scratch buffer that grows as needed. A
// length-delimited field reserves one byte for its length and moves its content when the length
// turns out to need more (content of 128 bytes or more), so nothing is measured beforehand.

/** Bytes of `value` as an unsigned varint. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** Strings from this many characters are copied by Buffer, cheaper than a loop once they are long. */
const NATIVE_STRING_CHARS = 40;

/** The scratch buffer's first size: a response of a hundred StorageClasses fits. */
const INITIAL_BYTES = 256 * 1024;
/** A scratch buffer grown past this is let go after the message, not kept for the next one. */
const KEPT_BYTES = 4 * 1024 * 1024;

/** The scratch buffer the next writer takes; undefined while a writer has it or a message lent it. */
let scratch: Buffer | undefined = Buffer.allocUnsafeSlow(INITIAL_BYTES);
/** The scratch buffer behind the message last lent, until it is handed back. */
let lent: Buffer | undefined;

/**
 * Hands back the scratch buffer behind `message`, a message from {@link WireWriter.lend} the holder
 * is done with: the next writer writes over it. Any other buffer is left alone.
 */
export function returnLent(message: Uint8Array): void {
  if (lent === undefined || message.buffer !== lent.buffer) return;
  scratch = lent;
  lent = undefined;
}

/**
 * A writer over the scratch buffer, which it takes: encoding is synchronous, so one writer at a time
 * has it, and a writer that fails drops it for a new one. Every write of a few bytes needs room made
 * first with {@link WireWriter.ensure}; string and bytes fields make their own.
 */
export class WireWriter {
  pos = 0;
  buf: Buffer;

  constructor() {
    this.buf = scratch ?? Buffer.allocUnsafeSlow(INITIAL_BYTES);
    scratch = undefined;
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.grow(bytes);
  }

  private grow(bytes: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = Buffer.allocUnsafeSlow(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** The message written, in a buffer of its own; the scratch buffer goes to the next writer. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.keep();
    return out;
  }

  /**
   * The message written, in the scratch buffer itself: no copy, and no new buffer for the GC to
   * account for. Until the holder hands it back with {@link returnLent}, writers use another buffer;
   * if it never does, the buffer is simply collected.
   */
  lend(): Buffer {
    const message = this.buf.subarray(0, this.pos);
    lent = this.buf.length <= KEPT_BYTES ? this.buf : undefined;
    return message;
  }

  private keep(): void {
    if (this.buf.length <= KEPT_BYTES) scratch = this.buf;
  }

  byte(value: number): void {
    this.buf[this.pos++] = value;
  }

  varint(value: number): void {
    const buf = this.buf;
    while (value > 0x7f) {
      buf[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[this.pos++] = value;
  }

  /** An int32 field's varint: negative values take ten bytes, sign-extended to 64 bits. */
  int32(value: number): void {
    if (value >= 0) {
      this.varint(value);
      return;
    }
    // Two's complement over 64 bits: the low 32 bits, then ones.
    let low = value >>> 0;
    for (let i = 0; i < 4; i++) {
      this.buf[this.pos++] = (low & 0x7f) | 0x80;
      low >>>= 7;
    }
    this.buf[this.pos++] = (low & 0x0f) | 0x70 | 0x80;
    for (let i = 0; i < 4; i++) this.buf[this.pos++] = 0xff;
    this.buf[this.pos++] = 0x01;
  }

  double(value: number): void {
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * A length-delimited field's tag, then room for its length: returns where the content starts, to
   * hand to {@link endDelimited} once the content is written.
   */
  beginDelimited(tag: number): number {
    this.ensure(2);
    this.buf[this.pos++] = tag;
    return ++this.pos;
  }

  /** Writes the length of the content started at `start`, moving the content if it needs more than a byte. */
  endDelimited(start: number): void {
    const length = this.pos - start;
    if (length < 0x80) {
      this.buf[start - 1] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buf.copyWithin(start + extra, start, this.pos);
    const end = this.pos + extra;
    this.pos = start - 1;
    this.varint(length);
    this.pos = end;
  }

  /**
   * A string field: tag, length and UTF-8 bytes. Short ASCII strings, nearly every key and value of a
   * Kubernetes object, are copied and checked in one loop; others go through Buffer, where a lone
   * surrogate becomes U+FFFD (three bytes), as in the SDK.
   */
  string(tag: number, text: string): void {
    const length = text.length;
    this.ensure(11 + 3 * length);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = tag;
    if (length >= NATIVE_STRING_CHARS && length < 0x80) {
      // One call into Buffer: as many bytes as characters means every character was ASCII, and then
      // the one-byte length reserved before them is right.
      const written = buf.write(text, pos + 1, 'utf8');
      if (written === length) {
        buf[pos] = length;
        this.pos = pos + 1 + length;
        return;
      }
    } else if (length < 0x80) {
      const lengthAt = pos++;
      let i = 0;
      for (; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0x7f) break;
        buf[pos++] = code;
      }
      if (i === length) {
        buf[lengthAt] = length;
        this.pos = pos;
        return;
      }
      pos = lengthAt;
    }
    this.pos = pos;
    const bytes = Buffer.byteLength(text, 'utf8');
    this.varint(bytes);
    this.pos += buf.write(text, this.pos, bytes, 'utf8');
  }

  /** A bytes field: tag, length, the bytes. */
  bytes(tag: number, bytes: Uint8Array): void {
    this.ensure(6 + bytes.length);
    this.buf[this.pos++] = tag;
    this.varint(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}
