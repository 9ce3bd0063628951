/**
 * The command line of `npm run render`, laid out as `crossplane render` (v2.2) and `crossplane
 * composition render` (v2.3 on) take theirs: `<xr> [<composition>] [<functions>]` and the same flag
 * names, so a command copied from either works here. The XR may also be an example directory.
 * Parsing only: no files are read here.
 */
import { parseArgs } from 'node:util';
import {
  FLAGS_WITHOUT_MEANING,
  functionAddressFromAnnotations,
  parseDuration,
  UsageError,
} from './cli-values.js';

export { UsageError } from './cli-values.js';

export const USAGE = `Usage: npm run render -- [composition render] <xr.yaml | example dir> [composition.yaml] [functions.yaml] [flags]

Runs the XR's Composition pipeline through function-stackplane over gRPC, as Crossplane does, and
prints the composite resource and the desired composed resources as YAML. An example
(examples/<kind>/<case> or its xr.yaml) renders with its prerequisites.yaml and its render fixtures
in test/render-fixtures/<kind>/<case>/ (status.yaml, observed/, required.yaml); any other XR file
with those files beside it. Flags that name other files win. The XR is checked against its XRD in
apis/xrds first. The arguments and flags are those of \`crossplane render\` (CLI v2.2) and
\`crossplane composition render\` (CLI v2.3 on); a leading \`composition render\` or \`render\` is skipped:

Arguments:
  <xr.yaml | example dir>            the composite resource, or an example directory
  [composition.yaml]                 the Composition (default: the one in compositions/ for the XR's kind)
  [functions.yaml]                   accepted for the CLI's layout; render always runs function-stackplane

Flags:
  -o, --observed-resources <path>    observed composed resources (a YAML file or a directory)
  -e, --required-resources <path>    resources the pipeline may require (a file or a directory; repeatable)
      --extra-resources <path>       the same (the CLI's earlier name)
      --context-files <key=file>     initial pipeline context: key=file pairs (JSON or YAML), comma-separated
      --context-values <key=value>   initial pipeline context: key=value pairs (JSON or YAML); win over files
  -x, --include-full-xr              also print the XR's metadata and spec
  -r, --include-function-results     also print the steps' non-fatal results
  -c, --include-context              also print the pipeline context
      --function-credentials <path>  Secrets that the steps' credentials name (a file or a directory)
  -a, --function-annotations <k=v>   render.crossplane.io/runtime-development-target=<host:port> uses a
                                     running function-stackplane; runtime=Development is the default
      --timeout <duration>           how long the render may take (default 1m)
      --verbose                      say on stderr which files the render reads
      --xrd <file>                   check the XR against this XRD instead of the one in apis/xrds
      --composition <file>           the Composition, as a flag
      --function-address <host:port> use a running function-stackplane (default: start one on loopback)
  -h, --help                         show this help

--observed, --required and --include-results are accepted as earlier names. -s/--required-schemas,
--crossplane-version, --crossplane-image, --crossplane-binary, --project-file, --cache-dir,
--max-concurrency and --config are the CLI's, but have no meaning here: each says why.`;

/** The command line, parsed. */
export interface RenderCommand {
  help: boolean;
  target: string;
  compositionPath?: string;
  functionsPath?: string;
  observedPath?: string;
  requiredPaths: string[];
  contextFiles: Record<string, string>;
  contextValues: Record<string, string>;
  includeFullXr: boolean;
  includeResults: boolean;
  includeContext: boolean;
  xrdPath?: string;
  functionAddress?: string;
  credentialsPaths: string[];
  timeoutMs?: number;
  verbose: boolean;
}

const OPTIONS = {
  'observed-resources': { type: 'string', short: 'o' },
  observed: { type: 'string' },
  'required-resources': { type: 'string', short: 'e', multiple: true },
  'extra-resources': { type: 'string', multiple: true },
  required: { type: 'string', multiple: true },
  'context-files': { type: 'string', multiple: true },
  'context-values': { type: 'string', multiple: true },
  'include-full-xr': { type: 'boolean', short: 'x' },
  'include-function-results': { type: 'boolean', short: 'r' },
  'include-results': { type: 'boolean' },
  'include-context': { type: 'boolean', short: 'c' },
  xrd: { type: 'string' },
  composition: { type: 'string' },
  'function-address': { type: 'string' },
  'function-credentials': { type: 'string', multiple: true },
  'function-annotations': { type: 'string', short: 'a', multiple: true },
  timeout: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'required-schemas': { type: 'string', short: 's' },
  'crossplane-version': { type: 'string' },
  'crossplane-image': { type: 'string' },
  'crossplane-binary': { type: 'string' },
  'project-file': { type: 'string', short: 'f' },
  'cache-dir': { type: 'string' },
  'max-concurrency': { type: 'string' },
  config: { type: 'string' },
} as const;

