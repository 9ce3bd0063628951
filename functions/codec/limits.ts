// Limits and errors of the RunFunction codec.

/**
 * The deepest nesting of google.protobuf.Struct and ListValue the codec accepts (an object in an object
 * counts one level). Kubernetes objects rarely go past 20; the limit keeps a hostile or cyclic value
 * from exhausting the stack. It is deliberately higher than what the SDK's decoder allows (about 32
 * object levels, from its limit of 100 nested protobuf messages): deep CRD schemas stay readable.
 */
export const MAX_VALUE_DEPTH = 100;

/**
 * The largest RunFunctionRequest the codec decodes: grpc-js's default receive limit (4 MiB), which the
 * server also sets explicitly, so a caller sees the same limit whichever layer meets the message first.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * A message the codec cannot decode or encode. `path` names where, outermost first, e.g.
 * `observed.resources["storageclass-gold"].resource.spec.parameters`.
 */
export class CodecError extends Error {
  /** Path segments collected while the error travels outwards; see {@link describePath}. */
  readonly segments: string[] = [];

  constructor(
    readonly operation: 'decode' | 'encode',
    readonly messageType: string,
    readonly problem: string,
  ) {
    super(`cannot ${operation} ${messageType}: ${problem}`);
    this.name = 'CodecError';
  }

  /** Prepends a path segment and rewrites the message so it names the place. */
  within(segment: string): this {
    this.segments.unshift(segment);
    this.message = `cannot ${this.operation} ${this.messageType}: ${this.problem} at ${describePath(this.segments)}`;
    return this;
  }
}

/** A message larger than the codec's limit; the server answers RESOURCE_EXHAUSTED. */
export class MessageTooLargeError extends CodecError {
  constructor(messageType: string, bytes: number, limit: number) {
    super('decode', messageType, `message of ${bytes} bytes exceeds the limit of ${limit} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/** A message field or a Struct key that reads as a name: `spec`, `storage-class`. */
export const fieldSegment = (name: string): string => name;
/** A Struct key: plain when it reads as a name, quoted in brackets otherwise (`["a.b/c"]`). */
export const keySegment = (key: string): string =>
  /^[A-Za-z_$][\w$-]*$/.test(key) ? key : mapKeySegment(key);
/** A protobuf map key, always quoted: `resources["storageclass-gold"]`. */
export const mapKeySegment = (key: string): string => `[${JSON.stringify(key)}]`;
/** A list index: `[3]`. */
export const indexSegment = (index: number): string => `[${index}]`;

/** Joins segments as `a.b["c"][0].d`. */
export function describePath(segments: readonly string[]): string {
  let out = '';
  for (const segment of segments) out += segment.startsWith('[') || out === '' ? segment : `.${segment}`;
  return out;
}

/** Adds a path segment to a CodecError; anything else passes through untouched. */
export function annotate(error: unknown, segment: string): unknown {
  return error instanceof CodecError ? error.within(segment) : error;
}
