import { conditionTrue } from './observed.js';
import type { DesiredResource, KubeObject } from './types.js';

/**
 * What a step composes, collected in order with each resource's readiness, judged from what
 * Crossplane observed. A step returns `composed` as its response's `composed`.
 */
export interface Composer {
  /** The resources put so far, by composition resource name. */
  readonly composed: Record<string, DesiredResource>;
  /** Composes each resource, ready as `ready` judges it by its composition resource name. */
  put(resources: Readonly<Record<string, KubeObject>>, ready: (name: string) => boolean): void;
  /** Whether Crossplane observed the resource: kinds without a status are ready once they exist. */
  exists(name: string): boolean;
  /** Whether the observed resource reports Ready=True: managed resources and operator kinds. */
  ready(name: string): boolean;
}

/** A composer over the observed composed resources of one run. */
export function composer(observed: Readonly<Record<string, KubeObject>>): Composer {
  const composed: Record<string, DesiredResource> = {};
  return {
    composed,
    put(resources, ready) {
      for (const [name, resource] of Object.entries(resources))
        composed[name] = { resource, ready: ready(name) };
    },
    exists: (name) => observed[name] !== undefined,
    ready: (name) => conditionTrue(observed[name]),
  };
}
