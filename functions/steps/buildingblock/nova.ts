import type { KubeObject } from '../../types.js';
import { computeServiceResource, metadata, novaHosts, objectNames, RESOURCE, type Block } from './names.js';

const COMPUTE_SERVICE_API = 'compute.m.stackplane.io/v1alpha1';
const AGGREGATE_API = 'compute.openstack.m.crossplane.io/v1alpha1';

/** The aggregate metadata key naming the block, so operators see where an aggregate comes from. */
export const AGGREGATE_BLOCK_KEY = 'stackplane.io/building-block';

/** The disabled reason recorded in Nova while the block is in maintenance. */
export function disabledReason(b: Block): string {
  return b.spec.maintenance.reason ?? `maintenance of building block ${b.namespace}/${b.name}`;
}

/**
 * One ComputeService per Nova host of the block: enabled, or disabled with the reason while the block
 * is in maintenance. The agent registers the service; the provider may only observe and update it
 * (no Create, no Delete), so deleting a block never deletes Nova's service records.
 */
export function computeServices(b: Block): Record<string, KubeObject> {
  const out: Record<string, KubeObject> = {};
  for (const host of novaHosts(b)) {
    out[computeServiceResource(host)] = {
      apiVersion: COMPUTE_SERVICE_API,
      kind: 'ComputeService',
      metadata: metadata(b, objectNames(b).computeService(host)),
      spec: {
        managementPolicies: ['Observe', 'Update'],
        forProvider: {
          host,
          binary: 'nova-compute',
          ...(b.spec.maintenance.enabled
            ? { status: 'disabled', disabledReason: disabledReason(b) }
            : { status: 'enabled' }),
        },
        providerConfigRef: b.input.computeProviderConfigRef,
      },
    };
  }
  return out;
}

/** The block's host aggregate in its availability zone, holding the hosts registered in Nova. */
export function aggregate(b: Block, hosts: string[]): Record<string, KubeObject> {
  const name = objectNames(b).aggregate;
  return {
    [RESOURCE.aggregate]: {
      apiVersion: AGGREGATE_API,
      kind: 'AggregateV2',
      metadata: metadata(b, name),
      spec: {
        forProvider: {
          name,
          zone: b.spec.availabilityZone,
          hosts,
          metadata: {
            ...(b.input.aggregate.metadata ?? {}),
            [AGGREGATE_BLOCK_KEY]: `${b.namespace}.${b.name}`,
          },
        },
        providerConfigRef: b.input.aggregate.providerConfigRef,
      },
    },
  };
}

/** A nova-compute service as the observed ComputeService reports it. */
export interface ServiceState {
  host: string;
  status?: string;
  state?: string;
  disabledReason?: string;
}

/** What Nova says about each host, read from the observed ComputeServices. */
export function serviceStates(b: Block, observed: Readonly<Record<string, KubeObject>>): ServiceState[] {
  return novaHosts(b).map((host) => {
    const status = observed[computeServiceResource(host)]?.['status'] as
      { atProvider?: Record<string, unknown> } | undefined;
    const at = status?.atProvider ?? {};
    const text = (key: string) => (typeof at[key] === 'string' ? { [key]: at[key] as string } : {});
    return { host, ...text('status'), ...text('state'), ...text('disabledReason') };
  });
}
