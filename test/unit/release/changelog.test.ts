// CHANGELOG.md as the release and the compat check read it: releases newest first with their
// commits, and the compat notes of each section.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lastRelease, notesSince, parseChangelog } from '../../../scripts/release/changelog.js';
import { compareVersions, parseVersion } from '../../../scripts/release/semver.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** A valid CHANGELOG with two releases; modifiers edit its lines. */
const changelog = (...modifiers: Array<(lines: string[]) => string[]>) =>
  modifiers
    .reduce(
      (lines, modify) => modify(lines),
      [
        '# Changelog',
        '',
        '    compat: example/of-the-syntax: indented, so not a note',
        '## Unreleased',
        '- compat: postgres/aws/db-instance: the engine moves to a new instance by snapshot',
        '',
        '## v0.2.0 (2026-12-10)',
        `Commit: ${B}`,
        '- compat: user/sample: the example moved to user/basic',
        '## v0.1.0',
        '',
        `Commit: ${A}`,
        'The first release.',
      ],
    )
    .join('\n');
const replace = (from: string, to: string) => (lines: string[]) => lines.map((l) => (l === from ? to : l));

describe('parseChangelog', () => {
  it('gives the releases newest first with their commits and the notes of each section', () => {
    const parsed = parseChangelog(changelog());
    expect(parsed.releases.map((r) => [r.version.text, r.commit])).toEqual([
      ['v0.2.0', B],
      ['v0.1.0', A],
    ]);
    expect(lastRelease(parsed)?.version.text).toBe('v0.2.0');
    expect(parsed.unreleased.compat).toEqual([
      {
        target: 'postgres/aws/db-instance',
        reason: 'the engine moves to a new instance by snapshot',
        line: 5,
      },
    ]);
    expect(parsed.releases[0]?.compat).toEqual([
      { target: 'user/sample', reason: 'the example moved to user/basic', line: 9 },
    ]);
  });

  it.each<[string, string, string]>([
    [
      'a heading that is no version',
      changelog(replace('## v0.1.0', '## first')),
      'line 10: "## first" is not a semantic version: write "## v1.2.3"',
    ],
    [
      'a release without its commit',
      changelog(replace(`Commit: ${A}`, '')),
      'line 10: release v0.1.0 records no "Commit: <full hash>"',
    ],
    [
      'an abbreviated commit',
      changelog(replace(`Commit: ${A}`, 'Commit: 50a2cd4')),
      'line 12: commit "50a2cd4" is not a full 40-character hash: run git rev-parse',
    ],
    [
      'releases out of order',
      changelog(replace('## v0.1.0', '## v0.3.0')),
      'line 10: release v0.3.0 must come after v0.2.0: newest first',
    ],
    [
      'Unreleased below a release',
      changelog((l) => [...l, '## Unreleased']),
      'line 14: "## Unreleased" must come before every release',
    ],
    [
      'a note without a reason',
      changelog(replace('- compat: user/sample: the example moved to user/basic', 'compat: user/sample')),
      'line 9: write the migration as "compat: <example>/<resource-name>: <reason>"',
    ],
  ])('refuses %s', (_, text, why) => {
    expect(() => parseChangelog(text)).toThrow(`cannot parse CHANGELOG.md ${why}`);
  });

  it('applies the notes of Unreleased and of every release newer than the one upgraded from', () => {
    const parsed = parseChangelog(changelog());
    expect(notesSince(parsed, A).map((n) => n.target)).toEqual(['postgres/aws/db-instance', 'user/sample']);
    expect(notesSince(parsed, B).map((n) => n.target)).toEqual(['postgres/aws/db-instance']);
  });

  it("reads the repository's CHANGELOG: v0.1.0 is commit 50a2cd4", () => {
    const parsed = parseChangelog(readFileSync('CHANGELOG.md', 'utf8'));
    const first = parsed.releases.at(-1);
    expect(first?.version.text).toBe('v0.1.0');
    expect(first?.commit).toBe('50a2cd487083a4af70eb2652277a96259e42de32');
    // A clone that has the history has the commit.
    expect(execFileSync('git', ['cat-file', '-t', first!.commit], { encoding: 'utf8' }).trim()).toBe(
      'commit',
    );
  });
});

describe('semantic versions', () => {
  it.each([
    ['1.2.3', 'v1.2.3'],
    ['v0.10.0-rc.1', 'v0.10.0-rc.1'],
  ])('reads %s as %s', (text, canonical) => {
    expect(parseVersion(text)?.text).toBe(canonical);
  });

  it.each(['1.2', 'v01.2.3', '1.2.3+build.1', 'latest', 'v1.2.3-'])('refuses %s', (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });

  it('orders versions as semver.org §11 does', () => {
    const ordered = [
      'v0.9.0',
      'v1.0.0-alpha',
      'v1.0.0-alpha.1',
      'v1.0.0-alpha.beta',
      'v1.0.0-beta.2',
      'v1.0.0-beta.11',
      'v1.0.0-rc.1',
      'v1.0.0',
      'v1.1.0',
      'v2.0.0',
    ];
    const shuffled = [...ordered].reverse();
    const sorted = shuffled.sort((a, b) => compareVersions(parseVersion(a)!, parseVersion(b)!));
    expect(sorted).toEqual(ordered);
  });
});
