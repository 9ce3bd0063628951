import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { dataXR, fakeRandom, platformFetched, shippedInput } from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, summarize } from '../../../support/responses.js';

const NETWORK = {
  vpcId: 'vpc-0a1b2c',
  subnetIds: ['subnet-a', 'subnet-b'],
  clientCidrBlocks: ['10.0.0.0/16', '10.1.0.0/16'],
};
const run = (xr: KubeObject, dataServices: unknown) =>
  new StackplaneFunction(steps, undefined, fakeRandom(3)).RunFunction(
    runFunctionRequest({
      xr,
      input: shippedInput(`${String(xr['kind']).toLowerCase()}.yaml`),
      required: platformFetched(dataServices),
    }),
  );
const forProvider = (object: KubeObject | undefined) =>
  (object?.['spec'] as { forProvider: Record<string, unknown> }).forProvider;
const kindsOf = (resources: Record<string, KubeObject>) =>
  Object.fromEntries(
    Object.entries(resources).map(([name, r]) => [name, `${String(r['apiVersion'])} ${String(r['kind'])}`]),
  );

describe('AWS networking: groups composed in the VPC and subnets the platform gives', () => {
  it('Postgres: a DB subnet group and a security group open to the client blocks on 5432 only', async () => {
    const rsp = await run(dataXR('Postgres', { type: 'managed', tier: 'development' }), {
      aws: { network: NETWORK },
    });
    const resources = desiredResources(rsp);
    expect(kindsOf(resources)).toEqual({
      'security-group': 'ec2.aws.m.upbound.io/v1beta1 SecurityGroup',
      'security-group-ingress-0': 'ec2.aws.m.upbound.io/v1beta1 SecurityGroupIngressRule',
      'security-group-ingress-1': 'ec2.aws.m.upbound.io/v1beta1 SecurityGroupIngressRule',
      'subnet-group': 'rds.aws.m.upbound.io/v1beta1 SubnetGroup',
      instance: 'rds.aws.m.upbound.io/v1beta1 Instance',
    });
    const identifier = forProvider(resources['instance'])['dbSubnetGroupName'];
    expect(forProvider(resources['subnet-group'])['subnetIds']).toEqual(NETWORK.subnetIds);
    expect(forProvider(resources['security-group'])).toMatchObject({ vpcId: 'vpc-0a1b2c', name: identifier });
    expect(forProvider(resources['security-group-ingress-1'])).toMatchObject({
      securityGroupIdRef: { name: 'orders-postgres' },
      cidrIpv4: '10.1.0.0/16',
      ipProtocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
    });
    expect(forProvider(resources['instance'])['vpcSecurityGroupIdRefs']).toEqual([
      { name: 'orders-postgres' },
    ]);
    expect(forProvider(resources['instance'])).not.toHaveProperty('vpcSecurityGroupIds');
  });

  it('Redis: an ElastiCache subnet group and a security group on 6379', async () => {
    const rsp = await run(dataXR('Redis', { type: 'managed', tier: 'development' }), {
      aws: { network: NETWORK },
    });
    const resources = desiredResources(rsp);
    expect(kindsOf(resources)).toMatchObject({
      'subnet-group': 'elasticache.aws.m.upbound.io/v1beta1 SubnetGroup',
      'security-group': 'ec2.aws.m.upbound.io/v1beta1 SecurityGroup',
      'replication-group': 'elasticache.aws.m.upbound.io/v1beta1 ReplicationGroup',
    });
    const group = forProvider(resources['replication-group']);
    const subnetGroup = resources['subnet-group']?.['metadata'] as { annotations: Record<string, string> };
    expect(group['subnetGroupName']).toBe(subnetGroup.annotations['crossplane.io/external-name']);
    expect(group['securityGroupIdRefs']).toEqual([{ name: 'orders-redis' }]);
    expect(forProvider(resources['security-group-ingress-0'])).toMatchObject({
      fromPort: 6379,
      toPort: 6379,
    });
  });

  it("keeps a tier's own group ids: nothing is composed for what the platform made by hand", async () => {
    const rsp = await run(dataXR('Redis', { type: 'managed', tier: 'development' }), {
      aws: { network: NETWORK },
      strategies: {
        redis: { aws: { development: { subnetGroupName: 'by-hand', securityGroupIds: ['sg-1'] } } },
      },
    });
    const resources = desiredResources(rsp);
    expect(Object.keys(resources).sort()).toEqual(['auth-token', 'replication-group']);
    expect(forProvider(resources['replication-group'])).toMatchObject({
      subnetGroupName: 'by-hand',
      securityGroupIds: ['sg-1'],
    });
  });

  it('refuses a network RDS could not use, naming the field', async () => {
    const rsp = await run(dataXR('Postgres', { type: 'managed', tier: 'development' }), {
      aws: { network: { ...NETWORK, subnetIds: ['subnet-a'] } },
    });
    expect(summarize(rsp).results).toEqual([
      expect.objectContaining({
        severity: 'Fatal',
        reason: 'InvalidPlatformConfig',
        message: expect.stringContaining('aws.network.subnetIds'),
      }),
    ]);
    expect(desiredResources(rsp)).toEqual({});
  });
});
