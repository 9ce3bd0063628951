// `npm run render` as a user runs it: the script in a child process, its exact output and exit code.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { USAGE } from '../../render/cli.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function render(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/render.ts', ...args],
      { encoding: 'utf8', timeout: 170_000, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const golden = readFileSync('test/golden/postgres-aws.yaml', 'utf8');

/** examples/postgres/aws laid out in one directory, as a user's own XR with its state beside it. */
const beside = mkdtempSync(join(tmpdir(), 'stackplane-render-'));
cpSync('examples/postgres/aws/xr.yaml', join(beside, 'xr.yaml'));
cpSync('test/render-fixtures/postgres/aws/status.yaml', join(beside, 'status.yaml'));
cpSync('test/render-fixtures/postgres/aws/observed', join(beside, 'observed'), { recursive: true });
writeFileSync(
  join(beside, 'required.yaml'),
  ['examples/postgres/aws/prerequisites.yaml', 'test/render-fixtures/postgres/aws/required.yaml']
    .map((file) => readFileSync(file, 'utf8'))
    .join('---\n'),
);
afterAll(() => rmSync(beside, { recursive: true, force: true }));
const KINDS =
  'BlobStorage (data.stackplane.io/v1alpha1), BuildingBlock (openstack.stackplane.io/v1alpha1), ' +
  'PlacementAPI (openstack.stackplane.io/v1alpha1), Postgres (data.stackplane.io/v1alpha1), ' +
  'PostgresSnapshot (data.stackplane.io/v1alpha1), Project (reseller.stackplane.io/v1alpha1), ' +
  'Redis (data.stackplane.io/v1alpha1), RedisSnapshot (data.stackplane.io/v1alpha1), ' +
  'SMTPCredentials (data.stackplane.io/v1alpha1), StorageTenant (storage.stackplane.io/v1alpha1), ' +
  'User (reseller.stackplane.io/v1alpha1), UserProjectBinding (reseller.stackplane.io/v1alpha1)';

// Many children start at once on a busy machine: each may take a while to compile and run.
describe.concurrent('npm run render renders what it is pointed at', { timeout: 180_000 }, () => {
  it.each<[string, string[]]>([
    ['an example directory', ['examples/postgres/aws', '-r']],
    ['an example XR file', ['examples/postgres/aws/xr.yaml', '-r']],
    ['an XR file beside its status.yaml, observed/ and required.yaml', [join(beside, 'xr.yaml'), '-r']],
    [
      "the CLI's arguments and long flag names",
      [
        'examples/postgres/aws/xr.yaml',
        'compositions/postgres.yaml',
        'examples/functions.yaml',
        '--observed-resources',
        'test/render-fixtures/postgres/aws/observed',
        '--required-resources',
        'examples/postgres/aws/prerequisites.yaml',
        '--required-resources',
        'test/render-fixtures/postgres/aws/required.yaml',
        '--include-function-results',
      ],
    ],
    [
      "the CLI's short flags and its earlier --extra-resources",
      [
        '-o',
        'test/render-fixtures/postgres/aws/observed',
        '--extra-resources=examples/postgres/aws/prerequisites.yaml',
        '-e',
        'test/render-fixtures/postgres/aws/required.yaml',
        '-r',
        'examples/postgres/aws/xr.yaml',
      ],
    ],
    [
      "CLI v2.3's crossplane composition render, with its timeout and annotation",
      [
        'composition',
        'render',
        'examples/postgres/aws/xr.yaml',
        'compositions/postgres.yaml',
        'examples/functions.yaml',
        '--timeout=2m',
        '-a',
        'render.crossplane.io/runtime=Development',
        '-r',
      ],
    ],
  ])('%s', async (_, args) => {
    expect(await render(...args)).toEqual({ code: 0, stdout: golden, stderr: '' });
  });

  it('--verbose says which files it reads', async () => {
    expect(await render('examples/postgres/aws', '-r', '--verbose')).toEqual({
      code: 0,
      stdout: golden,
      stderr: [
        'render: XR: examples/postgres/aws/xr.yaml',
        'render: XR status: test/render-fixtures/postgres/aws/status.yaml',
        'render: observed resources: test/render-fixtures/postgres/aws/observed',
        'render: required resources: examples/postgres/aws/prerequisites.yaml, test/render-fixtures/postgres/aws/required.yaml',
        'render: Composition: the one in compositions/ for its kind',
        '',
      ].join('\n'),
    });
  });

  it('--include-full-xr prints the XR with its spec', async () => {
    const run = await render('examples/postgres/aws', '--include-full-xr');
    const xr = parseAllDocuments(run.stdout)[0]?.toJS() as { spec: unknown; metadata: { namespace: string } };
    expect({ code: run.code, spec: xr.spec, namespace: xr.metadata.namespace }).toEqual({
      code: 0,
      spec: { type: 'managed', tier: 'production', productName: 'shop' },
      namespace: 'team-a',
    });
  });

  it('--context-files and --context-values start the pipeline with that context', async () => {
    const run = await render(
      'examples/postgres/aws',
      '--include-context',
      '--context-files=example.org/file=test/render/testdata/context.json',
      '--context-values',
      'example.org/value={"b": 2}',
    );
    const context = parseAllDocuments(run.stdout).at(-1)?.toJS() as { kind: string; fields: object };
    expect({ code: run.code, context }).toEqual({
      code: 0,
      context: {
        apiVersion: 'render.crossplane.io/v1beta1',
        kind: 'Context',
        fields: { 'example.org/file': { a: 1 }, 'example.org/value': { b: 2 } },
      },
    });
  });

  it('--help prints the usage', async () => {
    expect(await render('--help')).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
  });
});

describe.concurrent('npm run render says what is wrong in one line', { timeout: 180_000 }, () => {
  it.each<[string, string[], number, string]>([
    [
      'an unknown flag',
      ['examples/postgres/aws', '--observed-resourcez=x'],
      2,
      'render: unknown flag --observed-resourcez; see npm run render -- --help',
    ],
    [
      'a flag without its value',
      ['examples/postgres/aws', '--required-resources'],
      2,
      'render: --required-resources needs a value; see npm run render -- --help',
    ],
    [
      'more arguments than the CLI takes',
      ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml'],
      2,
      'render: expected at most 3 arguments (<xr.yaml | example dir> [composition.yaml] [functions.yaml]), got 4: a.yaml b.yaml c.yaml d.yaml',
    ],
    [
      'no XR',
      [],
      2,
      'render: missing the XR: pass an XR file or an example directory, e.g. examples/postgres/aws',
    ],
    [
      'a path that is not there',
      ['examples/postgres/gcp'],
      1,
      'render: cannot read examples/postgres/gcp: no such file or directory',
    ],
    [
      'an observed path that is not there',
      ['examples/postgres/aws', '-o', 'examples/postgres/aws/seen'],
      1,
      'render: cannot read examples/postgres/aws/seen: no such file or directory',
    ],
    [
      'a directory where a file belongs',
      ['examples/postgres/aws', '--composition', 'compositions'],
      1,
      'render: cannot read compositions: it is a directory; pass a YAML file',
    ],
    [
      'a flag of the CLI without meaning here',
      ['examples/postgres/aws', '-s', 'schemas/'],
      2,
      'render: --required-schemas has no meaning here: function-stackplane asks for no OpenAPI schemas',
    ],
    [
      'function credentials that are not there',
      ['examples/postgres/aws', '--function-credentials', 'creds.yaml'],
      1,
      'render: cannot read creds.yaml: no such file or directory',
    ],
    [
      'a directory of examples',
      ['examples/postgres'],
      1,
      'render: cannot render examples/postgres: it holds the examples adopted, aws, in-cluster, migration; pass one of them, e.g. examples/postgres/adopted',
    ],
    [
      'a typo in a field name',
      ['test/render/testdata/postgres-typo.yaml'],
      1,
      'render: Postgres "orders" does not match the XRD postgres.data.stackplane.io: spec.tierr: unknown field; spec.tier: is required',
    ],
    [
      'a kind no XRD defines',
      ['test/render/testdata/postgres-unknown-kind.yaml'],
      1,
      `render: cannot render Postgress (data.stackplane.io/v1alpha1): no XRD defines it; the kinds are ${KINDS}`,
    ],
    [
      'an --xrd that defines another kind',
      ['examples/postgres/aws', '--xrd', 'apis/xrds/redis.data.stackplane.io.yaml'],
      1,
      'render: cannot render Postgres (data.stackplane.io/v1alpha1): no XRD defines it; the kinds are Redis (data.stackplane.io/v1alpha1)',
    ],
    [
      'required resources that no file supplies',
      ['test/render/testdata/postgres-alone.yaml'],
      1,
      'render: the pipeline asked for Namespace "kube-system" (v1), EnvironmentConfig "stackplane-data" ' +
        '(apiextensions.crossplane.io/v1beta1), which no file supplied: pass them with --required-resources ' +
        '<file or directory> (an example keeps them in its prerequisites.yaml and ' +
        'test/render-fixtures/<kind>/<case>/required.yaml)',
    ],
  ])('%s', async (_, args, code, line) => {
    const run = await render(...args);
    expect({ code: run.code, stdout: run.stdout, last: run.stderr.trimEnd().split('\n').at(-1) }).toEqual({
      code,
      stdout: '',
      last: line,
    });
  });
});
