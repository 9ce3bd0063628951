/**
 * CHANGELOG.md: the releases, newest first, each with the commit it was built from (tags may not
 * travel with a clone), and the upgrade notes of what follows under "Unreleased". A note that a
 * change to a composed resource is a known migration is a line `compat: <example>/<resource>: <why>`,
 * which `npm run check:compat` reads.
 */
import { readFile } from 'node:fs/promises';
import { compareVersions, parseVersion, type Version } from './semver.js';

/** A migration a section names: `target` is `<example>` or `<example>/<composition-resource-name>`. */
export interface CompatNote {
  target: string;
  reason: string;
  /** 1-based line in the CHANGELOG, for messages. */
  line: number;
}

export interface Release {
  version: Version;
  /** The full commit hash the release was built from. */
  commit: string;
  compat: CompatNote[];
}

export interface Changelog {
  /** Newest first, as written. */
  releases: Release[];
  /** The notes under "## Unreleased": what the next release brings. */
  unreleased: { compat: CompatNote[] };
}

export class ChangelogError extends Error {}

const HEADING = /^## (.+?)\s*$/;
const COMMIT = /^Commit:\s*(\S+)\s*$/;
const COMPAT = /^(?:[-*]\s+)?compat:\s*(.*)$/;
const FULL_HASH = /^[0-9a-f]{40}$/;
const NOTE = /^(\S+?):\s+(\S.*)$/;

type Section =
  | { kind: 'unreleased'; compat: CompatNote[] }
  | (Omit<Release, 'commit'> & { commit?: string; line: number });

/** Parses the CHANGELOG's text; `file` names it in errors. */
export function parseChangelog(text: string, file = 'CHANGELOG.md'): Changelog {
  const fail = (line: number, why: string): never => {
    throw new ChangelogError(`cannot parse ${file} line ${line}: ${why}`);
  };
  const sections: Section[] = [];
  let fenced = false;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    // Indented and fenced blocks are examples of the syntax, not notes.
    if (/^(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced || /^( {4}|\t)/.test(raw)) return;
    const heading = HEADING.exec(raw)?.[1];
    if (heading !== undefined) {
      if (heading === 'Unreleased') {
        if (sections.length > 0) fail(line, '"## Unreleased" must come before every release');
        sections.push({ kind: 'unreleased', compat: [] });
        return;
      }
      const version = parseVersion(heading.split(/\s+/)[0] ?? '');
      if (!version) return fail(line, `"## ${heading}" is not a semantic version: write "## v1.2.3"`);
      sections.push({ version, compat: [], line });
      return;
    }
    const section = sections.at(-1);
    const commit = COMMIT.exec(raw)?.[1];
    if (commit !== undefined) {
      if (!section || 'kind' in section) return fail(line, '"Commit:" belongs under a release heading');
      if (!FULL_HASH.test(commit))
        return fail(line, `commit "${commit}" is not a full 40-character hash: run git rev-parse`);
      section.commit = commit;
      return;
    }
    const compat = COMPAT.exec(raw.trim())?.[1];
    if (compat === undefined) return;
    const note = NOTE.exec(compat);
    if (!note) return fail(line, `write the migration as "compat: <example>/<resource-name>: <reason>"`);
    if (!section) return fail(line, 'a compat note belongs under "## Unreleased" or a release');
    section.compat.push({ target: note[1]!, reason: note[2]!, line });
  });
  return toChangelog(sections, fail);
}

function toChangelog(sections: Section[], fail: (line: number, why: string) => never): Changelog {
  const unreleased = sections.find((s) => 'kind' in s)?.compat ?? [];
  const releases: Release[] = [];
  for (const section of sections) {
    if ('kind' in section) continue;
    if (!section.commit)
      fail(section.line, `release ${section.version.text} records no "Commit: <full hash>"`);
    const newer = releases.at(-1);
    if (newer && compareVersions(newer.version, section.version) <= 0) {
      fail(
        section.line,
        `release ${section.version.text} must come after ${newer.version.text}: newest first`,
      );
    }
    releases.push({ version: section.version, commit: section.commit!, compat: section.compat });
  }
  return { releases, unreleased: { compat: unreleased } };
}

/** Reads and parses the CHANGELOG. */
export async function readChangelog(file = 'CHANGELOG.md'): Promise<Changelog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ChangelogError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseChangelog(text, file);
}

/** The newest recorded release, or undefined before the first. */
export const lastRelease = (changelog: Changelog): Release | undefined => changelog.releases[0];

/**
 * The compat notes that apply to an upgrade from `commit`: Unreleased's and those of every release
 * newer than the one built from it (all of them when `commit` is no recorded release).
 */
export function notesSince(changelog: Changelog, commit: string): CompatNote[] {
  const notes = [...changelog.unreleased.compat];
  for (const release of changelog.releases) {
    if (release.commit === commit) break;
    notes.push(...release.compat);
  }
  return notes;
}
