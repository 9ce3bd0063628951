/**
 * Reads an inventory from YAML or JSON files (`kubectl get -o yaml` output, Lists included, or
 * hand-written manifests), for a migration planned away from the cluster.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { Inventory, KubeObject } from './plan.js';

/** The objects of one YAML or JSON text; `source` names it in errors. */
export function parseObjects(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const [index, document] of parseAllDocuments(text).entries()) {
    if (document.errors.length > 0)
      throw new Error(`cannot parse ${source} document ${index}: ${document.errors[0]?.message ?? ''}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    objects.push(...flatten(value, `${source} document ${index}`));
  }
  return objects;
}

function flatten(value: unknown, where: string): KubeObject[] {
  const object = value as Partial<KubeObject> & { items?: unknown };
  if (typeof object !== 'object' || Array.isArray(object))
    throw new Error(`cannot read ${where}: not a Kubernetes object`);
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items))
    return object.items.flatMap((item, i) => flatten(item, `${where} items[${i}]`));
  if (
    typeof object.apiVersion !== 'string' ||
    typeof object.kind !== 'string' ||
    typeof object.metadata?.name !== 'string'
  )
    throw new Error(`cannot read ${where}: apiVersion, kind and metadata.name are required`);
  return [object as KubeObject];
}

/** The inventory of every object in these files. */
export function readFiles(paths: readonly string[]): Inventory {
  return {
    objects: paths.flatMap((path) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
      }
      return parseObjects(text, path);
    }),
  };
}
