// Builds the Go programs the function benchmark needs and caches them under ~/.cache/stackplane/bin,
// keyed by what they are built from, so a rerun reuses them (as scripts/install-crossplane-cli.sh
// does for the crossplane CLI).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN_DIR = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'stackplane', 'bin');

/** A Go program: its module directory, its package there, and the files whose content names the build. */
export interface GoProgram {
  name: string;
  module: string;
  pkg: string;
  sources: string[];
  /** The version shown in the binary's name, e.g. the function-sdk-go it is built on. */
  version: string;
}

/** The path of the program's binary, built first (with `nice -n 10`) unless cached. */
export function goBinary(program: GoProgram): string {
  const hash = createHash('sha256');
  for (const file of program.sources) hash.update(readFileSync(resolve(program.module, file)));
  const bin = join(BIN_DIR, `${program.name}-${program.version}-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(bin)) return bin;
  console.error(`${program.name}: building ${bin} (a few minutes on 2 cores)`);
  mkdirSync(BIN_DIR, { recursive: true });
  execFileSync('nice', ['-n', '10', 'go', 'build', '-trimpath', '-o', `${bin}.tmp`, program.pkg], {
    cwd: program.module,
    stdio: 'inherit',
  });
  renameSync(`${bin}.tmp`, bin);
  return bin;
}

/** The version of `module` required in the go.mod of `dir`. */
export function requiredVersion(dir: string, module: string): string {
  const line = readFileSync(join(dir, 'go.mod'), 'utf8')
    .split('\n')
    .find((l) => l.trim().startsWith(`${module} `));
  const version = line?.trim().split(/\s+/)[1];
  if (!version) throw new Error(`cannot find ${module} in ${dir}/go.mod`);
  return version;
}

/** The RunFunction load client, on Crossplane's gRPC stack (tools/go). */
export const loadClient = (): GoProgram => ({
  name: 'runfunction-load',
  module: 'tools/go',
  pkg: './runfunction-load',
  sources: ['runfunction-load/main.go', 'go.sum'],
  version: requiredVersion('tools/go', 'github.com/crossplane/crossplane/v2'),
});

/** The StorageClasses step written on function-sdk-go (tools/bench-peers). */
export const goPeer = (): GoProgram => ({
  name: 'storage-classes-go',
  module: 'tools/bench-peers',
  pkg: './storage-classes-go',
  sources: ['storage-classes-go/main.go', 'go.sum'],
  version: requiredVersion('tools/bench-peers', 'github.com/crossplane/function-sdk-go'),
});
