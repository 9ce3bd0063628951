import type { KubeObject } from '../../types.js';
import type { AgentInstance, Block } from './names.js';

/** The label kubeadm and most distributions put on control-plane nodes; no agent ever runs there. */
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** The labels that select a kvm block's hosts: the block's selector within the platform's compute nodes. */
export function hostSelector(b: Block): Record<string, string> {
  return { ...(b.spec.nodeSelector ?? {}), ...b.input.nodes.computeSelector };
}

/**
 * A label a kvm block or one of its agents sets that the platform's compute selector sets otherwise,
 * as a message naming the field; undefined when none does. Kubernetes would AND both and schedule
 * nothing, and the hosts would silently be the platform's choice: say so instead. A vmware or ironic
 * block runs on no hypervisor node, so it may keep its agents off compute nodes.
 */
export function selectorConflict(b: Block): string | undefined {
  if (b.spec.hypervisor !== 'kvm') return undefined;
  const platform = b.input.nodes.computeSelector;
  const selectors: [string, Record<string, string> | undefined][] = [
    ['spec.nodeSelector', b.spec.nodeSelector],
    ...b.spec.agents.map((a, i): [string, Record<string, string> | undefined] => [
      `spec.agents[${i}].nodeSelector`,
      a.nodeSelector,
    ]),
  ];
  for (const [field, selector] of selectors) {
    for (const [key, value] of Object.entries(selector ?? {})) {
      const wanted = platform[key];
      if (wanted !== undefined && wanted !== value)
        return (
          `${field}: "${key}" is "${wanted}" on the platform's compute nodes (nodes.computeSelector ` +
          'of the Composition input); remove it'
        );
    }
  }
  return undefined;
}

/**
 * The names of the fetched nodes that may be hosts, sorted so the block's hosts do not depend on list
 * order. A control-plane node is never one, whatever labels it carries.
 */
export function hostNodeNames(nodes: readonly KubeObject[] | undefined): string[] | undefined {
  if (nodes === undefined) return undefined;
  return nodes
    .map((n) => n['metadata'] as { name?: unknown; labels?: Record<string, unknown> } | undefined)
    .filter((m) => m?.labels?.[CONTROL_PLANE_LABEL] === undefined)
    .map((m) => m?.name)
    .filter((name): name is string => typeof name === 'string')
    .sort();
}

/**
 * Where an agent's pods may run. Every agent keeps off control-plane nodes; a kvm agent also runs
 * only on the platform's compute nodes, pinned to its host. The platform's part is a required node
 * affinity, which the block's nodeSelector can narrow but never widen.
 */
export function placement(b: Block, instance: AgentInstance): Record<string, unknown> {
  const kvm = b.spec.hypervisor === 'kvm';
  const nodeSelector = {
    ...(b.spec.nodeSelector ?? {}),
    ...(instance.agent.nodeSelector ?? {}),
    ...(instance.node === undefined ? {} : { 'kubernetes.io/hostname': instance.node }),
  };
  const platform = kvm ? Object.entries(b.input.nodes.computeSelector) : [];
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                ...platform.map(([key, value]) => ({ key, operator: 'In', values: [value] })),
                { key: CONTROL_PLANE_LABEL, operator: 'DoesNotExist' },
              ],
            },
          ],
        },
      },
    },
  };
}
