/**
 * What `npm run render` is pointed at, resolved to files as `npm run demo` finds them: an example
 * directory or an XR file, with the state it renders with (render/examples.ts says where that is);
 * paths given as flags win.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverExamples, renderPathsOf, type RenderPaths } from './examples.js';

const kindOf = (path: string) =>
  stat(path).then(
    (s) => (s.isDirectory() ? 'directory' : 'file'),
    () => undefined,
  );

/** The files to render target (an example directory or an XR file) with; explicit paths win. */
export async function resolveRenderPaths(
  target: string,
  explicit: { observedPath?: string; requiredPaths?: string[] } = {},
): Promise<RenderPaths> {
  const kind = await kindOf(target);
  if (kind === undefined) throw new Error(`cannot read ${target}: no such file or directory`);
  let xrPath = target;
  if (kind === 'directory') {
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
  const found = await renderPathsOf(xrPath);
  const observedPath = explicit.observedPath ?? found.observedPath;
  const requiredPaths =
    explicit.requiredPaths && explicit.requiredPaths.length > 0
      ? explicit.requiredPaths
      : found.requiredPaths;
  return {
    xrPath,
    ...(found.xrStatusPath === undefined ? {} : { xrStatusPath: found.xrStatusPath }),
    ...(observedPath === undefined ? {} : { observedPath }),
    requiredPaths,
  };
}
