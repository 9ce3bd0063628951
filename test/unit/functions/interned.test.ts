import { describe, expect, it } from 'vitest';
import { internalize, internedNames } from '../../../functions/interned.js';

describe('internalize', () => {
  it('returns the same text, also for keys objects treat specially', () => {
    for (const text of ['storageclass-gold', '', '0', '42', '__proto__', 'constructor', 'ключ 😀'])
      expect(internalize(`${text}`)).toBe(text);
  });
});

describe('internedNames', () => {
  it('derives each name once and returns what it derived', () => {
    const calls: string[] = [];
    const names = internedNames((name) => {
      calls.push(name);
      return `storageclass-${name}`;
    });
    expect(names('gold')).toBe('storageclass-gold');
    expect(names('gold')).toBe('storageclass-gold');
    expect(names('silver')).toBe('storageclass-silver');
    expect(calls).toEqual(['gold', 'silver']);
  });

  it('stays bounded: past its limit it starts over instead of growing', () => {
    const calls: string[] = [];
    const names = internedNames((name) => {
      calls.push(name);
      return name.toUpperCase();
    });
    for (let i = 0; i < 5000; i++) names(`n${i}`);
    expect(names('n4999')).toBe('N4999');
    // n0 was forgotten when the memo started over at 4,096 names, so it is derived again.
    expect(names('n0')).toBe('N0');
    expect(calls.filter((name) => name === 'n0')).toHaveLength(2);
  });
});
