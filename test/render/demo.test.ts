// `npm run demo` as a user runs it: its table fits a terminal and is what the README shows.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../render/table.js';

function demo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', ...args],
      { encoding: 'utf8', timeout: 170_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** The README's block of demo output: the fenced block that starts with the table's header. */
function readmeDemoBlock(): string {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('```\nEXAMPLE ') + 4;
  return readme.slice(start, readme.indexOf('```', start));
}

describe.concurrent('npm run demo', { timeout: 180_000 }, () => {
  it('prints within 120 columns exactly what the README shows', async () => {
    const run = await demo();
    expect({
      code: run.code,
      widest: Math.max(...run.stdout.split('\n').map((line) => line.length)),
      same: run.stdout === readmeDemoBlock(),
    }).toEqual({ code: 0, widest: 120, same: true });
  });

  it('refuses an output format it does not know, in one line', async () => {
    expect(await demo('-o', 'json')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'demo: unknown output format "json": use -o wide\n',
    });
  });
});

describe('formatTable', () => {
  const rows = [
    ['NAME', 'READY'],
    ['a', 'True'],
    ['longer', 'False (Unready resources: one, two, three)'],
  ];
  it.each<[string, number | undefined, string[]]>([
    [
      'pads every column but the last',
      undefined,
      ['NAME    READY', 'a       True', 'longer  False (Unready resources: one, two, three)'],
    ],
    ['cuts the last column to fit', 30, ['NAME    READY', 'a       True', 'longer  False (Unready reso...']],
  ])('%s', (_, width, want) => {
    const lines = formatTable(rows, width);
    expect({ lines, fits: lines.every((l) => width === undefined || l.length <= width) }).toEqual({
      lines: want,
      fits: true,
    });
  });
});
