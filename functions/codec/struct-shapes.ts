// Builds the plain objects of decoded Structs.
//
// Crossplane is written in Go, whose protobuf encoder writes a map's entries, and so a Struct's keys,
// in a random order every time. Set in the order they came, the same keys made V8 create a new hidden
// class for every order it had not seen (a StorageClass's fifteen parameters have more orders than a
// process will ever meet), and its megamorphic keyed store looked up transitions that were never
// there: a tenth of function-stackplane's CPU under load, a cost a benchmark replaying one encoding
// never shows. So a Struct's keys are put in an order of their own first, which depends only on the
// keys (their slot in the string cache, see WireReader.stringRank); JSON objects have no order, and
// the SDK's decoded objects are deep-equal to ours whatever order either has.
//
// In that order, Kubernetes objects repeat a few key sequences (every StorageClass, every metadata
// block), and a sequence seen often is built by a function compiled for it: its object literal is
// allocated with its final hidden class and filled in place. Everything else is set key by key.

import { sortByRank } from './key-order.js';

/** Only sequences of at most this many keys get a builder; wider objects are rarely repeated. */
const MAX_SHAPE_KEYS = 32;
/** A sequence gets a builder once this many objects had it. */
const COMPILE_AFTER = 4;
/** Keys longer than this get no node: such keys are data (annotations, ConfigMap keys), not shape. */
const MAX_SHAPE_KEY_LENGTH = 64;
/**
 * Bounds on what the shapes keep, whatever the requests carry: nodes (one per key of a sequence
 * prefix) and compiled builders. Past them, new sequences are set key by key.
 */
const MAX_NODES = 8192;
const MAX_BUILDERS = 1024;

type Builder = (values: readonly unknown[], base: number) => Record<string, unknown>;

/** A key sequence seen so far: the node reached by its keys from the root. */
class Shape {
  /** The successor by one key: nearly every sequence continues only one way. */
  nextKey: string | undefined = undefined;
  next: Shape | undefined = undefined;
  /** The other successors. */
  others: Map<string, Shape> | undefined = undefined;
  seen = 0;
  build: Builder | undefined = undefined;
  /** No builder, ever: a key repeats, or one is `__proto__`, which a literal would read as the prototype. */
  unbuildable = false;
}

const root = new Shape();
let nodes = 1;
let builders = 0;

/** The Structs' entries being decoded, innermost Struct's last; a Struct's start is its `base`. */
const keys: string[] = [];
const values: unknown[] = [];
const ranks: number[] = [];
let top = 0;

/** Where the next Struct's entries start. */
export function entriesBase(): number {
  return top;
}

/** An entry of the Struct being decoded; `rank` orders its key (WireReader.stringRank). */
export function pushEntry(key: string, value: unknown, rank: number): void {
  keys[top] = key;
  ranks[top] = rank;
  values[top++] = value;
}

/** Forgets the entries from `base` on, built or abandoned to an error: nothing decoded stays reachable. */
export function discardEntries(base: number): void {
  // A loop: most Structs have a handful of entries, fewer than a call to fill() is worth.
  for (let i = base; i < top; i++) values[i] = undefined;
  top = base;
}

/** The object of the entries from `base` on, which are then forgotten. */
export function buildObject(base: number): Record<string, unknown> {
  const end = top;
  sortByRank(keys, values, ranks, base, end);
  const shape = shapeOf(base, end);
  let object: Record<string, unknown>;
  if (shape?.build) object = shape.build(values, base);
  else {
    object = {};
    for (let i = base; i < end; i++) setOwn(object, keys[i]!, values[i]);
    if (shape && ++shape.seen >= COMPILE_AFTER && !shape.unbuildable) compile(shape, base, end);
  }
  discardEntries(base);
  return object;
}

/**
 * Sets `key` as an own property, also when it is `__proto__`: assignment would replace the object's
 * prototype instead, and the key would be lost (as it is in the SDK's decoder).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The node of the keys from `base` to `end`, added if there is room; undefined when out of bounds. */
function shapeOf(base: number, end: number): Shape | undefined {
  if (end - base > MAX_SHAPE_KEYS) return undefined;
  let shape = root;
  for (let i = base; i < end; i++) {
    const key = keys[i]!;
    let next = shape.nextKey === key ? shape.next : shape.others?.get(key);
    if (next === undefined) {
      if (nodes >= MAX_NODES || key.length > MAX_SHAPE_KEY_LENGTH) return undefined;
      next = new Shape();
      nodes++;
      if (shape.next === undefined) {
        shape.nextKey = key;
        shape.next = next;
      } else (shape.others ??= new Map()).set(key, next);
    }
    shape = next;
  }
  return shape;
}

function compile(shape: Shape, base: number, end: number): void {
  const sequence = keys.slice(base, end);
  if (new Set(sequence).size !== sequence.length || sequence.includes('__proto__')) {
    shape.unbuildable = true;
    return;
  }
  if (builders >= MAX_BUILDERS) return;
  builders++;
  // JSON.stringify makes every key a valid string literal, whatever it holds: the keys are data.
  const properties = sequence.map((key, i) => `${JSON.stringify(key)}: v[b + ${i}]`).join(', ');
  shape.build = new Function('v', 'b', `return { ${properties} };`) as Builder;
}
