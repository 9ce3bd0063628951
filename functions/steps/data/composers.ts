import type { DataProvider, ResourceType } from '../../../apis/functions/data-service-input.js';
import { blobStorageOnAws } from './blobstorage/aws.js';
import { blobStorageInCluster } from './blobstorage/in-cluster.js';
import type { Composer } from './composer.js';
import { postgresOnAws } from './postgres/aws.js';
import { postgresInCluster } from './postgres/in-cluster.js';
import { redisOnAws } from './redis/aws.js';
import { redisInCluster } from './redis/in-cluster.js';
import { smtpOnAws } from './smtp/aws.js';
import { smtpInCluster } from './smtp/in-cluster.js';

/** The composite kinds of the data services and the resource type each is in the platform tables. */
export const RESOURCE_TYPE_OF_KIND: Readonly<Record<string, ResourceType>> = {
  Postgres: 'postgres',
  Redis: 'redis',
  BlobStorage: 'blobstorage',
  SMTPCredentials: 'smtp',
};

/**
 * One module per resource type and provider. Each is typed by its own strategy schema; the step
 * hands it the strategy its provider's table holds, already validated by that schema.
 */
export const composers: Readonly<Record<ResourceType, Partial<Record<DataProvider, Composer>>>> = {
  postgres: { aws: postgresOnAws as Composer, 'in-cluster': postgresInCluster as Composer },
  redis: { aws: redisOnAws as Composer, 'in-cluster': redisInCluster as Composer },
  blobstorage: { aws: blobStorageOnAws as Composer, 'in-cluster': blobStorageInCluster as Composer },
  smtp: { aws: smtpOnAws as Composer, 'in-cluster': smtpInCluster as Composer },
};
