// npm run render -- <xr.yaml> [--observed <dir|file>] [--required <dir|file>] [options]
import { parseArgs } from 'node:util';
import { formatOutputs } from '../render/format.js';
import { FatalResultError } from '../render/pipeline.js';
import { renderFiles } from '../render/render.js';

const usage = `Usage: npm run render -- <xr.yaml> [flags]

Runs the XR's Composition pipeline through function-stackplane over gRPC, as Crossplane does, and
prints the composite resource and the desired composed resources as YAML.

Flags:
  -o, --observed <path>        observed composed resources (a YAML file or a directory)
  -e, --required <path>        resources the pipeline may require (a YAML file or a directory)
      --composition <file>     the Composition to use (default: the one in compositions/ for the XR's kind)
      --function-address <a>   host:port of a running function-stackplane (default: start one on loopback)
  -r, --include-results        also print the steps' non-fatal results
  -c, --include-context        also print the pipeline context
  -h, --help                   show this help`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    observed: { type: 'string', short: 'o' },
    required: { type: 'string', short: 'e' },
    composition: { type: 'string' },
    'function-address': { type: 'string' },
    'include-results': { type: 'boolean', short: 'r' },
    'include-context': { type: 'boolean', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  },
});

const xrPath = positionals[0];
if (values.help || !xrPath || positionals.length > 1) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

try {
  const outputs = await renderFiles({
    xrPath,
    ...(values.observed ? { observedPath: values.observed } : {}),
    ...(values.required ? { requiredPath: values.required } : {}),
    ...(values.composition ? { compositionPath: values.composition } : {}),
    ...(values['function-address'] ? { functionAddress: values['function-address'] } : {}),
  });
  process.stdout.write(
    formatOutputs(outputs, {
      includeResults: values['include-results'] ?? false,
      includeContext: values['include-context'] ?? false,
    }),
  );
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`render: ${message}`);
  if (error instanceof FatalResultError) {
    for (const c of error.conditions.filter((c) => c.status !== 'True')) {
      console.error(`  condition ${c.type}=${c.status} (${c.reason}): ${c.message ?? ''}`);
    }
  }
  process.exit(1);
}
