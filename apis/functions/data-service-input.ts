import { z } from 'zod';
import type { InputKind } from '../definition.js';

/** The providers that can serve a data service. */
export const PROVIDERS = ['aws', 'in-cluster'] as const;
export type DataProvider = (typeof PROVIDERS)[number];

/** The resource types of the deployment-type table, one per data service kind. */
export const RESOURCE_TYPES = ['postgres', 'redis', 'blobstorage', 'smtp'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

const providerSchema = z.enum(PROVIDERS).describe('The provider: aws or in-cluster.');

export const deploymentTypeSchema = z
  .object({
    postgres: providerSchema.optional().describe('Provider of Postgres for this deployment type.'),
    redis: providerSchema.optional().describe('Provider of Redis for this deployment type.'),
    blobstorage: providerSchema.optional().describe('Provider of BlobStorage for this deployment type.'),
    smtp: providerSchema.optional().describe('Provider of SMTPCredentials for this deployment type.'),
  })
  .describe('Which provider serves each resource type for one deployment type.');

const versionList = z
  .array(z.string().min(1))
  .min(1)
  .describe('The versions a user may ask for in spec.version.');

const resourcesSchema = z
  .object({
    requests: z
      .record(z.string(), z.string())
      .optional()
      .describe('Resource requests, for example cpu: 250m, memory: 256Mi.'),
    limits: z.record(z.string(), z.string()).optional().describe('Resource limits.'),
  })
  .describe('Container resources of the workload.');

/** AWS RDS parameters of one Postgres tier. */
export const awsPostgresStrategySchema = z
  .object({
    instanceClass: z.string().min(1).describe('RDS instance class, for example db.t4g.micro.'),
    engineVersion: z.string().min(1).describe('Engine version used when spec.version is not set.'),
    allowedVersions: versionList,
    allocatedStorage: z.number().int().min(20).describe('Initial storage in GiB.'),
    maxAllocatedStorage: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Upper bound of storage autoscaling in GiB; 0 disables autoscaling.'),
    storageType: z.string().min(1).default('gp3').describe('RDS storage type.'),
    multiAz: z.boolean().default(false).describe('Run a standby in another availability zone.'),
    backupRetentionPeriod: z.number().int().min(0).max(35).describe('Days automated backups are kept.'),
    backupWindow: z.string().optional().describe('Daily backup window (UTC), for example 03:00-04:00.'),
    maintenanceWindow: z
      .string()
      .optional()
      .describe('Default maintenance window, for example Sun:04:30-Sun:05:30.'),
    deletionProtection: z.boolean().default(false).describe('Refuse deletion of the instance.'),
    finalSnapshot: z.boolean().default(false).describe('Take a final snapshot when the instance is deleted.'),
    subnetIds: z
      .array(z.string().min(1))
      .optional()
      .describe('Subnets of a DB subnet group composed for the instance; absent: the default group.'),
    securityGroupIds: z.array(z.string().min(1)).optional().describe('VPC security groups of the instance.'),
  })
  .describe('RDS parameters of one tier.');

/** In-cluster parameters of one Postgres tier. */
export const inClusterPostgresStrategySchema = z
  .object({
    image: z.string().min(1).describe('Image repository; the tag is the version.'),
    engineVersion: z.string().min(1).describe('Version (image tag) used when spec.version is not set.'),
    allowedVersions: versionList,
    storageSize: z.string().min(1).describe('Size of the data volume, for example 1Gi.'),
    storageClassName: z.string().min(1).optional().describe('StorageClass of the data volume.'),
    resources: resourcesSchema.optional(),
  })
  .describe('In-cluster parameters of one tier.');

/** AWS ElastiCache parameters of one Redis tier. */
export const awsRedisStrategySchema = z
  .object({
    nodeType: z.string().min(1).describe('Node type, for example cache.t4g.micro; spec.size overrides it.'),
    engineVersion: z.string().min(1).describe('Redis engine version, for example 7.1.'),
    numCacheClusters: z
      .number()
      .int()
      .min(1)
      .max(6)
      .describe('Nodes: the primary and its replicas; more than one turns on failover across zones.'),
    snapshotRetentionLimit: z.number().int().min(0).max(35).describe('Days automatic snapshots are kept.'),
    snapshotWindow: z.string().optional().describe('Daily snapshot window (UTC), for example 02:00-03:00.'),
    maintenanceWindow: z
      .string()
      .optional()
      .describe('Default maintenance window, for example sun:04:00-sun:05:00.'),
    subnetGroupName: z.string().min(1).optional().describe('An existing ElastiCache subnet group.'),
    securityGroupIds: z.array(z.string().min(1)).optional().describe('VPC security groups of the nodes.'),
  })
  .describe('ElastiCache parameters of one tier.');

/** In-cluster parameters of one Redis tier. */
export const inClusterRedisStrategySchema = z
  .object({
    image: z.string().min(1).describe('Image repository; the tag is the version.'),
    engineVersion: z.string().min(1).describe('Redis version (image tag).'),
    storageSize: z.string().min(1).describe('Size of the data volume, for example 1Gi.'),
    storageClassName: z.string().min(1).optional().describe('StorageClass of the data volume.'),
    resources: resourcesSchema.optional(),
  })
  .describe('In-cluster parameters of one tier.');

/** AWS S3 parameters of one BlobStorage tier. */
export const awsBlobStorageStrategySchema = z
  .object({
    forceDestroy: z
      .boolean()
      .default(false)
      .describe('Delete the objects with the bucket; false keeps a non-empty bucket from being deleted.'),
  })
  .describe('S3 parameters of one tier.');

/** In-cluster parameters of one BlobStorage tier: an S3-compatible server per resource. */
export const inClusterBlobStorageStrategySchema = z
  .object({
    image: z.string().min(1).describe('S3-compatible server image, with its tag.'),
    clientImage: z
      .string()
      .min(1)
      .describe('Client image, with its tag, of the Job that creates the bucket.'),
    region: z.string().min(1).default('us-east-1').describe('Region the server reports.'),
    storageSize: z.string().min(1).describe('Size of the data volume, for example 1Gi.'),
    storageClassName: z.string().min(1).optional().describe('StorageClass of the data volume.'),
    resources: resourcesSchema.optional(),
  })
  .describe('In-cluster parameters of one tier.');

/** AWS SES parameters of one SMTPCredentials tier. */
export const awsSmtpStrategySchema = z
  .object({
    domain: z
      .string()
      .min(1)
      .max(253)
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/,
        'must be a DNS domain, for example mail.example.com',
      )
      .describe(
        'The sending domain: an SES email identity, shared by every SMTPCredentials of this tier and ' +
          'never deleted with one of them.',
      ),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(587)
      .describe('SMTP port of the SES endpoint; 587 offers STARTTLS.'),
  })
  .describe('SES parameters of one tier.');

