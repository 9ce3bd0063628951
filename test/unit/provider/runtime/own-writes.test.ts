import { describe, expect, it } from 'vitest';
import { OwnWrites } from '../../../../provider/src/runtime/own-writes.js';

describe('OwnWrites', () => {
  it('answers each recorded write once, and forgets older ones a later event passes', () => {
    const writes = new OwnWrites();
    writes.record('ns/a', '10');
    writes.record('ns/a', '11');
    writes.record('ns/a', '12');
    expect([
      writes.consume('ns/a', '9'), // someone else's
      writes.consume('ns/a', '11'), // a relist skipped 10
      writes.consume('ns/a', '10'), // passed by 11
      writes.consume('ns/a', '12'),
      writes.consume('ns/a', '12'),
      writes.size,
    ]).toEqual([false, true, false, true, false, 0]);
  });

  it('keeps at most perObject unanswered writes of an object, and none once it is forgotten', () => {
    const writes = new OwnWrites(2);
    for (const version of ['1', '2', '3']) writes.record('ns/a', version);
    writes.record('ns/b', '4');
    writes.record('ns/b', undefined);
    expect(writes.consume('ns/a', '1')).toBe(false);
    writes.forget('ns/b');
    expect([writes.consume('ns/b', '4'), writes.consume('ns/a', '3'), writes.size]).toEqual([false, true, 0]);
  });
});
