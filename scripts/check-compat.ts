// npm run check:compat -- [<ref>]: renders every example of a release (default: the last one
// CHANGELOG.md records) with that release's pipeline and with the working tree's, and fails when a
// composed resource's identity changes without a migration named in CHANGELOG.md's Unreleased
// section (or a later release's). See scripts/compat/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangelogError, lastRelease, notesSince, readChangelog } from './release/changelog.js';
import { applyNotes, compareExample, type Change } from './compat/identity.js';
import { immutableFields } from './compat/immutable.js';
import { formatReport, type ExampleReport } from './compat/report.js';
import { CompatError, dependenciesDiffer, extractTree, renderTree, resolveCommit } from './compat/trees.js';

const args = process.argv.slice(2);
if (args.length > 1 || args[0]?.startsWith('-')) {
  console.error(
    'check:compat: usage: npm run check:compat -- [<git ref>] (default: the last release in CHANGELOG.md)',
  );
  process.exit(2);
}

const work = await mkdtemp(join(tmpdir(), 'stackplane-compat-'));
try {
  const changelog = await readChangelog();
  const release = lastRelease(changelog);
  const ref = args[0] ?? release?.commit;
  if (!ref)
    throw new CompatError('cannot check compatibility: CHANGELOG.md records no release: name a git ref');
  const commit = await resolveCommit(ref);
  const recorded = changelog.releases.find((r) => r.commit === commit);
  const against = `${recorded ? recorded.version.text : ref} (${commit.slice(0, 7)})`;

  const tree = await extractTree(commit, join(work, 'tree'));
  if (await dependenciesDiffer(tree)) {
    console.log(
      `note: package-lock.json differs at ${against}: its pipeline runs with this checkout's node_modules`,
    );
  }
  const before = await renderTree(tree, join(work, 'before.json'));
  const after = await renderTree(process.cwd(), join(work, 'after.json'), before);
  const immutable = await immutableFields();
  const notes = notesSince(changelog, commit);

  const reports: ExampleReport[] = before.map((old, i) => {
    const changes: Change[] =
      old.error !== undefined
        ? [
            {
              rule: 'render',
              message: `it does not render at ${against}, so nothing is compared: ${old.error}`,
            },
          ]
        : compareExample(old, after[i]!, immutable);
    return {
      name: old.name,
      resources: old.composed?.length ?? 0,
      changes: applyNotes(old.name, changes, notes),
    };
  });
  const { lines, ok } = formatReport(reports, against, notes);
  for (const line of lines) console.log(line);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  if (!(error instanceof CompatError || error instanceof ChangelogError)) throw error;
  console.error(`check:compat: ${error.message}`);
  process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