/** In-cluster parameters of one SMTPCredentials tier: a development mail sink per resource. */
export const inClusterSmtpStrategySchema = z
  .object({
    image: z.string().min(1).describe('Mail sink image (Mailpit), with its tag.'),
    resources: resourcesSchema.optional(),
  })
  .describe('In-cluster parameters of one tier.');

const tiers = <T extends z.ZodType>(strategy: T, what: string) =>
  z.record(z.string(), strategy).optional().describe(`${what}, by tier name.`);

export const strategiesSchema = z
  .object({
    postgres: z
      .object({
        aws: tiers(awsPostgresStrategySchema, 'RDS strategies'),
        'in-cluster': tiers(inClusterPostgresStrategySchema, 'In-cluster strategies'),
      })
      .optional()
      .describe('Postgres strategies by provider.'),
    redis: z
      .object({
        aws: tiers(awsRedisStrategySchema, 'ElastiCache strategies'),
        'in-cluster': tiers(inClusterRedisStrategySchema, 'In-cluster strategies'),
      })
      .optional()
      .describe('Redis strategies by provider.'),
    blobstorage: z
      .object({
        aws: tiers(awsBlobStorageStrategySchema, 'S3 strategies'),
        'in-cluster': tiers(inClusterBlobStorageStrategySchema, 'In-cluster strategies'),
      })
      .optional()
      .describe('BlobStorage strategies by provider.'),
    smtp: z
      .object({
        aws: tiers(awsSmtpStrategySchema, 'SES strategies'),
        'in-cluster': tiers(inClusterSmtpStrategySchema, 'In-cluster strategies'),
      })
      .optional()
      .describe('SMTPCredentials strategies by provider.'),
  })
  .describe('Per resource type, per provider, per tier: the parameters the provider gets.');

