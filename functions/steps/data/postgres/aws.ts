import type { AwsPostgresStrategy } from '../../../../apis/functions/data-service-input.js';
import type { PostgresSpec } from '../../../../apis/data/postgres.js';
import type { DesiredResource } from '../../../types.js';
import type { Composer } from '../composer.js';
import { atProvider, managedResource } from '../managed.js';
import { externalName, localName } from '../names.js';
import { secretData, secretRequirement } from '../secrets.js';
import { chooseVersion } from '../version.js';
import { securityGroupResources } from '../network.js';
import { POSTGRES_DATABASE, POSTGRES_PORT, POSTGRES_USERNAME, postgresConnection } from './connection.js';
import {
  ALLOW_DELETION_ANNOTATION,
  composedDeletionProtection,
  deletionProtectedCondition,
  type DeletionFacts,
} from './deletion-protection.js';
import { conditionTrue } from '../../../observed.js';
import { keptConnection, keptValue } from '../kept-connection.js';

export const RDS_API_VERSION = 'rds.aws.m.upbound.io/v1beta1';
/** Composition resource names. */
export const INSTANCE = 'instance';
export const SUBNET_GROUP = 'subnet-group';
/** Requirement name of the Secret the provider writes the instance's connection details to. */
export const RDS_CONNECTION = 'rds-connection';

/** Names of the Secrets the provider writes: connection details, and the generated master password. */
export const rdsConnectionSecretName = (xr: string) => localName(xr, 'postgres-rds');
export const rdsPasswordSecretName = (xr: string) => localName(xr, 'postgres-master');

/** RDS identifiers are at most 63 characters; the final snapshot is named after the instance. */
export function finalSnapshotIdentifier(identifier: string): string {
  return `${identifier.slice(0, 63 - '-final'.length).replace(/-+$/, '')}-final`;
}

/**
 * Postgres on AWS: an RDS instance (and a DB subnet group when the strategy names subnets), encrypted,
 * private, with a password the provider generates into a Secret; deletion protection and a final
 * snapshot as the strategy says (production). The connection Secret is filled from the Secret the
 * provider writes the instance's connection details to.
 */
