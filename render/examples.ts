import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RenderRequest } from './render.js';

/** An example: a directory holding xr.yaml, and optionally observed/ and required.yaml. */
export interface Example {
  /** Its path below examples/, e.g. `storagetenant/basic`. */
  name: string;
  request: RenderRequest;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Every example below `root`, in name order. */
export async function discoverExamples(root = 'examples'): Promise<Example[]> {
  const out: Example[] = [];
  async function visit(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'xr.yaml')) {
      const observed = join(dir, 'observed');
      const required = join(dir, 'required.yaml');
      out.push({
        name: relative(root, dir),
        request: {
          xrPath: join(dir, 'xr.yaml'),
          ...((await exists(observed)) ? { observedPath: observed } : {}),
          ...((await exists(required)) ? { requiredPath: required } : {}),
        },
      });
      return;
    }
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      await visit(join(dir, entry.name));
    }
  }
  await visit(root);
  return out;
}
