import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/** Set UPDATE_GOLDEN=1 to rewrite golden files from the current output, then review the diff. */
export const updating = process.env['UPDATE_GOLDEN'] === '1';

/** Compares output with a reviewed golden file; vitest shows the diff when they differ. */
export async function expectGolden(path: string, actual: string): Promise<void> {
  if (updating) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, actual);
    return;
  }
  const golden = await readFile(path, 'utf8').catch(() => {
    throw new Error(`golden file ${path} is missing: run UPDATE_GOLDEN=1 npm test and review it`);
  });
  expect(actual, `${path} differs (UPDATE_GOLDEN=1 npm test rewrites it)`).toBe(golden);
}
