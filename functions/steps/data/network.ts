import type { AwsNetwork } from '../../../apis/functions/data-service-input.js';
import type { DesiredResource, KubeObject } from '../../types.js';
import { managedResource } from './managed.js';
import { conditionTrue } from '../../observed.js';

export const EC2_API_VERSION = 'ec2.aws.m.upbound.io/v1beta1';
/** Composition resource names of the security group and of its ingress rule per client CIDR block. */
export const SECURITY_GROUP = 'security-group';
export const ingressRuleResource = (index: number): string => `security-group-ingress-${index}`;

/** What a database or cache needs of its security group. */
export interface SecurityGroupOptions {
  /** The managed resources' name (the database's or cache's own). */
  name: string;
  namespace: string;
  labels: Record<string, string>;
  providerConfigName: string;
  policies: string[];
  region: string;
  /** The group's name in AWS, unique like the database's identifier. */
  groupName: string;
  description: string;
  port: number;
  network: AwsNetwork;
  tags: Record<string, string>;
  observed: Readonly<Record<string, KubeObject>>;
}

/**
 * A security group in the platform's VPC that lets the clients' CIDR blocks reach one port, and
 * nothing else: one ingress rule per block. The database or cache names the group by reference, so
 * the provider resolves its id once AWS assigned one.
 */
export function securityGroupResources(o: SecurityGroupOptions): Record<string, DesiredResource> {
  const common = {
    namespace: o.namespace,
    labels: o.labels,
    providerConfigName: o.providerConfigName,
    policies: o.policies,
  };
  const out: Record<string, DesiredResource> = {
    [SECURITY_GROUP]: {
      resource: managedResource({
        ...common,
        apiVersion: EC2_API_VERSION,
        kind: 'SecurityGroup',
        name: o.name,
        forProvider: {
          region: o.region,
          vpcId: o.network.vpcId,
          name: o.groupName,
          description: o.description,
          tags: o.tags,
        },
      }),
      ready: conditionTrue(o.observed[SECURITY_GROUP]),
    },
  };
  o.network.clientCidrBlocks.forEach((cidr, index) => {
    const resource = ingressRuleResource(index);
    out[resource] = {
      resource: managedResource({
        ...common,
        apiVersion: EC2_API_VERSION,
        kind: 'SecurityGroupIngressRule',
        name: `${o.name}-${index}`,
        forProvider: {
          region: o.region,
          securityGroupIdRef: { name: o.name },
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: o.port,
          toPort: o.port,
          description: `Clients in ${cidr}`,
          tags: o.tags,
        },
      }),
      ready: conditionTrue(o.observed[resource]),
    };
  });
  return out;
}