/** Characters AWS allows in tag keys. */
const TAG_KEY_CHARACTERS = /^[A-Za-z0-9 _.:/=+\-@]*$/;
const tagKeyPart = (fallback: string, what: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(TAG_KEY_CHARACTERS, 'must be letters, digits, spaces and _ . : / = + - @')
    .default(fallback)
    .describe(`Key of the ${what} tag, after the prefix.`);

/** Tag keys of every cloud resource: a prefix and one key per fact. */
export const tagSettingsSchema = z
  .object({
    prefix: z
      .string()
      .max(64)
      .regex(TAG_KEY_CHARACTERS, 'must be letters, digits, spaces and _ . : / = + - @')
      .default('stackplane.io/')
      .describe(
        'Prefix of every tag key. A platform moving from the original operator sets integreatly.org/ ' +
          '(with keys.clusterId: clusterID), so cost reports and tag queries keep working.',
      ),
    keys: z
      .object({
        clusterId: tagKeyPart('cluster-id', 'cluster id'),
        resourceType: tagKeyPart('resource-type', 'resource type (postgres, redis, ...)'),
        resourceName: tagKeyPart('resource-name', 'resource name (<namespace>/<name>)'),
        productName: tagKeyPart('product-name', 'product name (spec.productName)'),
        deploymentType: tagKeyPart('deployment-type', 'deployment type (spec.type)'),
      })
      .prefault({})
      .describe('Tag key per fact, after the prefix.'),
  })
  .prefault({})
  .describe('How cloud resources are tagged.');

/** An IPv4 CIDR block, for example 10.0.0.0/16. */
const CIDR_BLOCK = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/**
 * The network the platform gives instead of hand-made groups: Stackplane composes a subnet group and
 * a security group per database or cache in it. Strategy ids (subnetIds, subnetGroupName,
 * securityGroupIds) still win where a tier sets them.
 */
export const awsNetworkSchema = z
  .object({
    vpcId: z.string().min(1).describe('The VPC the databases and caches live in, for example vpc-0a1b2c.'),
    subnetIds: z
      .array(z.string().min(1))
      .min(2)
      .describe('Private subnets of that VPC, in at least two availability zones (RDS requires two).'),
    clientCidrBlocks: z
      .array(z.string().regex(CIDR_BLOCK, 'must be an IPv4 CIDR block, for example 10.0.0.0/16'))
      .min(1)
      .describe("Where clients connect from, for example the VPC's or the cluster nodes' CIDR blocks."),
  })
  .describe('The VPC and subnets in which subnet groups and security groups are composed.');

export const awsSettingsSchema = z
  .object({
    region: z.string().min(1).default('eu-west-1').describe('AWS region of every composed resource.'),
    providerConfigName: z
      .string()
      .min(1)
      .default('default')
      .describe('The ClusterProviderConfig of provider-upjet-aws to use.'),
    tags: tagSettingsSchema,
    network: awsNetworkSchema.optional(),
  })
  .describe('Settings shared by every AWS resource.');

/** The part of the input an EnvironmentConfig may override (data.dataServices), merged deeply. */
export const dataPlatformSchema = z.object({
  deploymentTypes: z
    .record(z.string(), deploymentTypeSchema)
    .describe('Deployment type name (spec.type) to the providers serving it.'),
  strategies: strategiesSchema,
  aws: awsSettingsSchema.prefault({}),
});

export const dataServiceInputSchema = dataPlatformSchema.extend({
  environmentConfig: z
    .object({ name: z.string().min(1).describe('Name of the EnvironmentConfig.') })
    .optional()
    .describe(
      'Platform configuration: an EnvironmentConfig whose data.dataServices overrides any part of this ' +
        'input (merged deeply) and whose data.controllerID names the cluster.',
    ),
  controllerID: z
    .string()
    .regex(/^[a-z0-9]{1,16}$/, 'must be 1-16 lowercase letters or digits')
    .optional()
    .describe('Pins the cluster identifier used in external names.'),
});

export type DataPlatform = z.output<typeof dataPlatformSchema>;
export type DataServiceInput = z.output<typeof dataServiceInputSchema>;
export type AwsPostgresStrategy = z.output<typeof awsPostgresStrategySchema>;
export type InClusterPostgresStrategy = z.output<typeof inClusterPostgresStrategySchema>;
export type AwsRedisStrategy = z.output<typeof awsRedisStrategySchema>;
export type InClusterRedisStrategy = z.output<typeof inClusterRedisStrategySchema>;
export type AwsBlobStorageStrategy = z.output<typeof awsBlobStorageStrategySchema>;
export type InClusterBlobStorageStrategy = z.output<typeof inClusterBlobStorageStrategySchema>;
export type AwsSmtpStrategy = z.output<typeof awsSmtpStrategySchema>;
export type InClusterSmtpStrategy = z.output<typeof inClusterSmtpStrategySchema>;
export type AwsSettings = z.output<typeof awsSettingsSchema>;
export type TagSettings = z.output<typeof tagSettingsSchema>;
export type AwsNetwork = z.output<typeof awsNetworkSchema>;

export const DataServiceInput: InputKind<typeof dataServiceInputSchema> = {
  group: 'fn.stackplane.io',
  version: 'v1alpha1',
  kind: 'DataService',
  plural: 'dataservices',
  description:
    'Input of the step that composes a data service (Postgres, Redis, BlobStorage, SMTPCredentials): ' +
    'the deployment-type table and the strategies of each provider and tier.',
  schema: dataServiceInputSchema,
};
