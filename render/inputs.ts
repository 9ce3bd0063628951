/**
 * What `npm run render` is pointed at, resolved to files as `npm run demo` finds them: an example
 * directory (its xr.yaml, observed/ and required.yaml), or an XR file, beside which observed/ and
 * required.yaml are used unless a flag names others.
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { discoverExamples } from './examples.js';

/** Where an XR and the state it renders with are. */
export interface RenderPaths {
  xrPath: string;
  observedPath?: string;
  requiredPaths: string[];
}

const kindOf = (path: string) =>
  stat(path).then(
    (s) => (s.isDirectory() ? 'directory' : 'file'),
    () => undefined,
  );

/** The example files around target (a directory or an XR file); explicit paths win. */
export async function resolveRenderPaths(
  target: string,
  explicit: { observedPath?: string; requiredPaths?: string[] } = {},
): Promise<RenderPaths> {
  const kind = await kindOf(target);
  if (kind === undefined) throw new Error(`cannot read ${target}: no such file or directory`);
  let dir = dirname(target);
  let xrPath = target;
  if (kind === 'directory') {
    dir = target;
    xrPath = join(target, 'xr.yaml');
    if ((await kindOf(xrPath)) !== 'file') {
      const examples = (await discoverExamples(target)).map((e) => e.name);
      throw new Error(
        examples.length > 0
          ? `cannot render ${target}: it holds the examples ${examples.join(', ')}; pass one of them, e.g. ${join(target, examples[0]!)}`
          : `cannot render ${target}: it has no xr.yaml; pass an XR file or an example directory`,
      );
    }
  }
  const observed = join(dir, 'observed');
  const required = join(dir, 'required.yaml');
  const observedPath =
    explicit.observedPath ?? ((await kindOf(observed)) === 'directory' ? observed : undefined);
  const requiredPaths =
    explicit.requiredPaths && explicit.requiredPaths.length > 0
      ? explicit.requiredPaths
      : (await kindOf(required)) === 'file'
        ? [required]
        : [];
  return { xrPath, ...(observedPath === undefined ? {} : { observedPath }), requiredPaths };
}
