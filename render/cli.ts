/**
 * The command line of `npm run render`, laid out as `crossplane render` (v2.2) and `crossplane
 * composition render` (v2.3 on) take theirs: `<xr> [<composition>] [<functions>]` and the same flag
 * names, so a command copied from either works here. The XR may also be an example directory.
 * Parsing only: no files are read here.
 */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run render -- <xr.yaml | example dir> [composition.yaml] [functions.yaml] [flags]

Runs the XR's Composition pipeline through function-stackplane over gRPC, as Crossplane does, and
prints the composite resource and the desired composed resources as YAML. An example
(examples/<kind>/<case> or its xr.yaml) renders with its prerequisites.yaml and its render fixtures
in test/render-fixtures/<kind>/<case>/ (status.yaml, observed/, required.yaml); any other XR file
with those files beside it. Flags that name other files win. The XR is checked against its XRD in
apis/xrds first. The arguments and flags are those of \`crossplane render\`:

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
      --xrd <file>                   check the XR against this XRD instead of the one in apis/xrds
      --composition <file>           the Composition, as a flag
      --function-address <host:port> use a running function-stackplane (default: start one on loopback)
  -h, --help                         show this help

--observed, --required and --include-results are accepted as earlier names.`;

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
}

/** The command line is wrong; the message is the one line to print. */
export class UsageError extends Error {
  override name = 'UsageError';
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
  help: { type: 'boolean', short: 'h' },
} as const;

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

/** Parses argv; throws UsageError with one line to print. */
export function parseRenderCommand(argv: string[]): RenderCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(`unknown flag ${unknown[1]}; see npm run render -- --help`);
    const missing = /Option '(?:-\w, )?(--[\w-]+)/.exec(message);
    if (missing) throw new UsageError(`${missing[1]} needs a value; see npm run render -- --help`);
    throw new UsageError(`cannot parse the command line: ${message}`);
  }
  const { values, positionals } = parsed;
  const help = values.help ?? false;
  if (positionals.length > 3) {
    throw new UsageError(
      `expected at most 3 arguments (<xr.yaml | example dir> [composition.yaml] [functions.yaml]), got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const [target, compositionArg, functionsPath] = positionals;
  if (target === undefined && !help) {
    throw new UsageError(
      'missing the XR: pass an XR file or an example directory, e.g. examples/postgres/aws',
    );
  }
  if (compositionArg !== undefined && values.composition !== undefined) {
    throw new UsageError(
      `cannot use both the argument ${compositionArg} and --composition ${values.composition}`,
    );
  }
  const compositionPath = compositionArg ?? values.composition;
  const observedPath = values['observed-resources'] ?? values.observed;
  return {
    help,
    target: target ?? '',
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
    ...(values['function-address'] === undefined ? {} : { functionAddress: values['function-address'] }),
  };
}
