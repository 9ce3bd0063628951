import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The crossplane CLI version pinned in tools/go/go.mod. */
export function pinnedVersion(): string {
  const goMod = readFileSync('tools/go/go.mod', 'utf8');
  const version = /^\s*github\.com\/crossplane\/crossplane\/v2 (v\S+)$/m.exec(goMod)?.[1];
  if (!version) throw new Error('cannot find the crossplane version in tools/go/go.mod');
  return version;
}

/**
 * The crossplane CLI to test with: $CROSSPLANE_CLI, else the binary scripts/install-crossplane-cli.sh
 * builds, else `crossplane` on the PATH. Undefined when none is there.
 */
export function findCrossplaneCli(): string | undefined {
  const candidates = [
    process.env['CROSSPLANE_CLI'],
    join(
      process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'),
      'stackplane',
      'bin',
      `crossplane-${pinnedVersion()}`,
    ),
    'crossplane',
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (candidate.includes('/') && !existsSync(candidate)) continue;
    try {
      execFileSync(candidate, ['--help'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not runnable: try the next one
    }
  }
  return undefined;
}

/**
 * Whether a missing CLI fails the run instead of skipping: CI sets STACKPLANE_REQUIRE_CROSSPLANE_CLI=1
 * after installing it, so a broken install can never pass as a skip.
 */
export const cliRequired = process.env['STACKPLANE_REQUIRE_CROSSPLANE_CLI'] === '1';
