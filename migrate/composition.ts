/**
 * `--composition <Kind>=<name>`: the Composition the written composites of a kind use, when the
 * platform runs a migrating cloud on its own Composition beside the package's (for example a
 * PlacementAPI Composition whose input chooses the original operators' backends). Written as
 * `spec.crossplane.compositionRef`, so `-o yaml` carries it too.
 */
import { compositeKinds } from '../apis/index.js';
import type { PlanEntry } from './plan.js';

/** A `--composition` flag that is not `<Kind>=<name>` of a Stackplane composite kind. */
export class CompositionFlagError extends Error {}

const FLAG = /^([A-Za-z]+)=([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;

/** The Composition name per composite kind, from the flags. */
export function parseCompositions(flags: string[]): Map<string, string> {
  const chosen = new Map<string, string>();
  for (const flag of flags) {
    const match = FLAG.exec(flag);
    const kind = match?.[1];
    if (!match || !compositeKinds.some((k) => k.kind === kind))
      throw new CompositionFlagError(
        `--composition: "${flag}" is not <Kind>=<composition> of a Stackplane composite kind (${[
          ...new Set(compositeKinds.map((k) => k.kind)),
        ].join(', ')})`,
      );
    chosen.set(kind as string, match[2] as string);
  }
  return chosen;
}

/** The entries with each migrated composite of a chosen kind pointed at its Composition. */
export function withCompositions(entries: PlanEntry[], chosen: Map<string, string>): PlanEntry[] {
  if (chosen.size === 0) return entries;
  const isComposite = (apiVersion: string, kind: string) =>
    compositeKinds.some((k) => `${k.group}/${k.version}` === apiVersion && k.kind === kind);
  return entries.map((entry) =>
    entry.outcome !== 'migrate'
      ? entry
      : {
          ...entry,
          resources: entry.resources.map((resource) => {
            const name = chosen.get(resource.kind);
            if (name === undefined || !isComposite(resource.apiVersion, resource.kind)) return resource;
            const spec = (resource['spec'] ?? {}) as Record<string, unknown>;
            const crossplane = (spec['crossplane'] ?? {}) as Record<string, unknown>;
            return {
              ...resource,
              spec: { ...spec, crossplane: { ...crossplane, compositionRef: { name } } },
            };
          }),
        },
  );
}
