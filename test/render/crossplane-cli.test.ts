// The same examples through the real `crossplane` CLI: render must agree with npm run render, the
// output must validate against the generated XRDs, and the packages must build.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { crossplaneValidate, missingSchemas, STACKPLANE_SCHEMAS } from '../../scripts/crossplane-validate.js';
import { buildPackage, type PackageName } from '../../scripts/packages.js';
import { discoverExamples } from '../../render/examples.js';
import { formatOutputs } from '../../render/format.js';
import { startLocalFunction, type LocalFunction } from '../../render/grpc.js';
import { readManifests } from '../../render/manifests.js';
import { readRenderXr, renderFiles } from '../../render/render.js';
import { CORE_KIND_MODELS } from '../support/core-kinds.js';
import { cliRequired, findCrossplaneCli } from '../support/crossplane-cli.js';

const run = promisify(execFile);
const cli = findCrossplaneCli();
if (!cli) {
  const why = 'the crossplane CLI is not installed (bash scripts/install-crossplane-cli.sh builds it)';
  if (cliRequired) throw new Error(`STACKPLANE_REQUIRE_CROSSPLANE_CLI=1 but ${why}`);
  console.warn(`\n*** SKIPPING crossplane CLI tests: ${why} ***\n`);
}

const examples = await discoverExamples();
const docs = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as unknown)
    .filter((d) => d !== null);
/** `kind/name` of every object in a YAML stream. */
const objectsIn = (yaml: string) =>
  (docs(yaml) as Array<{ kind: string; metadata: { name: string } }>).map(
    (o) => `${o.kind}/${o.metadata.name}`,
  );

/** The YAML files of a package's layers by path: `package.yaml` and `.up/examples.yaml`. */
async function packageLayers(xpkg: string, dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  await run('tar', ['-xf', xpkg, '-C', dir]);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Array<{
    Layers: string[];
  }>;
  const out: Record<string, string> = {};
  for (const layer of manifest[0]?.Layers ?? []) {
    const { stdout } = await run('tar', ['-tzf', join(dir, layer)], { maxBuffer: 1 << 26 });
    const files = stdout.split('\n').filter((f) => f.endsWith('.yaml'));
    for (const file of files) {
      const { stdout: text } = await run('tar', ['-xzOf', join(dir, layer), file], { maxBuffer: 1 << 26 });
      out[file] = text;
    }
  }
  return out;
}

let fn: LocalFunction;
let work: string;
let cache: string;

/** The Composition file in compositions/ for an example's XR. */
async function compositionFileFor(xrPath: string): Promise<string> {
  const [xr] = await readManifests(xrPath);
  for (const file of (await readdir('compositions')).sort()) {
    const [composition] = await readManifests(join('compositions', file));
    const ref = (composition?.['spec'] as { compositeTypeRef?: { apiVersion: string; kind: string } })
      .compositeTypeRef;
    if (ref?.apiVersion === xr?.['apiVersion'] && ref?.kind === xr?.['kind'])
      return join('compositions', file);
  }
  throw new Error(`no Composition in compositions/ for ${xrPath}`);
}

async function crossplaneRender(example: (typeof examples)[number], ...flags: string[]): Promise<string> {
  const { observedPath, requiredPaths } = example.request;
  const file = (suffix: string) => join(work, `${example.name.replaceAll('/', '-')}-${suffix}.yaml`);
  let xrPath = example.request.xrPath;
  if (example.request.xrStatusPath) {
    // The CLI renders the XR file as it is: the example's XR with its render fixture's status.
    xrPath = file('xr');
    await writeFile(xrPath, stringify(await readRenderXr(example.request)));
  }
  const args = ['render', xrPath, await compositionFileFor(xrPath), 'examples/functions.yaml'];
  if (observedPath) args.push('--observed-resources', observedPath);
  if (requiredPaths.length > 0) {
    // The CLI takes one --required-resources: the example's prerequisites and its fixtures, joined.
    const required = file('required');
    const texts = await Promise.all(requiredPaths.map((path) => readFile(path, 'utf8')));
    await writeFile(required, texts.join('\n---\n'));
    args.push('--required-resources', required);
  }
  args.push('-a', `render.crossplane.io/runtime-development-target=${fn.address}`, ...flags);
  const { stdout } = await run(cli!, args);
  return stdout;
}

/** `crossplane beta validate` offline, with the provider schemas of test/schemas. */
async function validate(resources: string): Promise<{ ok: boolean; output: string }> {
  const { code, output } = await crossplaneValidate(
    cli!,
    [...STACKPLANE_SCHEMAS, 'test/schemas'],
    [resources],
    cache,
  );
  return { ok: code === 0, output };
}

