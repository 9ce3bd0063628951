// Records the table function's table from a control plane whose composites are done: each composite
// runs through its Composition's pipeline in process, on function-stackplane's handler, with what the
// API server holds (the composite, its composed resources, the resources its steps require), and the
// response of each step in that final state is kept with its holes (table.ts).
import type {
  ResourceSelector,
  RunFunctionRequest,
  RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { StackplaneFunction } from '../../functions/handler.js';
import { steps } from '../../functions/steps/index.js';
import type { KubeObject } from '../../functions/types.js';
import { parseComposition, selectComposition, type Composition } from '../../render/composition.js';
import { FatalResultError, renderPipeline } from '../../render/pipeline.js';
import type { Objects } from '../../scripts/control-plane/objects.js';
import { recordEntry, tableKey, type TableEntry } from './table.js';

interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

const refsOf = (xr: KubeObject): Ref[] =>
  ((xr['spec'] as { crossplane?: { resourceRefs?: Ref[] } } | undefined)?.crossplane?.resourceRefs ?? []).map(
    (r) => ({ ...r, namespace: r.namespace ?? (xr['metadata'] as { namespace?: string }).namespace ?? '' }),
  );
const refKey = (r: Ref) => `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
const objectKey = (o: KubeObject) => {
  const meta = o['metadata'] as { name: string; namespace?: string };
  return refKey({ apiVersion: String(o['apiVersion']), kind: String(o['kind']), ...meta });
};

/** Required resources fetched from the API server once per selector. */
class RequiredCache {
  private readonly bySelector = new Map<string, KubeObject[]>();

  constructor(private readonly objects: Objects) {}

  has(selector: ResourceSelector): boolean {
    return this.bySelector.has(JSON.stringify(selector));
  }

  get(selector: ResourceSelector): KubeObject[] {
    return this.bySelector.get(JSON.stringify(selector)) ?? [];
  }

  async fetch(selector: ResourceSelector): Promise<void> {
    const { apiVersion, kind, namespace } = selector;
    let found: KubeObject[];
    if (selector.matchName !== undefined) {
      const one = await this.objects.get(apiVersion, kind, selector.matchName, namespace || undefined);
      found = one ? [one] : [];
    } else {
      const labels = Object.entries(selector.matchLabels?.labels ?? {});
      found = (await this.objects.list(apiVersion, kind, namespace || undefined))
        .filter((o) => labels.every(([k, v]) => o.metadata?.labels?.[k] === v))
        .map((o) => ({ ...o, apiVersion, kind }));
    }
    this.bySelector.set(JSON.stringify(selector), found);
  }
}

/** How often a composite's pipeline runs while its steps ask for resources not fetched yet. */
const MAX_PASSES = 6;

/** Every selector the responses asked for. */
function selectorsOf(responses: readonly RunFunctionResponse[]): ResourceSelector[] {
  return responses.flatMap((r) => [
    ...Object.values(r.requirements?.resources ?? {}),
    ...Object.values(r.requirements?.extraResources ?? {}),
  ]);
}

/**
 * The table entries of one composite: its pipeline is run until every resource its steps require has
 * been fetched; the last response of each step is recorded. Throws when the pipeline composes other
 * resources than the control plane holds for the composite.
 */
async function recordComposite(
  xr: KubeObject,
  composition: Composition,
  observed: KubeObject[],
  cache: RequiredCache,
): Promise<[string, TableEntry][]> {
  const handler = new StackplaneFunction(steps);
  const selectors = new Map<string, ResourceSelector>();
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const given = new Set(selectors.keys());
    const calls: { request: RunFunctionRequest; response: RunFunctionResponse }[] = [];
    const runner = {
      run: async (_name: string, request: RunFunctionRequest) => {
        // Copies: the pipeline fills the request's required resources in place for the next run.
        const response = structuredClone(await handler.RunFunction(structuredClone(request)));
        calls.push({ request: { ...request }, response });
        for (const s of selectorsOf([response])) selectors.set(JSON.stringify(s), s);
        return response;
      },
    };
    const required = new Map(
      [...selectors.values()].flatMap((s) => cache.get(s)).map((o) => [objectKey(o), o]),
    );
    let failed: unknown;
    try {
      await renderPipeline(runner, { xr, composition, observed, required: [...required.values()] });
    } catch (error) {
      // A step refuses what it has not been given (no region without its ClusterProviderConfig):
      // fetched, the next pass gives it.
      if (!(error instanceof FatalResultError)) throw error;
      failed = error;
    }
    const asked = [...selectors].filter(([key]) => !given.has(key)).map(([, s]) => s);
    if (asked.length > 0) {
      for (const s of asked) if (!cache.has(s)) await cache.fetch(s);
      continue;
    }
    if (failed) throw failed;
    const last = new Map<string, [string, TableEntry]>();
    for (const { request, response } of calls) {
      const key = tableKey(request);
      if (key) last.set(key, [key, recordEntry(request, response)]);
    }
    const entries = [...last.values()];
    const composed = Object.keys(entries.at(-1)?.[1].response.desired?.resources ?? {}).length;
    if (composed !== observed.length) {
      throw new Error(
        `cannot record the table: ${objectKey(xr)} composes ${composed} resources in process, ${observed.length} on the control plane`,
      );
    }
    return entries;
  }
  throw new Error(`cannot record the table: the requirements of ${objectKey(xr)} did not settle`);
}

/** The table of every composite in `xrs` (as listed from the API server, done). */
export async function recordTable(
  objects: Objects,
  xrs: readonly KubeObject[],
): Promise<Map<string, TableEntry>> {
  const compositions = (await objects.list('apiextensions.crossplane.io/v1', 'Composition')).map(
    parseComposition,
  );
  const kinds = new Map(xrs.flatMap(refsOf).map((r) => [`${r.apiVersion}|${r.kind}`, r]));
  const composed = new Map<string, KubeObject>();
  for (const r of kinds.values()) {
    for (const o of await objects.list(r.apiVersion, r.kind)) {
      // A list's items may come without their type.
      const typed = { ...o, apiVersion: r.apiVersion, kind: r.kind };
      composed.set(objectKey(typed), typed);
    }
  }
  const cache = new RequiredCache(objects);
  const table = new Map<string, TableEntry>();
  for (const xr of xrs) {
    const observed = refsOf(xr).map((r) => {
      const o = composed.get(refKey(r));
      if (!o) throw new Error(`cannot record the table: ${r.kind} ${refKey(r)} of ${objectKey(xr)} is gone`);
      return o;
    });
    const composition = selectComposition(xr, compositions);
    for (const [key, entry] of await recordComposite(xr, composition, observed, cache)) table.set(key, entry);
  }
  return table;
}
