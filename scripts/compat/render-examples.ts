// Renders examples with the render pipeline of the tree it runs in (its cwd), for npm run
// check:compat. Run in a release's tree it discovers that tree's examples; run in the working tree it
// renders the same requests, so both sides render the same XRs, as an upgrade reconciles them.
//
//   node --import tsx scripts/compat/render-examples.ts <out.json> [<requests.json>]
//
// check:compat copies this file into the release's tree: it uses only discoverExamples, renderFiles
// and startLocalFunction, which every release has.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { discoverExamples } from '../../render/examples.js';
import { startLocalFunction } from '../../render/grpc.js';
import { renderFiles, type RenderRequest } from '../../render/render.js';
import type { ExampleRender } from './identity.js';

const [out, requestsFile] = process.argv.slice(2);
if (!out) throw new Error('usage: render-examples.ts <out.json> [<requests.json>]');

/**
 * A request as any release writes it: one `requiredPath` up to v0.1.0; `requiredPaths` (the example's
 * prerequisites and its render fixtures) and `xrStatusPath` since. Both spellings are kept, so the
 * same request renders the same inputs in a release's tree and in the working tree.
 */
type AnyRequest = RenderRequest & { requiredPath?: string; requiredPaths?: string[]; xrStatusPath?: string };

const absolute = (request: AnyRequest): RenderRequest => {
  const required = [
    ...(request.requiredPaths ?? []),
    ...(request.requiredPath ? [request.requiredPath] : []),
  ];
  const unique = [...new Set(required.map((path) => resolve(path)))];
  return {
    xrPath: resolve(request.xrPath),
    ...(request.observedPath ? { observedPath: resolve(request.observedPath) } : {}),
    ...(request.xrStatusPath ? { xrStatusPath: resolve(request.xrStatusPath) } : {}),
    ...(unique.length > 0 ? { requiredPaths: unique, requiredPath: unique[0] } : {}),
  } as RenderRequest;
};

const examples: Array<{ name: string; request: RenderRequest }> = requestsFile
  ? (JSON.parse(await readFile(requestsFile, 'utf8')) as ExampleRender[]).map((e) => ({
      name: e.name,
      request: absolute(e.request),
    }))
  : (await discoverExamples()).map((e) => ({ name: e.name, request: absolute(e.request) }));

const fn = await startLocalFunction();
const renders: ExampleRender[] = [];
try {
  for (const { name, request } of examples) {
    try {
      const { composed } = await renderFiles({ ...request, functionAddress: fn.address });
      renders.push({ name, request, composed });
    } catch (error) {
      renders.push({ name, request, error: error instanceof Error ? error.message : String(error) });
    }
  }
} finally {
  await fn.stop();
}
await writeFile(out, JSON.stringify(renders));
