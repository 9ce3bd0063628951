// npm run render -- <xr.yaml | example dir> [composition.yaml] [functions.yaml] [flags]: see render/cli.ts.
import { readFile, stat } from 'node:fs/promises';
import { parse } from 'yaml';
import { parseRenderCommand, USAGE, UsageError, type RenderCommand } from '../render/cli.js';
import { formatOutputs } from '../render/format.js';
import { resolveRenderPaths } from '../render/inputs.js';
import { FatalResultError } from '../render/pipeline.js';
import { renderFiles } from '../render/render.js';

let command: RenderCommand;
try {
  command = parseRenderCommand(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`render: ${error.message}`);
  process.exit(2);
}
if (command.help) {
  console.log(USAGE);
  process.exit(0);
}

/** The pipeline's initial context: each file's value, then each value (which wins), by key. */
async function initialContext(): Promise<Record<string, unknown> | undefined> {
  const context: Record<string, unknown> = {};
  for (const [key, file] of Object.entries(command.contextFiles)) {
    context[key] = parse(
      await readFile(file, 'utf8').catch((error: unknown) => {
        throw new Error(`cannot read --context-files ${key}=${file}: ${(error as Error).message}`, {
          cause: error,
        });
      }),
    ) as unknown;
  }
  for (const [key, value] of Object.entries(command.contextValues)) context[key] = parse(value) as unknown;
  return Object.keys(context).length > 0 ? context : undefined;
}

try {
  if (command.functionsPath !== undefined) {
    await stat(command.functionsPath).catch(() => {
      throw new Error(`cannot read ${command.functionsPath}: no such file or directory`);
    });
  }
  const paths = await resolveRenderPaths(command.target, {
    ...(command.observedPath === undefined ? {} : { observedPath: command.observedPath }),
    requiredPaths: command.requiredPaths,
  });
  const context = await initialContext();
  if (command.verbose) {
    const files = [
      ['XR', paths.xrPath],
      ['XR status', paths.xrStatusPath],
      ['observed resources', paths.observedPath],
      ['required resources', paths.requiredPaths.join(', ') || undefined],
      ['Composition', command.compositionPath ?? 'the one in compositions/ for its kind'],
      ['function credentials', command.credentialsPaths.join(', ') || undefined],
    ];
    for (const [what, where] of files) if (where) console.error(`render: ${what}: ${where}`);
  }
  const outputs = await renderFiles({
    ...paths,
    credentialsPaths: command.credentialsPaths,
    ...(command.timeoutMs === undefined ? {} : { timeoutMs: command.timeoutMs }),
    ...(command.compositionPath ? { compositionPath: command.compositionPath } : {}),
    ...(command.functionAddress ? { functionAddress: command.functionAddress } : {}),
    ...(command.xrdPath ? { xrdPath: command.xrdPath } : {}),
    ...(context ? { context } : {}),
    includeFullXr: command.includeFullXr,
  });
  process.stdout.write(
    formatOutputs(outputs, {
      includeResults: command.includeResults,
      includeContext: command.includeContext,
    }),
  );
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`render: ${message}`);
  if (error instanceof FatalResultError) {
    for (const c of error.conditions.filter((c) => c.status !== 'True')) {
      console.error(`  condition ${c.type}=${c.status} (${c.reason}): ${c.message ?? ''}`);
    }
    if (error.unmetRequirements.length > 0) {
      console.error(
        `render: the pipeline asked for ${error.unmetRequirements.join(', ')}, which no file supplied: ` +
          'pass them with --required-resources <file or directory> (an example keeps them in its ' +
          'prerequisites.yaml and test/render-fixtures/<kind>/<case>/required.yaml)',
      );
    }
  }
  process.exit(1);
}
