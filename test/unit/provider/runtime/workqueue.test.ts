import { describe, expect, it } from 'vitest';
import {
  ExponentialBackoff,
  KeyedRateLimiter,
  TokenBucket,
  WorkQueue,
} from '../../../../provider/src/runtime/workqueue.js';
import { FakeClock } from '../../../support/fake-clock.js';

describe('ExponentialBackoff', () => {
  it('doubles per failure up to the maximum, per key, until forgotten', () => {
    const backoff = new ExponentialBackoff(100, 1_000);
    const a = Array.from({ length: 6 }, () => backoff.when('a'));
    const b = backoff.when('b');
    backoff.forget('a');
    expect({ a, b, afterForget: backoff.when('a'), retries: backoff.retries('b') }).toEqual({
      a: [100, 200, 400, 800, 1_000, 1_000],
      b: 100,
      afterForget: 100,
      retries: 1,
    });
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/rate seconds', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 2, clock);
    const waits = [bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()];
    clock.advance(1_000);
    expect({ waits, afterRefill: bucket.reserve() }).toEqual({ waits: [0, 0, 100, 200], afterRefill: 0 });
  });
  it('reserves unless earlier reservations still wait, and then reserves nothing', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 1, clock);
    // The free token, then the next one (100 ms away): nobody waited before either.
    const first = [bucket.reserveUnlessBacklogged(), bucket.reserveUnlessBacklogged()];
    const backlogged = [bucket.reserveUnlessBacklogged(), bucket.reserveUnlessBacklogged()];
    clock.advance(100);
    expect({ first, backlogged, served: bucket.reserveUnlessBacklogged(), next: bucket.reserve() }).toEqual({
      first: [0, 100],
      backlogged: [undefined, undefined],
      served: 100,
      next: 200,
    });
  });
});

describe('KeyedRateLimiter', () => {
  it('keeps a bucket per key and gives every waiting caller its own slot, so none wake together', () => {
    const clock = new FakeClock();
    const limiter = new KeyedRateLimiter(10, 1, clock);
    const first = [limiter.reserve('a'), limiter.reserve('a'), limiter.reserve('a'), limiter.reserve('b')];
    clock.advance(100);
    expect({ first, later: limiter.reserve('a'), unknown: limiter.reserveUnlessBacklogged('c') }).toEqual({
      first: [0, 100, 200, 0],
      later: 200,
      unknown: 0,
    });
  });
});

describe('WorkQueue', () => {
  const cases: Record<
    string,
    { reason: string; run: (q: WorkQueue, clock: FakeClock) => Promise<unknown>; want: unknown }
  > = {
    dedup: {
      reason: 'a key queued twice is handed out once',
      run: async (q) => {
        q.add('a');
        q.add('a');
        q.add('b');
        return [await q.get(), await q.get(), q.length];
      },
      want: ['a', 'b', 0],
    },
    processing: {
      reason: 'a key added while processing waits for done, so two workers never share it',
      run: async (q) => {
        q.add('a');
        const first = await q.get();
        q.add('a');
        const whileProcessing = q.length;
        q.done('a');
        return [first, whileProcessing, q.length, await q.get()];
      },
      want: ['a', 0, 1, 'a'],
    },
    'earliest delay wins': {
      reason: 'of two delayed adds of one key, the earlier one queues it',
      run: async (q, clock) => {
        q.addAfter('a', 1_000);
        q.addAfter('a', 100);
        clock.advance(100);
        const at100 = q.length;
        await q.get();
        q.done('a');
        clock.advance(1_000);
        return [at100, q.length];
      },
      want: [1, 0],
    },
    'back-off': {
      reason: 'rate-limited adds wait the key’s back-off, which forget resets',
      run: async (q, clock) => {
        const delays = [q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a')];
        clock.advance(99);
        const early = q.length;
        clock.advance(1);
        q.forget('a');
        return [delays, early, q.length, q.addRateLimited('a')];
      },
      want: [[100, 200, 400], 0, 1, 100],
    },
    shutdown: {
      reason: 'shutdown drops delayed keys and releases waiting workers',
      run: async (q, clock) => {
        q.addAfter('a', 100);
        const waiting = q.get();
        q.shutDown();
        clock.advance(1_000);
        q.add('b');
        return [await waiting, await q.get(), clock.pending];
      },
      want: [undefined, undefined, 0],
    },
  };
  it.each(Object.entries(cases))('%s', async (_, { run, want }) => {
    const clock = new FakeClock();
    const q = new WorkQueue({
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      ratePerSecond: 1_000,
      burst: 1_000,
      clock,
    });
    expect(await run(q, clock)).toEqual(want);
  });
});
