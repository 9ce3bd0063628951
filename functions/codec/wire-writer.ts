// Writes the protobuf wire format into a buffer sized beforehand, so every byte is written once.

/** Bytes of `value` as an unsigned varint. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** Bytes of an int32 field's varint: negative values take ten, sign-extended to 64 bits. */
export function int32Size(value: number): number {
  return value < 0 ? 10 : varintSize(value);
}

/**
 * UTF-8 bytes of `text`. Short ASCII strings, nearly every key and value of a Kubernetes object, are
 * counted here, cheaper than a call into Buffer.byteLength; lone surrogates count three bytes there,
 * as U+FFFD replaces them when written.
 */
export function utf8Length(text: string): number {
  const length = text.length;
  if (length > 64) return Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text, 'utf8');
  }
  return length;
}

/** Bytes of a length-delimited field with a one-byte tag: tag, length, content. */
export function delimitedSize(contentBytes: number): number {
  return 1 + varintSize(contentBytes) + contentBytes;
}

export class WireWriter {
  pos = 0;
  readonly buf: Buffer;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
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

  /** A string of `byteLength` UTF-8 bytes (measured while sizing), without its length prefix. */
  utf8(text: string, byteLength: number): void {
    const buf = this.buf;
    if (byteLength === text.length && byteLength <= 64) {
      // ASCII: as many bytes as characters.
      let pos = this.pos;
      for (let i = 0; i < byteLength; i++) buf[pos++] = text.charCodeAt(i);
      this.pos = pos;
      return;
    }
    this.pos += buf.write(text, this.pos, byteLength, 'utf8');
  }

  raw(bytes: Uint8Array): void {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}
