// npm run validate [-- <crossplane CLI>]: `crossplane beta validate` (v2.3 on: `crossplane resource
// validate`) over the examples, packages, Compositions and XRDs against Stackplane's schemas and
// Crossplane's own, offline; see scripts/crossplane-validate.ts for what is covered and what is not.
// Fails on any validation failure and on any kind other than a Kubernetes built-in without a schema.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossplaneCrdsDir } from './crossplane-module.js';
import {
  APPLYABLE,
  crossplaneValidate,
  isBuiltInKind,
  missingSchemas,
  STACKPLANE_SCHEMAS,
  validationFailures,
} from './crossplane-validate.js';

const cli = process.argv[2] ?? process.env['CROSSPLANE_CLI'] ?? 'crossplane';
const cache = await mkdtemp(join(tmpdir(), 'stackplane-validate-'));
try {
  const crds = await crossplaneCrdsDir().catch((error: unknown) => {
    console.error(`validate: cannot find Crossplane's CRDs: ${(error as Error).message}`);
    process.exit(1);
  });
  const { code, output } = await crossplaneValidate(cli, [...STACKPLANE_SCHEMAS, crds], APPLYABLE, cache);
  process.stdout.write(output);
  const unknown = missingSchemas(output).filter((kind) => !isBuiltInKind(kind));
  if (unknown.length > 0) console.error(`validate: no schema for ${unknown.join(', ')}`);
  const failures = validationFailures(output).length;
  if (code !== 0 || failures > 0 || unknown.length > 0) {
    console.error(
      `validate: ${failures} failures, ${unknown.length} kinds without a schema (exit code ${code})`,
    );
    process.exitCode = 1;
  }
} finally {
  await rm(cache, { recursive: true, force: true });
}