export const postgresOnAws: Composer<PostgresSpec, AwsPostgresStrategy> = (req) => {
  const { xr, spec, strategy, platform, observed, required } = req;
  const chosen = chooseVersion({
    requested: spec.version,
    recorded: xr.status['version'],
    strategy,
    tier: req.tier,
    provider: 'aws',
  });
  if ('refused' in chosen) return chosen;
  const recordedName = typeof xr.status['externalName'] === 'string' ? xr.status['externalName'] : undefined;
  const identifier = externalName(
    'rds',
    { controllerId: req.controllerId, namespace: xr.namespace, name: xr.name },
    recordedName,
  );
  const common = {
    namespace: xr.namespace,
    labels: req.labels,
    externalName: identifier,
    providerConfigName: platform.aws.providerConfigName,
    policies: req.policies,
  };
  const resources: Record<string, DesiredResource> = {};
  // The tier's own ids win; else the platform's network gets a subnet and a security group composed.
  const network = platform.aws.network;
  const subnetIds = strategy.subnetIds ?? network?.subnetIds;
  const composeSecurityGroup = !strategy.securityGroupIds && network !== undefined;
  if (network && composeSecurityGroup) {
    Object.assign(
      resources,
      securityGroupResources({
        ...common,
        name: localName(xr.name, 'postgres'),
        region: platform.aws.region,
        groupName: identifier,
        description: `Clients of Postgres ${xr.namespace}/${xr.name}`,
        port: POSTGRES_PORT,
        network,
        tags: req.tags,
        observed,
      }),
    );
  }
  if (subnetIds) {
    resources[SUBNET_GROUP] = {
      resource: managedResource({
        ...common,
        apiVersion: RDS_API_VERSION,
        kind: 'SubnetGroup',
        name: localName(xr.name, 'postgres'),
        forProvider: {
          region: platform.aws.region,
          description: `Subnets of Postgres ${xr.namespace}/${xr.name}`,
          subnetIds,
          tags: req.tags,
        },
      }),
      ready: conditionTrue(observed[SUBNET_GROUP]),
    };
  }
  const maintenanceWindow = spec.maintenance.window ?? strategy.maintenanceWindow;
  const observedProtection = atProvider(observed[INSTANCE])['deletionProtection'];
  const deletion: DeletionFacts = {
    what: `${xr.namespace}/${xr.name}`,
    identifier,
    protectedByTier: strategy.deletionProtection,
    tier: req.tier,
    allowDeletion: xr.annotations[ALLOW_DELETION_ANNOTATION] === 'true',
    observedProtection: typeof observedProtection === 'boolean' ? observedProtection : undefined,
    observeOnly: spec.skipCreate,
    finalSnapshot: strategy.finalSnapshot ? finalSnapshotIdentifier(identifier) : undefined,
  };
  resources[INSTANCE] = {
    resource: managedResource({
      ...common,
      apiVersion: RDS_API_VERSION,
      kind: 'Instance',
      name: localName(xr.name, 'postgres'),
      connectionSecret: rdsConnectionSecretName(xr.name),
      forProvider: {
        region: platform.aws.region,
        engine: 'postgres',
        engineVersion: chosen.version,
        instanceClass: strategy.instanceClass,
        allocatedStorage: strategy.allocatedStorage,
        maxAllocatedStorage: strategy.maxAllocatedStorage,
        storageType: strategy.storageType,
        storageEncrypted: true,
        publiclyAccessible: false,
        multiAz: strategy.multiAz,
        backupRetentionPeriod: strategy.backupRetentionPeriod,
        ...(strategy.backupWindow ? { backupWindow: strategy.backupWindow } : {}),
        ...(maintenanceWindow ? { maintenanceWindow } : {}),
        applyImmediately: spec.maintenance.applyImmediately,
        autoMinorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        deletionProtection: composedDeletionProtection(deletion),
        skipFinalSnapshot: !strategy.finalSnapshot,
        ...(strategy.finalSnapshot ? { finalSnapshotIdentifier: finalSnapshotIdentifier(identifier) } : {}),
        dbName: POSTGRES_DATABASE,
        username: POSTGRES_USERNAME,
        autoGeneratePassword: true,
        passwordSecretRef: { name: rdsPasswordSecretName(xr.name), key: 'password' },
        ...(subnetIds ? { dbSubnetGroupName: identifier } : {}),
        ...(strategy.securityGroupIds ? { vpcSecurityGroupIds: strategy.securityGroupIds } : {}),
        ...(composeSecurityGroup
          ? { vpcSecurityGroupIdRefs: [{ name: localName(xr.name, 'postgres') }] }
          : {}),
        tags: req.tags,
      },
    }),
    ready: conditionTrue(observed[INSTANCE]),
  };

  const status = atProvider(observed[INSTANCE]);
  const details = secretData(required[RDS_CONNECTION]?.[0]) ?? {};
  const host = details['host'] ?? (typeof status['address'] === 'string' ? status['address'] : undefined);
  const port = details['port'] ?? (status['port'] !== undefined ? String(status['port']) : undefined);
  // An observed-only instance's master password is not the provider's to write: the kept Secret's.
  const kept = keptConnection({
    skipCreate: spec.skipCreate,
    secretName: req.connectionSecretName,
    namespace: xr.namespace,
    required,
  });
  const password = details['password'] || keptValue(kept, 'password');
  return {
    resources,
    requirements: {
      [RDS_CONNECTION]: secretRequirement(rdsConnectionSecretName(xr.name), xr.namespace),
      ...kept.requirements,
    },
    connection:
      host && port && password
        ? postgresConnection({
            username: details['username'] || keptValue(kept, 'username') || POSTGRES_USERNAME,
            password,
            host,
            port,
            database: keptValue(kept, 'database') ?? POSTGRES_DATABASE,
          })
        : undefined,
    status: {
      externalName: identifier,
      version: chosen.version,
      ...(host && port ? { endpoint: `${host}:${port}` } : {}),
    },
    conditions: [deletionProtectedCondition(deletion)],
  };
};
