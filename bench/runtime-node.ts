// The Node.js the runtime image ships, to run the benchmark's Node.js servers on: figures taken on
// the machine's own Node.js would describe another engine (another V8, other garbage collector
// defaults) than the one users run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir, fetchNode, NODE } from '../scripts/images/inputs.js';
import type { Architecture } from '../scripts/packages.js';

const ARCH: Record<string, Architecture> = { x64: 'amd64', arm64: 'arm64' };

/** The path of the image's `node` for this machine, downloaded once (integrity checked) and unpacked into `dir`. */
export async function runtimeNode(dir: string): Promise<{ path: string; version: string }> {
  const arch = ARCH[process.arch];
  if (!arch) throw new Error(`the runtime image has no Node.js for ${process.arch}`);
  const root = resolve(dir, `node-${NODE.version}-${arch}`);
  const path = join(root, 'package', 'bin', 'node');
  if (!existsSync(path)) {
    const tgz = await fetchNode(arch, join(cacheDir(), 'node'));
    mkdirSync(root, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', root]);
  }
  return { path, version: `v${NODE.version}` };
}
