import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../functions/types.js';
import { parseComposition, selectComposition, type Composition } from './composition.js';
import { GrpcFunctionRunner, startLocalFunction } from './grpc.js';
import { readManifestPath, readManifestPaths, readManifests, readSingleManifest } from './manifests.js';
import { renderPipeline, type RenderOutputs } from './pipeline.js';
import { loadXrds, validateXr } from './xrd.js';

/** The name Compositions use for the function; see examples/functions.yaml. */
export const FUNCTION_NAME = 'stackplane-function-stackplane';

export interface RenderRequest {
  xrPath: string;
  /** A file whose `status` the XR carries from earlier reconciles (an example's render fixture). */
  xrStatusPath?: string;
  observedPath?: string;
  /** Files or directories of resources the pipeline may require (see render/examples.ts). */
  requiredPaths?: string[];
  /** A Composition file; by default the one in compositionsDir matching the XR. */
  compositionPath?: string;
  compositionsDir?: string;
  /** The XRD to check the XR against; by default the one in xrdsDir that defines its kind. */
  xrdPath?: string;
  /** Where the generated XRDs are. Default apis/xrds. */
  xrdsDir?: string;
  /** The pipeline's initial context (--context-files, --context-values). */
  context?: Record<string, unknown>;
  /** Print the input XR's metadata and spec with the rendered status (--include-full-xr). */
  includeFullXr?: boolean;
  /** host:port of a running function; by default one is started on loopback for this render. */
  functionAddress?: string;
  /** Files or directories of Secrets the steps' credentials name (--function-credentials). */
  credentialsPaths?: string[];
  /** How long the whole render may take (--timeout); by default one minute, as the CLI's. */
  timeoutMs?: number;
}

/** The CLI's default --timeout. */
export const DEFAULT_TIMEOUT_MS = 60_000;

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

/** The XR to render: its file, with the status of xrStatusPath in place of its own when given. */
export async function readRenderXr(
  request: Pick<RenderRequest, 'xrPath' | 'xrStatusPath'>,
): Promise<KubeObject> {
  const xr = await readSingleManifest(request.xrPath);
  if (request.xrStatusPath === undefined) return xr;
  const { status } = await readSingleManifest(request.xrStatusPath);
  if (status === null || typeof status !== 'object') {
    throw new Error(`cannot read ${request.xrStatusPath}: it must hold a status: mapping`);
  }
  return { ...xr, status };
}

/** Renders one composite resource through its Composition's pipeline over real gRPC. */
export async function renderFiles(request: RenderRequest): Promise<RenderOutputs> {
  const xr = await readRenderXr(request);
  const xrdPath = request.xrdPath ?? request.xrdsDir ?? 'apis/xrds';
  validateXr(xr, await loadXrds(xrdPath, (await stat(xrdPath)).isDirectory()));
  const composition = request.compositionPath
    ? parseComposition(await readSingleManifest(request.compositionPath))
    : selectComposition(xr, await loadCompositions(request.compositionsDir ?? 'compositions'));
  const observed: KubeObject[] = request.observedPath ? await readManifestPath(request.observedPath) : [];
  const required = await readManifestPaths(request.requiredPaths ?? []);
  const credentials = await readManifestPaths(request.credentialsPaths ?? []);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const local = request.functionAddress ? undefined : await startLocalFunction();
  const runner = new GrpcFunctionRunner(
    { [FUNCTION_NAME]: request.functionAddress ?? local?.address ?? '' },
    timeoutMs,
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`cannot render ${describeXr(xr)}: timed out after ${timeoutMs / 1000}s (--timeout)`),
        ),
      timeoutMs,
    );
  });
  try {
    const rendering = renderPipeline(runner, {
      xr,
      composition,
      observed,
      required,
      credentials,
      ...(request.context ? { context: request.context } : {}),
    });
    const outputs = await Promise.race([rendering, timedOut]);
    return request.includeFullXr ? { ...outputs, xr: withInputFields(xr, outputs.xr) } : outputs;
  } finally {
    clearTimeout(timer);
    runner.close();
    await local?.stop();
  }
}

/** `Kind "name"` of an XR, for messages. */
function describeXr(xr: KubeObject): string {
  return `${String(xr['kind'])} "${String((xr['metadata'] as { name?: string } | undefined)?.name)}"`;
}

/** The rendered XR with the input's metadata and spec, as `crossplane render --include-full-xr` prints it. */
function withInputFields(input: KubeObject, rendered: KubeObject): KubeObject {
  const out: KubeObject = {
    ...rendered,
    metadata: { ...(input['metadata'] as object), ...(rendered['metadata'] as object) },
  };
  if (input['spec'] !== undefined) out['spec'] = input['spec'];
  return out;
}