describe.skipIf(!cli)('the crossplane CLI', () => {
  beforeAll(async () => {
    fn = await startLocalFunction();
    work = await mkdtemp(join(tmpdir(), 'stackplane-cli-'));
    cache = join(work, 'cache');
  });
  afterAll(async () => {
    await fn?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.each(examples.map((e) => [e.name, e] as const))(
    'crossplane render agrees with npm run render: %s',
    async (_name, example) => {
      const theirs = docs(await crossplaneRender(example, '--include-function-results'));
      const ours = docs(
        formatOutputs(await renderFiles({ ...example.request, functionAddress: fn.address }), {
          includeResults: true,
        }),
      );
      expect(ours).toEqual(theirs);
    },
  );

  it.each(examples.map((e) => [e.name, e] as const))(
    'rendered output validates: %s',
    async (name, example) => {
      const file = join(work, `${name.replaceAll('/', '-')}.yaml`);
      await writeFile(file, await crossplaneRender(example, '--include-full-xr'));
      const { ok, output } = await validate(file);
      // Built-in kinds have no CRD; the golden render test validates them with kubernetes-models.
      // Every other kind must have a schema here.
      expect(missingSchemas(output).filter((kind) => !(kind in CORE_KIND_MODELS))).toEqual([]);
      expect(ok, output).toBe(true);
    },
  );

  it('validation rejects a StorageTenant the XRD does not allow', async () => {
    const file = join(work, 'bad.yaml');
    await writeFile(
      file,
      'apiVersion: storage.stackplane.io/v1alpha1\nkind: StorageTenant\nmetadata: {name: bad}\n' +
        'spec: {projectID: p, storageClasses: [{name: gold, replicas: 7, reclaimPolicy: Recycle}]}\n',
    );
    const { ok, output } = await validate(file);
    expect(ok).toBe(false);
    expect(output).toContain('spec.storageClasses[0].replicas');
    expect(output).toContain('spec.storageClasses[0].reclaimPolicy');
  });

  it('validation rejects a Project the reseller API would refuse', async () => {
    const file = join(work, 'bad-project.yaml');
    await writeFile(
      file,
      'apiVersion: reseller.stackplane.io/v1alpha1\nkind: Project\nmetadata: {name: bad, namespace: team}\n' +
        "spec: {region: prod1, description: 'two  spaces!', quotas: {compute: {instances: 1, key_pairs: 1, metadata_items: 1, server_groups: 1, cores: 501}}}\n",
    );
    const { ok, output } = await validate(file);
    expect(ok).toBe(false);
    expect(output).toContain('spec.description');
    expect(output).toContain('spec.quotas.compute.cores');
  });

  it.each([
    [
      'configuration-stackplane-openstack',
      [
        'Configuration/configuration-stackplane-openstack',
        'CompositeResourceDefinition/storagetenants.storage.stackplane.io',
        'Composition/storagetenants.storage.stackplane.io',
        'Composition/projects.reseller.stackplane.io',
        'Composition/placementapis.openstack.stackplane.io',
      ],
      ['StorageTenant/tenant-a', 'PlacementAPI/placement'],
    ],
    [
      'configuration-stackplane-data',
      [
        'Configuration/configuration-stackplane-data',
        'CompositeResourceDefinition/postgres.data.stackplane.io',
        'Composition/redissnapshots.data.stackplane.io',
      ],
      ['Postgres/orders'],
    ],
    [
      'function-stackplane',
      ['Function/function-stackplane', 'CustomResourceDefinition/storageclasses.fn.stackplane.io'],
      ['Function/stackplane-function-stackplane', 'Composition/storagetenants.storage.stackplane.io'],
    ],
    [
      'provider-stackplane',
      [
        'Provider/provider-stackplane',
        'CustomResourceDefinition/projects.reseller.m.stackplane.io',
        'CustomResourceDefinition/tokens.storage.m.stackplane.io',
        'CustomResourceDefinition/clusterproviderconfigs.m.stackplane.io',
      ],
      ['ClusterProviderConfig/prod1', 'Project/web'],
    ],
  ] as const)('builds %s with its contents and examples', async (name, want, wantExamples) => {
    const xpkg = await buildPackage(cli!, name, join(work, 'output'));
    const layers = await packageLayers(xpkg, join(work, `image-${name}`));
    const contents = objectsIn(layers['package.yaml'] ?? '');
    expect(contents[0]).toBe(want[0]);
    expect(contents).toEqual(expect.arrayContaining([...want]));
    expect(objectsIn(layers['.up/examples.yaml'] ?? '')).toEqual(expect.arrayContaining([...wantExamples]));
  });

  it('splits the Compositions so each Configuration carries only its own groups', async () => {
    const groups = async (name: PackageName) => {
      const xpkg = await buildPackage(cli!, name, join(work, 'split'));
      const layers = await packageLayers(xpkg, join(work, `split-${name}`));
      return new Set(
        (
          docs(layers['package.yaml'] ?? '') as Array<{
            kind: string;
            spec: { group?: string; compositeTypeRef?: { apiVersion: string } };
          }>
        )
          .filter((o) => o.kind === 'CompositeResourceDefinition' || o.kind === 'Composition')
          .map((o) => o.spec.group ?? o.spec.compositeTypeRef!.apiVersion.split('/')[0]),
      );
    };
    expect([...(await groups('configuration-stackplane-openstack'))].sort()).toEqual([
      'openstack.stackplane.io',
      'reseller.stackplane.io',
      'storage.stackplane.io',
    ]);
    expect([...(await groups('configuration-stackplane-data'))]).toEqual(['data.stackplane.io']);
  });
});
