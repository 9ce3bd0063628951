/**
 * The metal-stack ClusterwideNetworkPolicy the replaced controller tells operators to deploy, so the
 * nodes of a firewalled cluster reach the storage servers: management API (443), NVMe/TCP (4420) and
 * NVMe discovery (8009).
 */
import type { NetworkPolicySettings } from '../../../apis/functions/storage-classes-input.js';
import type { KubeObject } from '../../types.js';
import { tenantLabels } from './storage-class.js';

export const NETWORK_POLICY_RESOURCE = 'network-policy';

const STORAGE_PORTS = [443, 4420, 8009];

export function storageNetworkPolicy(settings: NetworkPolicySettings, tenant: string): KubeObject {
  return {
    apiVersion: 'metal-stack.io/v1',
    kind: 'ClusterwideNetworkPolicy',
    metadata: { name: settings.name, namespace: settings.namespace, labels: tenantLabels(tenant) },
    spec: {
      egress: [
        {
          ports: STORAGE_PORTS.map((port) => ({ port, protocol: 'TCP' })),
          to: settings.cidrs.map((cidr) => ({ cidr })),
        },
      ],
    },
  };
}
