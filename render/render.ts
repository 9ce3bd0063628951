import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../functions/types.js';
import { parseComposition, selectComposition, type Composition } from './composition.js';
import { GrpcFunctionRunner, startLocalFunction } from './grpc.js';
import { readManifestPath, readManifests, readSingleManifest } from './manifests.js';
import { renderPipeline, type RenderOutputs } from './pipeline.js';

/** The name Compositions use for the function; see examples/functions.yaml. */
export const FUNCTION_NAME = 'stackplane-function-stackplane';

export interface RenderRequest {
  xrPath: string;
  observedPath?: string;
  requiredPath?: string;
  /** A Composition file; by default the one in compositionsDir matching the XR. */
  compositionPath?: string;
  compositionsDir?: string;
  /** host:port of a running function; by default one is started on loopback for this render. */
  functionAddress?: string;
}

/** Reads every Composition in a directory. */
export async function loadCompositions(dir: string): Promise<Composition[]> {
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const out: Composition[] = [];
  for (const name of names) {
    for (const object of await readManifests(join(dir, name))) {
      if (object['kind'] === 'Composition') out.push(parseComposition(object));
    }
  }
  return out;
}

/** Renders one composite resource through its Composition's pipeline over real gRPC. */
export async function renderFiles(request: RenderRequest): Promise<RenderOutputs> {
  const xr = await readSingleManifest(request.xrPath);
  const composition = request.compositionPath
    ? parseComposition(await readSingleManifest(request.compositionPath))
    : selectComposition(xr, await loadCompositions(request.compositionsDir ?? 'compositions'));
  const observed: KubeObject[] = request.observedPath ? await readManifestPath(request.observedPath) : [];
  const required: KubeObject[] = request.requiredPath ? await readManifestPath(request.requiredPath) : [];

  const local = request.functionAddress ? undefined : await startLocalFunction();
  const runner = new GrpcFunctionRunner({ [FUNCTION_NAME]: request.functionAddress ?? local?.address ?? '' });
  try {
    return await renderPipeline(runner, { xr, composition, observed, required });
  } finally {
    runner.close();
    await local?.stop();
  }
}
