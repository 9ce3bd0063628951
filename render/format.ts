import { stringify } from 'yaml';
import type { KubeObject } from '../functions/types.js';
import type { RenderOutputs } from './pipeline.js';

/** Sorts object keys recursively, so output is stable and reads like `crossplane render`'s. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Objects as a multi-document YAML stream, each document starting with `---`. */
export function toYamlStream(objects: readonly unknown[]): string {
  return objects
    .map(
      (object) => `---\n${stringify(sortKeys(object), { lineWidth: 0, indentSeq: false, version: '1.1' })}`,
    )
    .join('');
}

export interface OutputOptions {
  includeResults?: boolean;
  includeContext?: boolean;
}

/** The render output: the composite, its composed resources and, when asked, results and context. */
export function formatOutputs(outputs: RenderOutputs, options: OutputOptions = {}): string {
  const objects: KubeObject[] = [outputs.xr, ...outputs.composed];
  if (options.includeResults) objects.push(...(outputs.results as unknown as KubeObject[]));
  if (options.includeContext) {
    objects.push({
      apiVersion: 'render.crossplane.io/v1beta1',
      kind: 'Context',
      fields: outputs.context ?? {},
    });
  }
  return toYamlStream(objects);
}
