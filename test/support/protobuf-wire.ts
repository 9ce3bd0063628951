// Builds protobuf wire bytes by hand, for messages no encoder writes: duplicate and unknown fields,
// several kinds in one Value, invalid UTF-8, wire types a field does not have.

export type Wire = number[];

export function varint(value: number | bigint): Wire {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: Wire = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export const tag = (field: number, wireType: number): Wire => varint((field << 3) | wireType);

/** A length-delimited field: tag, length, content. */
export const delimited = (field: number, content: Wire | Uint8Array): Wire => [
  ...tag(field, 2),
  ...varint(content.length),
  ...content,
];

export const utf8 = (text: string): Wire => [...Buffer.from(text, 'utf8')];
export const stringField = (field: number, text: string): Wire => delimited(field, utf8(text));
export const varintField = (field: number, value: number | bigint): Wire => [
  ...tag(field, 0),
  ...varint(value),
];

export function doubleField(field: number, value: number): Wire {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return [...tag(field, 1), ...bytes];
}

export const bytes = (...parts: Wire[]): Buffer => Buffer.from(parts.flat());

// google.protobuf.Struct / Value / ListValue
export const structEntry = (key: Wire, value?: Wire): Wire =>
  delimited(1, [...delimited(1, key), ...(value ? delimited(2, value) : [])]);
export const valueString = (text: string): Wire => stringField(3, text);
export const valueNumber = (n: number): Wire => doubleField(2, n);
export const valueBool = (b: boolean): Wire => varintField(4, b ? 1 : 0);
export const valueNull = (): Wire => varintField(1, 0);
export const valueStruct = (...entries: Wire[]): Wire => delimited(5, entries.flat());
export const valueList = (...values: Wire[]): Wire =>
  delimited(
    6,
    values.flatMap((v) => delimited(1, v)),
  );
