/**
 * The `crossplane render` / `crossplane composition render` flag values that npm run render reads
 * differently from a plain path: Go durations, function annotations, and the flags that have no
 * meaning when the pipeline runs in this checkout rather than in Docker or a Crossplane binary.
 */

/** The command line is wrong; the message is the one line to print. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration (`30s`, `1m`, `1m30s`, `500ms`), as kong parses the CLI's --timeout, in milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
  if (parts.length === 0 || parts.map(([part]) => part).join('') !== value || ms <= 0) {
    throw new UsageError(`cannot parse --${flag} "${value}": use a duration such as 30s, 1m or 1m30s`);
  }
  return ms;
}

const RUNTIME = 'render.crossplane.io/runtime';
const DEVELOPMENT_TARGET = 'render.crossplane.io/runtime-development-target';

/**
 * The function address that -a/--function-annotations give, if any. `runtime=Development` is what
 * npm run render always does; `runtime-development-target` names a running function-stackplane; the
 * Docker annotations have no meaning here.
 */
export function functionAddressFromAnnotations(annotations: readonly string[]): string | undefined {
  let address: string | undefined;
  for (const annotation of annotations) {
    const at = annotation.indexOf('=');
    if (at <= 0) throw new UsageError(`cannot parse --function-annotations "${annotation}": use key=value`);
    const [key, value] = [annotation.slice(0, at), annotation.slice(at + 1)];
    if (key === RUNTIME) {
      if (value !== 'Development') {
        throw new UsageError(
          `-a ${annotation} has no meaning here: npm run render runs function-stackplane from this checkout, never in Docker`,
        );
      }
    } else if (key === DEVELOPMENT_TARGET) {
      address = value.replace(/^dns:\/\/\//, '');
    } else if (key.startsWith(`${RUNTIME}-docker-`)) {
      throw new UsageError(`-a ${key} has no meaning here: npm run render never runs functions in Docker`);
    } else {
      throw new UsageError(
        `unknown function annotation ${key}: npm run render reads only ${RUNTIME} and ${DEVELOPMENT_TARGET}`,
      );
    }
  }
  return address;
}

/** Flags of the CLI that npm run render accepts only to say why they do not apply. */
export const FLAGS_WITHOUT_MEANING: Readonly<Record<string, string>> = {
  'required-schemas': 'function-stackplane asks for no OpenAPI schemas',
  'crossplane-version':
    'npm run render runs the pipeline itself, without a Crossplane image or binary (CLI v2.3 on)',
  'crossplane-image':
    'npm run render runs the pipeline itself, without a Crossplane image or binary (CLI v2.3 on)',
  'crossplane-binary':
    'npm run render runs the pipeline itself, without a Crossplane image or binary (CLI v2.3 on)',
  'project-file': 'Stackplane is not a Crossplane project; pass an XR file or an example directory',
  'cache-dir':
    "it caches a project's embedded functions; npm run render runs function-stackplane from this checkout",
  'max-concurrency':
    "it builds a project's embedded functions; npm run render runs function-stackplane from this checkout",
  config: "it names the crossplane CLI's configuration file, which npm run render does not read",
};
