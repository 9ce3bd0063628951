import type { AwsRedisStrategy } from '../../../../apis/functions/data-service-input.js';
import type { RedisSpec } from '../../../../apis/data/redis.js';
import type { DesiredResource, Requirement } from '../../../types.js';
import type { Composer } from '../composer.js';
import { atProvider, managedResource } from '../managed.js';
import { externalName, localName } from '../names.js';
import { keptPassword, secret } from '../secrets.js';
import { securityGroupResources } from '../network.js';
import { REDIS_PORT, redisConnection } from './connection.js';
import { conditionTrue } from '../../../observed.js';
import { keptConnection, keptValue } from '../kept-connection.js';
import { runningVersion } from '../version.js';

/** Composition resource names. */
export const REPLICATION_GROUP = 'replication-group';
export const AUTH_TOKEN = 'auth-token';
export const CACHE_SUBNET_GROUP = 'subnet-group';
export const ELASTICACHE_API_VERSION = 'elasticache.aws.m.upbound.io/v1beta1';

/**
 * Redis on AWS: an ElastiCache replication group with encryption in transit and at rest and an auth
 * token. The token is generated once into a composed Secret the group references and read back from
 * it on every later run; the connection Secret is filled once that Secret and the endpoint exist.
 * Observing only (skipCreate) a group it composed no token for, it composes none: the connection
 * keeps the password of the Secret that exists (if any) and says TLS as the observed group has it.
 */
export const redisOnAws: Composer<RedisSpec, AwsRedisStrategy> = (req) => {
  const { xr, spec, strategy, platform, observed } = req;
  const recordedName = typeof xr.status['externalName'] === 'string' ? xr.status['externalName'] : undefined;
  const groupId = externalName(
    'elasticache',
    { controllerId: req.controllerId, namespace: xr.namespace, name: xr.name },
    recordedName,
  );
  const tokenSecretName = localName(xr.name, 'redis-auth');
  const auth = authToken(req);
  const failover = strategy.numCacheClusters > 1;
  const maintenanceWindow = spec.maintenance.window ?? strategy.maintenanceWindow;
  // The tier's own ids win; else the platform's network gets a subnet and a security group composed.
  const network = platform.aws.network;
  const networkResources: Record<string, DesiredResource> = {};
  const common = {
    namespace: xr.namespace,
    labels: req.labels,
    providerConfigName: platform.aws.providerConfigName,
    policies: req.policies,
  };
  const composeSubnetGroup = !strategy.subnetGroupName && network !== undefined;
  const subnetGroupName = strategy.subnetGroupName ?? (composeSubnetGroup ? groupId : undefined);
  if (network && composeSubnetGroup) {
    networkResources[CACHE_SUBNET_GROUP] = {
      resource: managedResource({
        ...common,
        apiVersion: ELASTICACHE_API_VERSION,
        kind: 'SubnetGroup',
        name: localName(xr.name, 'redis'),
        externalName: groupId,
        forProvider: {
          region: platform.aws.region,
          description: `Subnets of Redis ${xr.namespace}/${xr.name}`,
          subnetIds: network.subnetIds,
          tags: req.tags,
        },
      }),
      ready: conditionTrue(observed[CACHE_SUBNET_GROUP]),
    };
  }
  const composeSecurityGroup = !strategy.securityGroupIds && network !== undefined;
  if (network && composeSecurityGroup) {
    Object.assign(
      networkResources,
      securityGroupResources({
        ...common,
        name: localName(xr.name, 'redis'),
        region: platform.aws.region,
        groupName: groupId,
        description: `Clients of Redis ${xr.namespace}/${xr.name}`,
        port: REDIS_PORT,
        network,
        tags: req.tags,
        observed,
      }),
    );
  }
  const group = managedResource({
    apiVersion: ELASTICACHE_API_VERSION,
    kind: 'ReplicationGroup',
    name: localName(xr.name, 'redis'),
    namespace: xr.namespace,
    labels: req.labels,
    externalName: groupId,
    providerConfigName: platform.aws.providerConfigName,
    policies: req.policies,
    forProvider: {
      region: platform.aws.region,
      description: `Redis ${xr.namespace}/${xr.name}`,
      engine: 'redis',
      engineVersion: strategy.engineVersion,
      nodeType: spec.size ?? strategy.nodeType,
      numCacheClusters: strategy.numCacheClusters,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: REDIS_PORT,
      // The provider's schema types this flag as a string.
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      authTokenSecretRef: { name: tokenSecretName, key: 'token' },
      snapshotRetentionLimit: strategy.snapshotRetentionLimit,
      ...(strategy.snapshotWindow ? { snapshotWindow: strategy.snapshotWindow } : {}),
      ...(maintenanceWindow ? { maintenanceWindow } : {}),
      applyImmediately: spec.maintenance.applyImmediately,
      ...(subnetGroupName ? { subnetGroupName } : {}),
      ...(strategy.securityGroupIds ? { securityGroupIds: strategy.securityGroupIds } : {}),
      ...(composeSecurityGroup ? { securityGroupIdRefs: [{ name: localName(xr.name, 'redis') }] } : {}),
      tags: req.tags,
    },
  });

  const status = atProvider(observed[REPLICATION_GROUP]);
  const host =
    typeof status['primaryEndpointAddress'] === 'string' ? status['primaryEndpointAddress'] : undefined;
  const port = String(status['port'] ?? REDIS_PORT);
  const resources: Record<string, DesiredResource> = {};
  if (auth.composed !== undefined) {
    resources[AUTH_TOKEN] = {
      resource: secret({
        name: tokenSecretName,
        namespace: xr.namespace,
        labels: req.labels,
        values: { token: auth.composed },
      }),
      ready: observed[AUTH_TOKEN] !== undefined,
    };
  }
  Object.assign(resources, networkResources);
  resources[REPLICATION_GROUP] = { resource: group, ready: conditionTrue(observed[REPLICATION_GROUP]) };
  // An adopted group speaks TLS as it was made; a composed one always does, once its token exists.
  const connectable = auth.adoptedAsIs || observed[AUTH_TOKEN] !== undefined;
  const tls = auth.adoptedAsIs ? status['transitEncryptionEnabled'] === true : true;
  const connection =
    host && connectable ? redisConnection({ host, port, password: auth.password, tls }) : undefined;
  return {
    resources,
    requirements: auth.requirements,
    connection,
    status: {
      externalName: groupId,
      version: runningVersion(status, strategy.engineVersion),
      ...(host ? { endpoint: `${host}:${port}` } : {}),
    },
  };
};

/**
 * The AUTH token: generated once into a composed Secret and read back from it. Observing only a
 * group it never composed a token for (one adopted as the original made it), the composite creates
 * none: the group's token, if it has one, is the password of the connection Secret that exists.
 */
function authToken(req: Parameters<typeof redisOnAws>[0]): {
  adoptedAsIs: boolean;
  composed: string | undefined;
  password: string | undefined;
  requirements: Record<string, Requirement>;
} {
  const { xr, spec, observed } = req;
  const kept = keptConnection({
    skipCreate: spec.skipCreate,
    secretName: req.connectionSecretName,
    namespace: xr.namespace,
    required: req.required,
  });
  const adoptedAsIs = spec.skipCreate && observed[AUTH_TOKEN] === undefined;
  const composed = adoptedAsIs ? undefined : keptPassword(observed[AUTH_TOKEN], 'token', req.random);
  return {
    adoptedAsIs,
    composed,
    password: composed ?? keptValue(kept, 'password'),
    requirements: kept.requirements,
  };
}
