import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RESELLER_TYPES, renderResellerTypes } from '../../../scripts/reseller-client.js';

describe('npm run generate:reseller-client', () => {
  it('matches the committed reseller API types (run `npm run generate` when this fails)', async () => {
    expect(await readFile(RESELLER_TYPES, 'utf8')).toBe(await renderResellerTypes());
  });
});
