/**
 * Where an example's files are. `examples/<kind>/<case>/` holds what a user applies: `xr.yaml` and,
 * when the XR needs them, `prerequisites.yaml` (platform objects such as EnvironmentConfigs,
 * ClusterProviderConfigs, AdoptionGrants, and the Secrets a user creates). What the cluster would
 * already hold when the pipeline runs (observed composed resources, the kube-system Namespace,
 * provider-written Secrets, other XRs with their status) is render state, not something to apply:
 * it lives in `test/render-fixtures/<kind>/<case>/` as `observed/` and `required.yaml`, and the XR's
 * own status from earlier reconciles as `status.yaml`.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { RenderRequest } from './render.js';

/** The examples a user applies. */
export const EXAMPLES_DIR = 'examples';
/** The render state of each example, at the same path below it as the example below examples/. */
export const RENDER_FIXTURES_DIR = 'test/render-fixtures';
/** The file of objects to apply before an example's XR. */
export const PREREQUISITES_FILE = 'prerequisites.yaml';

/** An example: a directory holding xr.yaml. */
export interface Example {
  /** Its path below examples/, e.g. `storagetenant/basic`. */
  name: string;
  request: RenderRequest & { requiredPaths: string[] };
}

/** Where an XR and the state it renders with are. */
export interface RenderPaths {
  xrPath: string;
  xrStatusPath?: string;
  observedPath?: string;
  requiredPaths: string[];
}

const kindOf = (path: string) =>
  stat(path).then(
    (s) => (s.isDirectory() ? 'directory' : 'file'),
    () => undefined,
  );

/** The render fixtures folder of a directory below examples/; undefined for any other directory. */
export function renderFixturesOf(dir: string): string | undefined {
  const below = relative(EXAMPLES_DIR, dir);
  if (below === '' || below.startsWith('..') || isAbsolute(below)) return undefined;
  return join(RENDER_FIXTURES_DIR, below);
}

/**
 * The files an XR renders with: the prerequisites.yaml beside it, then status.yaml, observed/ and
 * required.yaml from its render fixtures (for an XR below examples/) or from beside it (for any other XR).
 */
export async function renderPathsOf(xrPath: string): Promise<RenderPaths> {
  const dir = dirname(xrPath);
  const stateDir = renderFixturesOf(dir) ?? dir;
  const status = join(stateDir, 'status.yaml');
  const observed = join(stateDir, 'observed');
  const required = [join(dir, PREREQUISITES_FILE), join(stateDir, 'required.yaml')];
  const requiredPaths: string[] = [];
  for (const path of required) if ((await kindOf(path)) === 'file') requiredPaths.push(path);
  return {
    xrPath,
    ...((await kindOf(status)) === 'file' ? { xrStatusPath: status } : {}),
    ...((await kindOf(observed)) === 'directory' ? { observedPath: observed } : {}),
    requiredPaths,
  };
}

/** Every example below `root`, in name order. */
export async function discoverExamples(root = EXAMPLES_DIR): Promise<Example[]> {
  const out: Example[] = [];
  async function visit(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'xr.yaml')) {
      out.push({ name: relative(root, dir), request: await renderPathsOf(join(dir, 'xr.yaml')) });
      return;
    }
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      await visit(join(dir, entry.name));
    }
  }
  await visit(root);
  return out;
}
