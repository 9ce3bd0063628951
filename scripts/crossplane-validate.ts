/**
 * `crossplane beta validate` (`crossplane resource validate` from CLI v2.3 on) over what Stackplane
 * defines and what a user applies, offline. The schemas: the generated XRDs, the function's input
 * CRDs, provider-stackplane's CRDs, and Crossplane's own CRDs (Composition, XRD, EnvironmentConfig,
 * Function, ...) from the Go module of the pinned crossplane version. Validated: the examples, the
 * packages' examples, the Compositions, the XRDs and the RBAC ClusterRoles.
 *
 * Not validated here: the provider kinds the Compositions compose (provider-upjet-aws,
 * provider-openstack, provider-sql, provider-kubernetes, ...). No applyable manifest holds them; they
 * appear only in rendered output, which test/render/crossplane-cli.test.ts validates against the
 * schemas of test/schemas (their published CRDs cannot be fetched offline).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The schemas Stackplane generates. */
export const STACKPLANE_SCHEMAS = ['apis/xrds', 'package/function/input', 'package/provider/crds'] as const;

/** What a user or a platform applies, and the package contents Crossplane's own CRDs describe. */
export const APPLYABLE = [
  'examples',
  'package/function/examples',
  'package/provider/examples',
  'compositions',
  'apis/xrds',
  'package/rbac',
] as const;

/** Stands in for the Crossplane image validate would otherwise download: an empty cached package. */
const OFFLINE_IMAGE = 'stackplane.local/offline:v1';

export interface ValidateRun {
  /** The CLI's exit code. */
  code: number;
  /** Its standard output and error. */
  output: string;
}

const commands = new Map<string, Promise<string[]>>();

/** `resource validate` for a CLI of v2.3 or later (github.com/crossplane/cli), else `beta validate`. */
export function validateCommand(cli: string): Promise<string[]> {
  let command = commands.get(cli);
  if (!command) {
    command = run(cli, ['resource', 'validate', '--help']).then(
      () => ['resource', 'validate'],
      () => ['beta', 'validate'],
    );
    commands.set(cli, command);
  }
  return command;
}

/** Runs the CLI's validate over resources with the schemas of extensions, never downloading. */
export async function crossplaneValidate(
  cli: string,
  extensions: readonly string[],
  resources: readonly string[],
  cacheDir: string,
): Promise<ValidateRun> {
  const [repository, tag] = OFFLINE_IMAGE.split(':');
  await mkdir(join(cacheDir, `${repository}@${tag}`), { recursive: true });
  await writeFile(join(cacheDir, `${repository}@${tag}`, 'package.yaml'), '');
  const args = [
    ...(await validateCommand(cli)),
    extensions.join(','),
    resources.join(','),
    '--cache-dir',
    cacheDir,
    '--crossplane-image',
    OFFLINE_IMAGE,
    '--skip-success-results',
  ];
  try {
    const { stdout, stderr } = await run(cli, args, { maxBuffer: 1 << 26 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** `apiVersion/kind` of each "[!] could not find CRD/XRD for: group/version, Kind=Kind" line. */
export function missingSchemas(output: string): string[] {
  const missing = output.matchAll(/could not find CRD\/XRD for: (\S+), Kind=(\S+)/g);
  return [
    ...new Set([...missing].map(([, apiVersion, kind]) => `${apiVersion!.replace(/^\//, '')}/${kind!}`)),
  ];
}

/** The "[x] ..." lines: each a resource that does not match its schema. */
export function validationFailures(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('[x]'));
}

/**
 * Whether `apiVersion/kind` is a Kubernetes built-in kind, which has no CRD: the core group (`v1`),
 * the unqualified groups (`apps`, `batch`) and `*.k8s.io`.
 */
export function isBuiltInKind(key: string): boolean {
  const group = key.split('/').length > 2 ? key.split('/')[0]! : '';
  return !group.includes('.') || group.endsWith('.k8s.io');
}
