// npm run release -- <version> --registry <host/path> [--dry-run]: builds every package as that
// version (runtime images included) and pushes each with `crossplane xpkg push`. The crossplane CLI
// is $CROSSPLANE_CLI, else the pinned one scripts/install-crossplane-cli.sh builds.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fetchInputs } from './images/inputs.js';
import { buildRuntimeImages } from './images/runtime-images.js';
import { ARCHITECTURES } from './packages.js';
import { ChangelogError, readChangelog } from './release/changelog.js';
import { buildRelease, pushRelease, releasePushes, releaseTarget, ReleaseError } from './release/release.js';

const USAGE = 'usage: npm run release -- <version> --registry <host/path> [--dry-run]';

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();

function fail(message: string, code: number): never {
  console.error(`release: ${message}`);
  if (code === 2) console.error(USAGE);
  process.exit(code);
}

let options: { version: string; registry: string; dryRun: boolean };
try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { registry: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new Error('give exactly one version, e.g. v0.2.0');
  if (!values.registry)
    throw new Error('name the registry to push to with --registry, e.g. ghcr.io/stackplane');
  options = { version: positionals[0]!, registry: values.registry, dryRun: values['dry-run'] };
} catch (error) {
  fail((error as Error).message.split('\n')[0]!, 2);
}

try {
  const target = releaseTarget(options.version, options.registry, await readChangelog());
  const commit = git('rev-parse', 'HEAD');
  // The CHANGELOG records the commit a release was built from: uncommitted changes would not be in it.
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  if (dirty && !options.dryRun) {
    throw new ReleaseError(
      `cannot release ${target.version.text}: the working tree has uncommitted changes: commit them, so the recorded commit is what was built`,
    );
  }
  const outputDir = join('_output', 'release', target.version.text);
  const pushes = releasePushes(target, outputDir);
  if (options.dryRun) {
    for (const push of pushes) console.log(`would push ${push.reference} (${push.files.join(', ')})`);
  } else {
    const cli =
      process.env['CROSSPLANE_CLI'] ??
      execFileSync('bash', ['scripts/install-crossplane-cli.sh'], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .at(-1)!;
    const imagesDir = join(outputDir, 'images');
    const inputs = await fetchInputs(join('_output', 'images', 'inputs'), ARCHITECTURES);
    const images = await buildRuntimeImages(inputs, imagesDir, target.version.text);
    await buildRelease(cli, target, images, outputDir);
    await pushRelease(cli, pushes);
    for (const push of pushes) console.log(`pushed ${push.reference}`);
  }
  console.log(
    `\nRecord the release in CHANGELOG.md: rename "## Unreleased" to "## ${target.version.text}", add the line` +
      `\n"Commit: ${commit}" below it${dirty ? ' (after committing the changes)' : ''}, and start a new "## Unreleased" above.`,
  );
} catch (error) {
  if (!(error instanceof ReleaseError || error instanceof ChangelogError)) throw error;
  fail(error.message, 1);
}
