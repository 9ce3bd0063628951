import type { KubeObject } from '../functions/types.js';
import { nameOf } from './manifests.js';

/** One step of a Composition's function pipeline. */
export interface PipelineStep {
  step: string;
  functionRef: { name: string };
  input?: KubeObject;
  requirements?: {
    requiredResources?: Array<{
      requirementName: string;
      apiVersion: string;
      kind: string;
      name?: string;
      matchLabels?: Record<string, string>;
      namespace?: string;
    }>;
  };
  /** Credentials Crossplane passes to the function; render takes Secrets from --function-credentials. */
  credentials?: Array<{ name: string; source: string; secretRef?: { name: string; namespace: string } }>;
}

export interface Composition {
  name: string;
  compositeTypeRef: { apiVersion: string; kind: string };
  pipeline: PipelineStep[];
}

/** Reads a Composition object, refusing anything render cannot run. */
export function parseComposition(object: KubeObject): Composition {
  const name = nameOf(object) ?? '<unnamed>';
  if (object['kind'] !== 'Composition')
    throw new Error(`cannot use ${String(object['kind'])} "${name}" as a Composition`);
  const spec = (object['spec'] ?? {}) as Record<string, unknown>;
  if (spec['mode'] !== 'Pipeline') {
    throw new Error(
      `render only supports Composition Function pipelines: Composition "${name}" must use spec.mode: Pipeline`,
    );
  }
  const ref = spec['compositeTypeRef'] as Composition['compositeTypeRef'] | undefined;
  if (!ref?.apiVersion || !ref.kind) throw new Error(`Composition "${name}" has no spec.compositeTypeRef`);
  const pipeline = spec['pipeline'];
  if (!Array.isArray(pipeline) || pipeline.length === 0)
    throw new Error(`Composition "${name}" has an empty spec.pipeline`);
  return { name, compositeTypeRef: ref, pipeline: pipeline as PipelineStep[] };
}

/**
 * The Composition for a composite resource: the one its spec.crossplane.compositionRef names, else
 * the only one whose compositeTypeRef matches its apiVersion and kind.
 */
export function selectComposition(xr: KubeObject, compositions: readonly Composition[]): Composition {
  const crossplane = ((xr['spec'] ?? {}) as Record<string, unknown>)['crossplane'] as
    { compositionRef?: { name?: string } } | undefined;
  const wanted = crossplane?.compositionRef?.name;
  const matching = compositions.filter(
    (c) => c.compositeTypeRef.apiVersion === xr['apiVersion'] && c.compositeTypeRef.kind === xr['kind'],
  );
  const chosen = wanted ? matching.filter((c) => c.name === wanted) : matching;
  const what = `${String(xr['kind'])} (${String(xr['apiVersion'])})`;
  if (chosen.length === 1 && chosen[0]) return chosen[0];
  if (chosen.length === 0) {
    throw new Error(`cannot find a Composition for ${what}${wanted ? ` named "${wanted}"` : ''}`);
  }
  throw new Error(
    `cannot choose a Composition for ${what}: ${chosen.map((c) => c.name).join(', ')} all match; set spec.crossplane.compositionRef.name`,
  );
}
