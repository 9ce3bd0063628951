// examples/ holds what a user applies; the render state of each example lives in
// test/render-fixtures/, and npm run render finds it from the example alone.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  discoverExamples,
  EXAMPLES_DIR,
  RENDER_FIXTURES_DIR,
  renderFixturesOf,
} from '../../render/examples.js';
import { resolveRenderPaths } from '../../render/inputs.js';
import { readManifestPaths, readManifests } from '../../render/manifests.js';

const examples = await discoverExamples();

/** Every file below dir, relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** What a user may apply from an example's prerequisites.yaml: platform objects and their own Secrets. */
const APPLYABLE_PREREQUISITES = new Set([
  'EnvironmentConfig',
  'ClusterProviderConfig',
  'AdoptionGrant',
  'Secret',
]);

describe('examples/', () => {
  it('holds per example only xr.yaml and prerequisites.yaml', async () => {
    const files = (await filesBelow(EXAMPLES_DIR)).filter(
      (f) => f !== 'functions.yaml' && !f.startsWith('provider/'),
    );
    expect(files.filter((f) => !/^[a-z-]+\/[a-z-]+\/(xr|prerequisites)\.yaml$/.test(f))).toEqual([]);
  });

  it.each(examples.map((e) => [e.name, e] as const))(
    '%s: nothing the cluster or a provider would write (status, uid, connection Secrets, other kinds)',
    async (name, example) => {
      const prerequisites = example.request.requiredPaths.filter((p) => p.startsWith(EXAMPLES_DIR));
      const objects = [
        ...(await readManifests(example.request.xrPath)),
        ...(await readManifestPaths(prerequisites)),
      ];
      const written = objects.filter(
        (o, i) =>
          'status' in o ||
          (o['metadata'] as { uid?: string }).uid !== undefined ||
          o['type'] === 'connection.crossplane.io/v1alpha1' ||
          (i > 0 && !APPLYABLE_PREREQUISITES.has(String(o['kind']))),
      );
      expect(
        written.map((o) => `${String(o['kind'])}/${String((o['metadata'] as { name?: string }).name)}`),
      ).toEqual([]);
      expect(await readdir(join(EXAMPLES_DIR, name))).toEqual(
        prerequisites.length > 0 ? ['prerequisites.yaml', 'xr.yaml'] : ['xr.yaml'],
      );
    },
  );

  it('has render fixtures only for examples that exist', async () => {
    const fixtureCases = [
      ...new Set((await filesBelow(RENDER_FIXTURES_DIR)).map((f) => f.split('/').slice(0, 2).join('/'))),
    ];
    expect(fixtureCases.filter((c) => !examples.some((e) => e.name === c))).toEqual([]);
  });
});

describe('npm run render -- examples/<kind>/<case> finds what npm run demo renders with', () => {
  it.each(examples.map((e) => [e.name, e] as const))('%s', async (name, example) => {
    const dir = join(EXAMPLES_DIR, name);
    expect(await resolveRenderPaths(dir)).toEqual(example.request);
    expect(await resolveRenderPaths(join(dir, 'xr.yaml'))).toEqual(example.request);
  });

  it.each([
    ['an example', 'examples/user/ready', 'test/render-fixtures/user/ready'],
    ['an absolute path is not below examples/', '/examples/user/ready', undefined],
    ['examples/ itself', 'examples', undefined],
    ['a directory elsewhere', 'test/render/testdata', undefined],
  ])('the render fixtures of %s', (_, dir, want) => {
    expect(renderFixturesOf(dir)).toBe(want);
  });

  it('renders user/ready with every file of both folders', () => {
    expect(examples.find((e) => e.name === 'user/ready')?.request).toEqual({
      xrPath: 'examples/user/ready/xr.yaml',
      xrStatusPath: 'test/render-fixtures/user/ready/status.yaml',
      observedPath: 'test/render-fixtures/user/ready/observed',
      requiredPaths: [
        'examples/user/ready/prerequisites.yaml',
        'test/render-fixtures/user/ready/required.yaml',
      ],
    });
  });
});
