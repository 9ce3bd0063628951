import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs provider-stackplane to its exit with env as its whole environment (PATH aside). */
function runProvider(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'provider/src/main.ts', ...argv],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 60_000, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}

/** A kubeconfig for a server at url, in a fresh directory. */
function kubeconfigFor(url: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'stackplane-kubeconfig-')), 'config');
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: url } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return path;
}

const emptyHome = () => mkdtempSync(join(tmpdir(), 'stackplane-home-'));
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('provider-stackplane start-up', () => {
  it.each<{ reason: string; env: () => Record<string, string>; want: string | RegExp }>([
    {
      reason: 'no KUBECONFIG, no ~/.kube/config and no service account',
      env: () => ({ HOME: emptyHome() }),
      want:
        'provider-stackplane: cannot get API server rest config: KUBECONFIG is unset, ~/.kube/config does not exist ' +
        'and this is not a pod with a service account; set KUBECONFIG to a kubeconfig file or run the provider in the cluster',
    },
    {
      reason: 'KUBECONFIG names a file that is not there',
      env: () => ({ HOME: emptyHome(), KUBECONFIG: '/nonexistent/kubeconfig' }),
      want: 'provider-stackplane: cannot get API server rest config: KUBECONFIG names /nonexistent/kubeconfig, which does not exist',
    },
    {
      reason: 'the API server does not answer',
      env: () => ({ HOME: emptyHome(), KUBECONFIG: kubeconfigFor('http://127.0.0.1:1') }),
      want: /^provider-stackplane: cannot reach the API server at http:\/\/127\.0\.0\.1:1: .+/,
    },
  ])('exits 1 at once when $reason', async ({ env, want }) => {
    const run = await runProvider([], env());
    expect({ code: run.code, stderr: lastLine(run.stderr) }).toEqual({
      code: 1,
      stderr: typeof want === 'string' ? want : expect.stringMatching(want),
    });
    expect(run.stdout).not.toContain('watch failed');
  });

  it("takes a Go provider's flags, warning of those that mean nothing here", async () => {
    const run = await runProvider(
      ['--poll-state-metric=5s', '--poll-jitter-percentage=10', '--enable-changelogs', '--sanitize-secrets'],
      { HOME: emptyHome() },
    );
    const warnings = run.stdout
      .split('\n')
      .filter((line) => line.includes('"severity":"WARN"'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg)
      // One line per flag; which comes first is not part of the contract.
      .sort();
    expect({ code: run.code, warnings }).toEqual({
      code: 1,
      warnings: [
        'ignoring --enable-changelogs: provider-stackplane writes no change logs',
        'ignoring --sanitize-secrets: provider-stackplane never copies Secret data into status',
      ],
    });
  });
});
