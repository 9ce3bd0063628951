// npm run check:compat as CI runs it: against v0.1.0 (commit 50a2cd4, the first release), the
// working tree keeps every composed resource's identity.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function checkCompat(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/check-compat.ts', ...args],
      { encoding: 'utf8', timeout: 170_000, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('npm run check:compat', { timeout: 180_000 }, () => {
  it('passes against 50a2cd4, the first release', async () => {
    const got = await checkCompat('50a2cd4');
    expect(got.stderr).toBe('');
    const lines = got.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(lines).toContain('ok    postgres/aws: 2 composed resources keep their identity');
    expect(lines.at(-1)).toMatch(
      /^check:compat: \d+ examples of v0\.1\.0 \(50a2cd4\): every composed resource keeps its identity or has a migration$/,
    );
    expect(got.code).toBe(0);
  });

  it.each<[string, string[], number, string]>([
    [
      'a ref this clone lacks',
      ['no-such-ref'],
      1,
      'check:compat: cannot find no-such-ref: no such commit in this clone or on origin: run git fetch --unshallow origin, or name a commit this clone has\n',
    ],
    [
      'two refs',
      ['a', 'b'],
      2,
      'check:compat: usage: npm run check:compat -- [<git ref>] (default: the last release in CHANGELOG.md)\n',
    ],
  ])('refuses %s', async (_, args, code, stderr) => {
    const got = await checkCompat(...args);
    expect(got.stderr).toBe(stderr);
    expect(got.code).toBe(code);
  });
});