/** The words of `crossplane composition render` and `crossplane render` before the XR. */
const SUBCOMMANDS = [['composition', 'render'], ['render']];

/** key=value pairs of every occurrence of a flag, comma-separated as kong's maps are. */
function pairs(flag: string, values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (values ?? []).flatMap((v) => v.split(','))) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`cannot parse --${flag} "${pair}": use key=value`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** argv parsed by node:util, each parse error as one line. */
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(`unknown flag ${unknown[1]}; see npm run render -- --help`);
    const missing = /Option '(?:-\w, )?(--[\w-]+)/.exec(message);
    if (missing) throw new UsageError(`${missing[1]} needs a value; see npm run render -- --help`);
    throw new UsageError(`cannot parse the command line: ${message}`);
  }
}

/** The CLI's arguments after any `composition render` or `render` words. */
function cliArguments(positionals: string[], help: boolean, composition: string | undefined) {
  const words = SUBCOMMANDS.find((w) => w.every((word, i) => positionals[i] === word));
  const args = positionals.slice(words?.length ?? 0);
  if (args.length > 3) {
    throw new UsageError(
      `expected at most 3 arguments (<xr.yaml | example dir> [composition.yaml] [functions.yaml]), got ${args.length}: ${args.join(' ')}`,
    );
  }
  const [target, compositionArg, functionsPath] = args;
  if (target === undefined && !help) {
    throw new UsageError(
      'missing the XR: pass an XR file or an example directory, e.g. examples/postgres/aws',
    );
  }
  if (compositionArg !== undefined && composition !== undefined) {
    throw new UsageError(`cannot use both the argument ${compositionArg} and --composition ${composition}`);
  }
  return { target: target ?? '', compositionPath: compositionArg ?? composition, functionsPath };
}

/** --function-address, or the development target of -a; the two must agree. */
function functionAddressOf(values: Values): string | undefined {
  const annotated = functionAddressFromAnnotations(values['function-annotations'] ?? []);
  const address = values['function-address'];
  if (annotated !== undefined && address !== undefined && annotated !== address) {
    throw new UsageError(
      `cannot use both --function-address ${address} and -a render.crossplane.io/runtime-development-target=${annotated}`,
    );
  }
  return address ?? annotated;
}

/** Parses argv; throws UsageError with one line to print. */
export function parseRenderCommand(argv: string[]): RenderCommand {
  const { values, positionals } = parseFlags(argv);
  for (const [flag, why] of Object.entries(FLAGS_WITHOUT_MEANING)) {
    if (values[flag as keyof Values] !== undefined)
      throw new UsageError(`--${flag} has no meaning here: ${why}`);
  }
  const help = values.help ?? false;
  const { target, compositionPath, functionsPath } = cliArguments(positionals, help, values.composition);
  const observedPath = values['observed-resources'] ?? values.observed;
  const functionAddress = functionAddressOf(values);
  return {
    help,
    target,
    ...(compositionPath === undefined ? {} : { compositionPath }),
    ...(functionsPath === undefined ? {} : { functionsPath }),
    ...(observedPath === undefined ? {} : { observedPath }),
    requiredPaths: [
      ...(values['required-resources'] ?? []),
      ...(values['extra-resources'] ?? []),
      ...(values.required ?? []),
    ],
    contextFiles: pairs('context-files', values['context-files']),
    contextValues: pairs('context-values', values['context-values']),
    includeFullXr: values['include-full-xr'] ?? false,
    includeResults: values['include-function-results'] ?? values['include-results'] ?? false,
    includeContext: values['include-context'] ?? false,
    ...(values.xrd === undefined ? {} : { xrdPath: values.xrd }),
    ...(functionAddress === undefined ? {} : { functionAddress }),
    credentialsPaths: values['function-credentials'] ?? [],
    ...(values.timeout === undefined ? {} : { timeoutMs: parseDuration('timeout', values.timeout) }),
    verbose: values.verbose ?? false,
  };
}
