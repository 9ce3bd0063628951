// `crossplane beta validate` over what Stackplane defines and a user applies passes with no failure,
// and only Kubernetes built-in kinds lack a schema; those are checked with kubernetes-models here.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifestPath } from '../../render/manifests.js';
import { crossplaneCrdsDir } from '../../scripts/crossplane-module.js';
import {
  APPLYABLE,
  crossplaneValidate,
  isBuiltInKind,
  missingSchemas,
  STACKPLANE_SCHEMAS,
  validationFailures,
} from '../../scripts/crossplane-validate.js';
import { CORE_KIND_MODELS, kindKey } from '../support/core-kinds.js';
import { cliRequired, findCrossplaneCli } from '../support/crossplane-cli.js';

const run = promisify(execFile);
const cli = findCrossplaneCli();
const crds = cli ? await crossplaneCrdsDir().catch((error: unknown) => error as Error) : undefined;
const why = !cli
  ? 'the crossplane CLI is not installed (bash scripts/install-crossplane-cli.sh builds it)'
  : crds instanceof Error
    ? `cannot read Crossplane's CRDs from the Go module cache: ${crds.message}`
    : undefined;
if (why) {
  if (cliRequired) throw new Error(`STACKPLANE_REQUIRE_CROSSPLANE_CLI=1 but ${why}`);
  console.warn(`\n*** SKIPPING crossplane beta validate tests: ${why} ***\n`);
}

let work: string;
const schemas = () => [...STACKPLANE_SCHEMAS, crds as string];

describe.skipIf(why !== undefined)('crossplane beta validate', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stackplane-validate-'));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('passes over the examples, packages, Compositions and XRDs; only built-in kinds lack a schema', async () => {
    const { code, output } = await crossplaneValidate(cli!, schemas(), APPLYABLE, join(work, 'cache'));
    expect({
      code,
      failures: validationFailures(output),
      withoutSchema: missingSchemas(output).filter((kind) => !isBuiltInKind(kind)),
    }).toEqual({ code: 0, failures: [], withoutSchema: [] });
    expect(output).toMatch(/Total \d+ resources: \d+ missing schemas, \d+ success cases, 0 failure cases/);
  });

  it('leaves no built-in kind unchecked: each validates with kubernetes-models', async () => {
    const objects = (
      await Promise.all(APPLYABLE.map((path) => readManifestPath(path).catch(() => [])))
    ).flat();
    const unchecked: string[] = [];
    for (const object of objects) {
      const key = kindKey(String(object['apiVersion']), String(object['kind']));
      if (!isBuiltInKind(key) || key === 'apiextensions.k8s.io/v1/CustomResourceDefinition') continue;
      const Model = CORE_KIND_MODELS[key];
      if (!Model) unchecked.push(key);
      else expect(() => new Model(object as never).validate(), key).not.toThrow();
    }
    expect(unchecked).toEqual([]);
  });

  it.each([
    [
      'a misspelled field',
      (xr: string) => xr.replace('  tier: production', '  tierr: production'),
      'spec.tierr: Invalid value: "tierr": unknown field: "tierr"',
    ],
    [
      'a value the XRD does not allow',
      (xr: string) => xr.replace('  type: managed', '  type: Managed_DB'),
      'spec.type: Invalid value: "Managed_DB": spec.type in body should match',
    ],
  ])('fails on an example with %s, naming the field', async (_, edit, want) => {
    const file = join(work, 'edited.yaml');
    await writeFile(file, edit(await readFile('examples/postgres/aws/xr.yaml', 'utf8')));
    const { code, output } = await crossplaneValidate(cli!, schemas(), [file], join(work, 'cache'));
    expect(code).not.toBe(0);
    expect(validationFailures(output).join('\n')).toContain(want);
  });

  it('npm run validate runs the same check and says so in its last line', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/validate.ts', cli!], {
      maxBuffer: 1 << 24,
    });
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^Total \d+ resources: \d+ missing schemas, \d+ success cases, 0 failure cases$/,
    );
  });
});
