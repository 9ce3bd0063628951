/** check:compat's output: per example what changed and whether a migration covers it, then a verdict. */
import type { CompatNote } from '../release/changelog.js';
import type { Change } from './identity.js';

export interface ExampleReport {
  name: string;
  /** How many composed resources the release's render has. */
  resources: number;
  changes: Change[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const kept = (n: number) =>
  n === 0
    ? 'composes nothing yet'
    : `${plural(n, 'composed resource')} ${n === 1 ? 'keeps its' : 'keep their'} identity`;

function changeLine(change: Change): string {
  const what = change.resource ? `${change.resource}: ${change.message}` : change.message;
  const why = change.migration
    ? ` [migration, CHANGELOG.md line ${change.migration.line}: ${change.migration.reason}]`
    : '';
  return `      ${what}${why}`;
}

/**
 * The report's lines and whether the check passes: every identity change must carry a migration.
 * `against` names the release, e.g. `v0.1.0 (50a2cd4)`; `notes` are those that apply.
 */
export function formatReport(
  reports: readonly ExampleReport[],
  against: string,
  notes: readonly CompatNote[],
): { lines: string[]; ok: boolean } {
  const lines: string[] = [];
  let unnamed = 0;
  let failing = 0;
  for (const report of reports) {
    const open = report.changes.filter((c) => !c.migration).length;
    unnamed += open;
    if (open > 0) failing++;
    const summary =
      report.changes.length === 0
        ? kept(report.resources)
        : open > 0
          ? `${plural(report.changes.length, 'identity change')}, ${open} without a migration in CHANGELOG.md`
          : `${plural(report.changes.length, 'identity change')}, each named in CHANGELOG.md`;
    lines.push(`${open > 0 ? 'FAIL' : 'ok  '}  ${report.name}: ${summary}`);
    lines.push(...report.changes.map(changeLine));
  }
  const used = new Set(reports.flatMap((r) => r.changes.map((c) => c.migration)));
  for (const note of notes.filter((n) => !used.has(n))) {
    lines.push(
      `note: CHANGELOG.md line ${note.line} names "${note.target}", which changes nothing against ${against}`,
    );
  }
  lines.push(
    unnamed === 0
      ? `check:compat: ${plural(reports.length, 'example')} of ${against}: every composed resource keeps its identity or has a migration`
      : `check:compat: ${plural(unnamed, 'identity change')} in ${plural(failing, 'example')} of ${against} without a migration: ` +
          'name each under "## Unreleased" in CHANGELOG.md as "compat: <example>/<resource-name>: <reason>"',
  );
  return { lines, ok: unnamed === 0 };
}
