import type { KubeObject, Requirement, StepCondition } from '../../types.js';
import { podLabels, type Placement } from './names.js';

/** Requirement name of the Topology a PlacementAPI references. */
export const TOPOLOGY = 'topology';
export const TOPOLOGY_API_VERSION = 'topology.openstack.org/v1beta1';

/** What a Topology gives the API pods, in place of the default anti-affinity. */
export interface PodTopology {
  topologySpreadConstraints?: Record<string, unknown>[];
  affinity?: Record<string, unknown>;
}

/** The Topology to read, when the spec references one (always in the PlacementAPI's namespace). */
export function topologyRequirement(p: Placement): Requirement | undefined {
  const ref = p.spec.topologyRef;
  return ref
    ? { apiVersion: TOPOLOGY_API_VERSION, kind: 'Topology', matchName: ref.name, namespace: p.namespace }
    : undefined;
}

/**
 * Why the topologyRef cannot be honoured, or undefined. As with the operator, a Topology of another
 * namespace is refused.
 */
export function topologyRefProblem(p: Placement): string | undefined {
  const ref = p.spec.topologyRef;
  if (ref?.namespace && ref.namespace !== p.namespace) {
    return `spec.topologyRef.namespace: a Topology is read from the PlacementAPI's own namespace "${p.namespace}", not "${ref.namespace}"; copy it there or remove spec.topologyRef.namespace`;
  }
  return undefined;
}

/**
 * The scheduling a found Topology gives the pods. A spread constraint without a labelSelector
 * selects the API pods, as the operator fills it in.
 */
export function podTopology(p: Placement, topology: KubeObject): PodTopology {
  const spec = (topology['spec'] ?? {}) as PodTopology;
  const constraints = (spec.topologySpreadConstraints ?? []).map((c) =>
    c['labelSelector'] ? c : { ...c, labelSelector: { matchLabels: podLabels(p) } },
  );
  return {
    ...(constraints.length > 0 ? { topologySpreadConstraints: constraints } : {}),
    ...(spec.affinity ? { affinity: spec.affinity } : {}),
  };
}

/**
 * TopologyReady, set only when the spec references a Topology, as the operator does. Crossplane keeps
 * a condition a function stops returning, so once the reference is removed it turns True again.
 */
export function topologyCondition(
  p: Placement,
  found: KubeObject | undefined,
  setBefore: boolean,
): StepCondition[] {
  const ref = p.spec.topologyRef;
  if (!ref) {
    return setBefore
      ? [
          {
            type: 'TopologyReady',
            status: 'True',
            reason: 'NoTopology',
            message: 'no Topology is referenced',
          },
        ]
      : [];
  }
  return [
    found
      ? {
          type: 'TopologyReady',
          status: 'True',
          reason: 'Ready',
          message: `Topology ${ref.name} applied to the API pods`,
        }
      : {
          type: 'TopologyReady',
          status: 'False',
          reason: 'TopologyMissing',
          message: `Topology ${p.namespace}/${ref.name} does not exist yet; the Deployment is created once it does`,
        },
  ];
}
