// npm run demo [-- -o wide]: renders every example through the Composition pipeline and
// function-stackplane over gRPC, one line each; -o wide prints the readiness reasons uncut.
import { parseArgs } from 'node:util';
import { discoverExamples } from '../render/examples.js';
import { startLocalFunction } from '../render/grpc.js';
import type { RenderOutputs } from '../render/pipeline.js';
import { renderFiles } from '../render/render.js';
import { formatTable, TERMINAL_WIDTH } from '../render/table.js';

let wide = false;
try {
  const { values } = parseArgs({ options: { output: { type: 'string', short: 'o' } } });
  if (values.output !== undefined && values.output !== 'wide') {
    throw new Error(`unknown output format "${values.output}": use -o wide`);
  }
  wide = values.output === 'wide';
} catch (error) {
  console.error(`demo: ${(error as Error).message.split('\n')[0]}`);
  process.exit(2);
}

const fn = await startLocalFunction();
const rows: string[][] = [['EXAMPLE', 'RESOURCES', 'WARNINGS', 'READY']];
let failures = 0;
try {
  for (const example of await discoverExamples()) {
    try {
      const out = await renderFiles({ ...example.request, functionAddress: fn.address });
      rows.push([example.name, String(out.composed.length), String(warnings(out)), readiness(out)]);
    } catch (error) {
      failures++;
      rows.push([example.name, '-', '-', `ERROR: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }
} finally {
  await fn.stop();
}

for (const line of formatTable(rows, wide ? undefined : TERMINAL_WIDTH)) console.log(line);
console.log(
  `\n${rows.length - 1} examples rendered through function-stackplane over gRPC, ${failures} failed`,
);
process.exit(failures > 0 ? 1 : 0);

function readiness(out: RenderOutputs): string {
  const status = out.xr['status'] as {
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
  const conditions = status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return 'True';
  // Say what it waits for: Crossplane's message, else the first of the step's own conditions not yet True.
  const waiting = conditions.find((c) => c.type !== 'Ready' && c.status !== 'True');
  const why = ready?.message ?? (waiting ? `${waiting.type}: ${waiting.reason}` : ready?.reason);
  return `False (${why ?? 'unknown'})`;
}

function warnings(out: RenderOutputs): number {
  return out.results.filter((r) => r.severity === 'SEVERITY_WARNING').length;
}
