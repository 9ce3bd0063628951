// Puts a decoded Struct's entries in the order of their keys' ranks (WireReader.stringRank), the order
// struct-shapes.ts builds objects in. The sort is stable: a key that repeats keeps its entries' order,
// so the last value wins as it does in the SDK.
//
// Most Structs are small and arrive nearly sorted, where an insertion sort costs one comparison per
// key. Its worst case is quadratic, though, and a request is one synchronous decode: a Struct of
// 100,000 keys held the event loop for 19.5 s. Past a handful of keys the entries are counted into
// one bucket per rank instead, linear in the keys (ranks are small integers, see UNRANKED).
import { UNRANKED } from './wire-reader.js';

/** Structs of up to this many entries are insertion-sorted: at most 2,016 moves, usually none. */
export const INSERTION_SORT_MAX_ENTRIES = 64;

/** One bucket per rank, -1 to UNRANKED, plus one: `starts[rank + 1]` is where the rank's entries go. */
const starts = new Uint32Array(UNRANKED + 3);

let moved = 0;

/**
 * Entries moved by the sorts since the process started (shifted by the insertion sort, placed by the
 * counting sort): a count tests read to bound the work of a decode without timing it.
 */
export function entriesMoved(): number {
  return moved;
}

/** Sorts the entries from `base` to `end` of the three parallel arrays by rank, stably. */
export function sortByRank(
  keys: string[],
  values: unknown[],
  ranks: number[],
  base: number,
  end: number,
): void {
  if (end - base <= INSERTION_SORT_MAX_ENTRIES) insertionSort(keys, values, ranks, base, end);
  else countingSort(keys, values, ranks, base, end);
}

function insertionSort(keys: string[], values: unknown[], ranks: number[], base: number, end: number): void {
  for (let i = base + 1; i < end; i++) {
    const rank = ranks[i]!;
    if (rank >= ranks[i - 1]!) continue;
    const key = keys[i]!;
    const value = values[i];
    let j = i - 1;
    while (j >= base && ranks[j]! > rank) {
      ranks[j + 1] = ranks[j]!;
      keys[j + 1] = keys[j]!;
      values[j + 1] = values[j];
      j--;
    }
    ranks[j + 1] = rank;
    keys[j + 1] = key;
    values[j + 1] = value;
    moved += i - 1 - j;
  }
}

function countingSort(keys: string[], values: unknown[], ranks: number[], base: number, end: number): void {
  const fromKeys = keys.slice(base, end);
  const fromValues = values.slice(base, end);
  const fromRanks = ranks.slice(base, end);
  starts.fill(0);
  for (const rank of fromRanks) starts[rank + 2]!++;
  for (let bucket = 1; bucket < starts.length; bucket++) starts[bucket]! += starts[bucket - 1]!;
  for (let i = 0; i < fromRanks.length; i++) {
    const rank = fromRanks[i]!;
    const at = base + starts[rank + 1]!++;
    ranks[at] = rank;
    keys[at] = fromKeys[i]!;
    values[at] = fromValues[i];
  }
  moved += fromRanks.length;
}
