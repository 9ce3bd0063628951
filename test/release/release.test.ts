// npm run release: the version and registry it accepts, what it would push, the metadata a release
// ships, and a real push of every package to a loopback registry, pulled back with crane.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { binDir, pinned } from '../../scripts/control-plane/binaries.js';
import { startRegistry, type Registry } from '../../scripts/control-plane/registry.js';
import { placeholderRuntimeImages } from '../../scripts/images/placeholder.js';
import { readTar } from '../../scripts/images/tar.js';
import { PACKAGE_NAMES } from '../../scripts/packages.js';
import { parseChangelog } from '../../scripts/release/changelog.js';
import { releaseMeta } from '../../scripts/release/meta.js';
import { buildRelease, pushRelease, releasePushes, releaseTarget } from '../../scripts/release/release.js';
import { parseVersion } from '../../scripts/release/semver.js';
import { Processes } from '../../testing/processes.js';
import { cliRequired, findCrossplaneCli } from '../support/crossplane-cli.js';

const run = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function release(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/release.ts', ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const USAGE = 'usage: npm run release -- <version> --registry <host/path> [--dry-run]';

describe('npm run release', { timeout: 60_000 }, () => {
  it.each<[string, string[], string]>([
    [
      'a version that is not semantic',
      ['0.2', '--registry', 'ghcr.io/stackplane'],
      'release: cannot release 0.2: it is not a semantic version: write MAJOR.MINOR.PATCH, e.g. v0.2.0\n',
    ],
    [
      'the last recorded version',
      ['v0.1.0', '--registry', 'ghcr.io/stackplane'],
      'release: cannot release v0.1.0: CHANGELOG.md records v0.1.0: choose a greater version\n',
    ],
    [
      'a registry with a scheme',
      ['0.2.0', '--registry', 'https://ghcr.io/stackplane'],
      'release: cannot release to --registry https://ghcr.io/stackplane: name a registry host and path without scheme or tag, e.g. ghcr.io/stackplane\n',
    ],
    [
      'no registry',
      ['0.2.0'],
      `release: name the registry to push to with --registry, e.g. ghcr.io/stackplane\n${USAGE}\n`,
    ],
    [
      'two versions',
      ['0.2.0', '0.3.0', '--registry', 'r.example'],
      `release: give exactly one version, e.g. v0.2.0\n${USAGE}\n`,
    ],
  ])('refuses %s', async (_, args, stderr) => {
    const got = await release(...args, '--dry-run');
    expect(got.stderr).toBe(stderr);
    expect(got.code).toBe(stderr.includes(USAGE) ? 2 : 1);
  });

  it('prints what it would push with --dry-run', async () => {
    const got = await release('0.2.0', '--registry', 'registry.example:5000/platform', '--dry-run');
    expect(got.code).toBe(0);
    const out = '_output/release/v0.2.0';
    expect(got.stdout.split('\n').filter((l) => l.startsWith('would push'))).toEqual([
      `would push registry.example:5000/platform/configuration-stackplane-openstack:v0.2.0 (${out}/configuration-stackplane-openstack.xpkg)`,
      `would push registry.example:5000/platform/configuration-stackplane-data:v0.2.0 (${out}/configuration-stackplane-data.xpkg)`,
      `would push registry.example:5000/platform/function-stackplane:v0.2.0 (${out}/function-stackplane-amd64.xpkg, ${out}/function-stackplane-arm64.xpkg)`,
      `would push registry.example:5000/platform/provider-stackplane:v0.2.0 (${out}/provider-stackplane-amd64.xpkg, ${out}/provider-stackplane-arm64.xpkg)`,
    ]);
    expect(got.stdout).toMatch(
      /rename "## Unreleased" to "## v0.2\.0", add the line\n"Commit: [0-9a-f]{40}"/,
    );
  });
});

describe('a release depends on its own packages in its registry', () => {
  it('rewrites the Stackplane dependencies and keeps the others and the comments', async () => {
    const meta = await readFile('package/configuration-data/crossplane.yaml', 'utf8');
    const target = { registry: '127.0.0.1:5000/stackplane', version: parseVersion('1.2.0')! };
    const released = releaseMeta(meta, target, PACKAGE_NAMES);
    const dependsOn = (
      parse(released) as { spec: { dependsOn: Array<{ package: string; version: string }> } }
    ).spec.dependsOn;
    expect(dependsOn[0]).toEqual({
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Function',
      package: '127.0.0.1:5000/stackplane/function-stackplane',
      version: '>=v1.2.0 <v2.0.0',
    });
    // Another vendor's provider keeps its package and range.
    expect(dependsOn.find((d) => d.package.endsWith('/provider-aws-rds'))).toEqual({
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Provider',
      package: 'xpkg.upbound.io/upbound/provider-aws-rds',
      version: '>=v2.0.0 <v3.0.0',
    });
    expect(released).toContain('provider-upjet-aws v2 serves the namespaced');
  });

  it('checks the version against the CHANGELOG it is given', () => {
    const changelog = parseChangelog(`## Unreleased\n## v0.3.0\nCommit: ${'c'.repeat(40)}\n`);
    expect(() => releaseTarget('0.2.9', 'ghcr.io/stackplane', changelog)).toThrow(
      'cannot release v0.2.9: CHANGELOG.md records v0.3.0: choose a greater version',
    );
    expect(releaseTarget('0.3.1-rc.1', 'ghcr.io/stackplane', changelog).version.text).toBe('v0.3.1-rc.1');
  });
});

// The push needs the crossplane CLI and crane (scripts/install-control-plane.sh builds crane).
const cli = findCrossplaneCli();
const crane =
  process.env['CRANE'] ??
  join(binDir(), `crane-${pinned('tools/go/go.mod', 'github.com/google/go-containerregistry')}`);
const missing = [
  !cli && 'the crossplane CLI (bash scripts/install-crossplane-cli.sh)',
  !existsSync(crane) && `crane at ${crane} (bash scripts/install-control-plane.sh)`,
].filter(Boolean);
if (missing.length > 0) {
  const why = `${missing.join(' and ')} not installed`;
  if (cliRequired) throw new Error(`STACKPLANE_REQUIRE_CROSSPLANE_CLI=1 but ${why}`);
  console.warn(`\n*** SKIPPING the release push test: ${why} ***\n`);
}

describe.skipIf(missing.length > 0)('a release pushed to a registry', { timeout: 300_000 }, () => {
  let work: string;
  let processes: Processes;
  let registry: Registry;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stackplane-release-'));
    processes = new Processes(work);
    registry = await startRegistry(processes, { crane, crossplaneCli: cli! });
  });
  afterAll(async () => {
    await processes?.stopAll();
    await rm(work, { recursive: true, force: true });
  });

  it('pushes every package as the version, the runtime packages for both architectures', async () => {
    const target = releaseTarget(
      'v0.2.0',
      `${registry.host}/stackplane`,
      parseChangelog(await readFile('CHANGELOG.md', 'utf8')),
    );
    const output = join(work, 'output');
    const pushes = releasePushes(target, output);
    await buildRelease(cli!, target, await placeholderRuntimeImages(work), output);
    await pushRelease(cli!, pushes);

    const { stdout: catalog } = await run(crane, ['catalog', registry.host, '--insecure']);
    expect(catalog.trim().split('\n').sort()).toEqual(PACKAGE_NAMES.map((n) => `stackplane/${n}`).sort());
    for (const name of PACKAGE_NAMES) {
      const reference = `${registry.host}/stackplane/${name}:v0.2.0`;
      const { stdout: manifest } = await run(crane, ['manifest', reference, '--insecure']);
      const platforms = (
        JSON.parse(manifest) as { manifests?: Array<{ platform: { architecture: string } }> }
      ).manifests?.map((m) => m.platform.architecture);
      expect([name, platforms]).toEqual([
        name,
        name.startsWith('configuration') ? undefined : ['amd64', 'arm64'],
      ]);
    }

    // Pulled back, the Configuration depends on the Function and Provider of this release and registry.
    const reference = `${registry.host}/stackplane/configuration-stackplane-openstack:v0.2.0`;
    const pulled = join(work, 'pulled.tar');
    await run(crane, ['export', reference, pulled, '--insecure']);
    const entry = readTar(await readFile(pulled)).find((e) => e.path === 'package.yaml');
    const meta = parse(
      (entry?.type === 'file' ? entry.data : Buffer.alloc(0)).toString().split('\n---\n')[0]!,
    ) as { spec: { dependsOn: Array<{ package: string; version: string }> } };
    expect(meta.spec.dependsOn.map((d) => `${d.package} ${d.version}`)).toEqual([
      `${registry.host}/stackplane/function-stackplane >=v0.2.0 <v1.0.0`,
      `${registry.host}/stackplane/provider-stackplane >=v0.2.0 <v1.0.0`,
      // Not Stackplane's: kept as the Configuration declares it.
      'xpkg.crossplane.io/crossplane-contrib/provider-openstack >=v0.8.0 <v1.0.0',
    ]);
  });
});
