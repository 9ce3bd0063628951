import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  MAX_REVISIONS,
  MAX_SPEC_BYTES,
  parseSpec,
  rememberedSpecBytes,
  specBytes,
} from '../../../functions/spec-revisions.js';

/** A schema that counts its parses. */
function countingSchema() {
  const schema = z.object({ size: z.number().int().min(1), tags: z.array(z.string()).default([]) });
  let parses = 0;
  const safeParse = schema.safeParse.bind(schema);
  schema.safeParse = ((input: unknown) => {
    parses++;
    return safeParse(input);
  }) as typeof schema.safeParse;
  return { schema, parses: () => parses };
}

const composite = (spec: unknown, metadata: Record<string, unknown>) => ({
  apiVersion: 'example.stackplane.io/v1alpha1',
  kind: 'Example',
  metadata: { name: 'x', ...metadata },
  spec,
});

describe('parseSpec', () => {
  it('parses a revision once and hands out the same frozen data after', () => {
    const { schema, parses } = countingSchema();
    const xr = composite({ size: 2 }, { uid: 'u-1', resourceVersion: '41' });
    const first = parseSpec(schema, xr);
    const second = parseSpec(schema, structuredClone(xr));
    expect(first).toEqual({ success: true, data: { size: 2, tags: [] } });
    expect(second.data).toBe(first.data);
    expect(parses()).toBe(1);
    expect(Object.isFrozen(first.data)).toBe(true);
    expect(Object.isFrozen(first.data?.tags)).toBe(true);
  });

  it('parses every new resourceVersion and every other uid', () => {
    const { schema, parses } = countingSchema();
    expect(parseSpec(schema, composite({ size: 2 }, { uid: 'u-1', resourceVersion: '41' })).data?.size).toBe(
      2,
    );
    expect(parseSpec(schema, composite({ size: 3 }, { uid: 'u-1', resourceVersion: '42' })).data?.size).toBe(
      3,
    );
    expect(parseSpec(schema, composite({ size: 4 }, { uid: 'u-2', resourceVersion: '42' })).data?.size).toBe(
      4,
    );
    expect(parses()).toBe(3);
  });

  it('parses every time a composite without uid or resourceVersion, and leaves its data alone', () => {
    const { schema, parses } = countingSchema();
    for (const metadata of [
      {},
      { uid: 'u-1' },
      { resourceVersion: '41' },
      { uid: '', resourceVersion: '41' },
    ]) {
      const result = parseSpec(schema, composite({ size: 2 }, metadata));
      expect(result.success).toBe(true);
      expect(Object.isFrozen(result.data)).toBe(false);
    }
    expect(parses()).toBe(4);
  });

  it('remembers no failure: an invalid spec is reported, and reported again', () => {
    const { schema, parses } = countingSchema();
    const xr = composite({ size: 0 }, { uid: 'u-1', resourceVersion: '41' });
    expect(parseSpec(schema, xr).success).toBe(false);
    expect(parseSpec(schema, xr).success).toBe(false);
    expect(parses()).toBe(2);
  });

  it('keeps a bounded number of revisions, forgetting the oldest first', () => {
    const { schema, parses } = countingSchema();
    for (let i = 0; i <= MAX_REVISIONS; i++)
      parseSpec(schema, composite({ size: 1 }, { uid: `u-${i}`, resourceVersion: '1' }));
    expect(parses()).toBe(MAX_REVISIONS + 1);
    parseSpec(schema, composite({ size: 1 }, { uid: `u-${MAX_REVISIONS}`, resourceVersion: '1' }));
    expect(parses()).toBe(MAX_REVISIONS + 1);
    parseSpec(schema, composite({ size: 1 }, { uid: 'u-0', resourceVersion: '1' }));
    expect(parses()).toBe(MAX_REVISIONS + 2);
  });

  it('keeps revisions of large specs up to a total size, forgetting the oldest first', () => {
    const schema = z.object({ customServiceConfig: z.string() });
    const config = 'x'.repeat(1024 * 1024);
    // 600 revisions of a 1 MiB config took the heap to 1 GiB when only their count was bounded.
    for (let i = 0; i < 600; i++) {
      const xr = composite({ customServiceConfig: config }, { uid: 'u-big', resourceVersion: `${i}` });
      expect(parseSpec(schema, xr).success).toBe(true);
      expect(rememberedSpecBytes()).toBeLessThanOrEqual(MAX_SPEC_BYTES);
    }
    const { schema: counted, parses } = countingSchema();
    const newest = composite({ size: 1 }, { uid: 'u-small', resourceVersion: '1' });
    parseSpec(counted, newest);
    parseSpec(counted, newest);
    expect(parses()).toBe(1);
  });

  it('does not keep a spec larger than the whole budget', () => {
    const schema = z.object({ customServiceConfig: z.string() });
    const before = rememberedSpecBytes();
    const xr = composite(
      { customServiceConfig: 'x'.repeat(MAX_SPEC_BYTES) },
      { uid: 'u-huge', resourceVersion: '1' },
    );
    expect(parseSpec(schema, xr).success).toBe(true);
    expect(rememberedSpecBytes()).toBe(before);
  });
});

describe('specBytes', () => {
  it.each([
    { value: 'abc', want: 6 },
    { value: 1.5, want: 9 },
    { value: null, want: 9 },
    { value: [true, 'a'], want: 3 + 9 + 4 },
    { value: { ab: { c: 'de' } }, want: 3 + (2 + 4) + 3 + (1 + 4) + 5 },
  ])('counts $value as $want bytes', ({ value, want }) => {
    expect(specBytes(value)).toBe(want);
  });
});

describe('parseSpec under a reused revision', () => {
  it('parses a spec that differs from the one parsed for the same uid and resourceVersion', () => {
    const { schema, parses } = countingSchema();
    const metadata = { uid: 'u-1', resourceVersion: '41' };
    expect(parseSpec(schema, composite({ size: 2 }, metadata)).data?.size).toBe(2);
    expect(parseSpec(schema, composite({ size: 3 }, metadata)).data?.size).toBe(3);
    expect(parseSpec(schema, composite({ size: 3, tags: ['a'] }, metadata)).data?.tags).toEqual(['a']);
    expect(parseSpec(schema, composite({ size: 3, tags: ['a'] }, metadata)).data?.tags).toEqual(['a']);
    expect(parses()).toBe(3);
  });

  it('compares with the spec as it was parsed, not as its request changed it later', () => {
    const { schema, parses } = countingSchema();
    const metadata = { uid: 'u-1', resourceVersion: '41' };
    const first = composite({ size: 2 }, metadata);
    parseSpec(schema, first);
    (first.spec as { size: number }).size = 5;
    expect(parseSpec(schema, composite({ size: 5 }, metadata)).data?.size).toBe(5);
    expect(parses()).toBe(2);
  });
});
