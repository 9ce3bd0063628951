import { createHash } from 'node:crypto';
import type { BuildingBlockInput } from '../../../apis/functions/buildingblock-input.js';
import { NOVA_COMPUTE, type Agent, type BuildingBlockSpec } from '../../../apis/openstack/buildingblock.js';

/** Everything the step derives from one BuildingBlock and its Composition input. */
export interface Block {
  name: string;
  namespace: string;
  spec: BuildingBlockSpec;
  input: BuildingBlockInput;
  /** The composite's uid, when the API server assigned one: it tells a re-created block apart. */
  uid?: string;
  /** kvm without spec.hosts: the names of the nodes spec.nodeSelector matches, once fetched. */
  nodes?: string[];
}

/** Composition resource names of the objects composed once per block. */
export const RESOURCE = {
  configSecret: 'config-secret',
  serviceAccount: 'service-account',
  aggregate: 'aggregate',
} as const;

/** Composition resource name of an agent's Deployment (one per host for kvm). */
export const agentResource = (agent: string, host?: string): string =>
  host === undefined ? `agent-${agent}` : `agent-${agent}-${host}`;

/** Composition resource name of the ComputeService of a Nova host. */
export const computeServiceResource = (host: string): string => `compute-service-${host}`;

/** Composition resource name of the notification of maintenance transition n. */
export const notificationResource = (transition: number): string => `notification-${transition}`;
export const NOTIFICATION_PREFIX = 'notification-';

/** A Kubernetes object name of at most 63 characters: long names keep a prefix and get a stable hash. */
export function objectName(base: string): string {
  if (base.length <= 63) return base;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 10);
  return `${base.slice(0, 52).replace(/[-.]+$/, '')}-${hash}`;
}

/**
 * The Nova host names of the block: the node names of a kvm block (libvirt runs there), and for vmware
 * and ironic one name derived from the block, so the service record survives pod restarts and moves.
 */
export function novaHosts(b: Block): string[] {
  if (b.spec.hypervisor === 'kvm') return b.spec.hosts ?? b.nodes ?? [];
  return [`${b.namespace}-${b.name}`];
}

/** One agent pod set: which agent, and for kvm which host it runs on. */
export interface AgentInstance {
  agent: Agent;
  /** The Nova host identity the agent runs as. */
  host: string;
  /** The node it is pinned to (kvm), or undefined when it may run anywhere the selectors allow. */
  node?: string;
  resource: string;
  deploymentName: string;
}

/** Every agent Deployment of the block: one per agent, times the hosts for kvm. */
export function agentInstances(b: Block): AgentInstance[] {
  const out: AgentInstance[] = [];
  for (const agent of b.spec.agents) {
    if (b.spec.hypervisor === 'kvm') {
      for (const host of novaHosts(b)) {
        out.push({
          agent,
          host,
          node: host,
          resource: agentResource(agent.name, host),
          deploymentName: objectName(`${b.name}-${agent.name}-${host}`),
        });
      }
    } else {
      out.push({
        agent,
        host: novaHosts(b)[0]!,
        resource: agentResource(agent.name),
        deploymentName: objectName(`${b.name}-${agent.name}`),
      });
    }
  }
  return out;
}

/** The nova-compute agent of the spec; the schema guarantees there is one. */
export function novaAgent(b: Block): Agent {
  return b.spec.agents.find((a) => a.name === NOVA_COMPUTE)!;
}

/** Names of the Kubernetes objects composed for a block. */
export function objectNames(b: Block) {
  return {
    configSecret: objectName(`${b.name}-agent-config`),
    serviceAccount: objectName(`${b.name}-agents`),
    aggregate: objectName(`${b.namespace}-${b.name}`),
    notification: (transition: number) => objectName(`${b.name}-maintenance-${transition}`),
    computeService: (host: string) =>
      objectName(b.spec.hypervisor === 'kvm' ? `${b.name}-${host}` : `${b.name}-nova-compute`),
  };
}

/** Labels on every composed object. */
export function commonLabels(b: Block): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'stackplane',
    'openstack.stackplane.io/buildingblock': b.name,
  };
}

/** Labels of one agent's pods; the Deployment selects them. */
export function podLabels(b: Block, instance: AgentInstance): Record<string, string> {
  return {
    'openstack.stackplane.io/buildingblock': b.name,
    'openstack.stackplane.io/agent': instance.agent.name,
    // A node name may be longer than a label value can be.
    ...(instance.node === undefined ? {} : { 'openstack.stackplane.io/host': objectName(instance.node) }),
  };
}

/** `metadata` of a composed namespaced object. */
export function metadata(b: Block, name: string) {
  return { name, namespace: b.namespace, labels: commonLabels(b) };
}
