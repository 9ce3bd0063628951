import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRunFunctionRequest } from '../../../../functions/codec/request-decode.js';
import {
  entriesMoved,
  INSERTION_SORT_MAX_ENTRIES,
  sortByRank,
} from '../../../../functions/codec/key-order.js';
import { UNRANKED } from '../../../../functions/codec/wire-reader.js';

/** A request of only a context, a Struct of `keys` (none of them an integer) in the order given. */
const contextOf = (keys: readonly string[]): Buffer =>
  Buffer.from(
    RunFunctionRequest.encode(
      RunFunctionRequest.fromPartial({ context: Object.fromEntries(keys.map((key, i) => [key, i])) }),
    ).finish(),
  );

/**
 * An object's entries in one order, as text: vitest's deep equality takes minutes over 100,000 keys.
 */
const entriesOf = (object: object | undefined): string =>
  JSON.stringify(Object.entries(object ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));

const decodedKeys = (wire: Buffer): string[] => Object.keys(decodeRunFunctionRequest(wire).context ?? {});

/** `count` keys in the reverse of the decoder's order: the most work an insertion sort can have. */
function worstOrder(count: number): string[] {
  const keys = Array.from({ length: count }, (_, i) => `key-${i}`);
  return decodedKeys(contextOf(keys)).reverse();
}

/** The entries moved while decoding `wire`, and what it decoded to. */
function decodeCounting(wire: Buffer): { moved: number; context: Record<string, unknown> } {
  const before = entriesMoved();
  const context = decodeRunFunctionRequest(wire).context ?? {};
  return { moved: entriesMoved() - before, context };
}

describe('the order of a decoded Struct’s keys', () => {
  it.each([
    {
      reason: 'a small Struct is insertion-sorted: each key moves past every larger one',
      count: INSERTION_SORT_MAX_ENTRIES,
      maxMoved: (INSERTION_SORT_MAX_ENTRIES * (INSERTION_SORT_MAX_ENTRIES - 1)) / 2,
    },
    {
      reason: 'a larger Struct is counted into buckets: each entry is placed once',
      count: INSERTION_SORT_MAX_ENTRIES + 1,
      maxMoved: INSERTION_SORT_MAX_ENTRIES + 1,
    },
    { reason: '100,000 keys cost 100,000 moves, not five billion', count: 100_000, maxMoved: 100_000 },
  ])('$reason', ({ count, maxMoved }) => {
    const keys = worstOrder(count);
    const wire = contextOf(keys);
    const { moved, context } = decodeCounting(wire);
    expect(moved).toBeLessThanOrEqual(maxMoved);
    expect(moved).toBeGreaterThan(0);
    expect(entriesOf(context)).toBe(entriesOf(RunFunctionRequest.decode(wire).context));
  });

  it('keeps the last value of a repeated key in a Struct large enough to be counted', () => {
    const keys = [...worstOrder(INSERTION_SORT_MAX_ENTRIES * 2), 'key-7'];
    const wire = contextOf(keys);
    const context = decodeRunFunctionRequest(wire).context ?? {};
    expect(context['key-7']).toBe(keys.length - 1);
    expect(context).toStrictEqual(RunFunctionRequest.decode(wire).context);
  });
});

describe('sortByRank', () => {
  it('orders entries by rank as a stable sort does, below and above the insertion sort’s bound', () => {
    // Few distinct ranks make ties, which must keep their order.
    const rank = fc.oneof(fc.integer({ min: -1, max: 3 }), fc.integer({ min: -1, max: UNRANKED }));
    fc.assert(
      fc.property(fc.array(rank, { maxLength: INSERTION_SORT_MAX_ENTRIES * 3 }), fc.nat(5), (ranks, base) => {
        const entries = ranks.map((r, i) => ({ rank: r, key: `k${i}`, value: i }));
        const pad = Array.from({ length: base }, () => ({ rank: UNRANKED, key: 'before', value: -1 }));
        const all = [...pad, ...entries];
        const keys = all.map((e) => e.key);
        const values: unknown[] = all.map((e) => e.value);
        const sortedRanks = all.map((e) => e.rank);
        sortByRank(keys, values, sortedRanks, base, all.length);
        const want = [...pad, ...[...entries].sort((a, b) => a.rank - b.rank)];
        expect({ keys, values, ranks: sortedRanks }).toEqual({
          keys: want.map((e) => e.key),
          values: want.map((e) => e.value),
          ranks: want.map((e) => e.rank),
        });
      }),
      { numRuns: 300 },
    );
  });
});
