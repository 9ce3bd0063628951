import type { CompositeKind } from '../definition.js';
import { BlobStorage } from './blobstorage.js';
import { Postgres } from './postgres.js';
import { Redis } from './redis.js';
import { SMTPCredentials } from './smtpcredentials.js';
import { PostgresSnapshot, RedisSnapshot } from './snapshots.js';

/** The data service kinds (data.stackplane.io). */
export const dataCompositeKinds: readonly CompositeKind[] = [
  Postgres,
  Redis,
  BlobStorage,
  SMTPCredentials,
  PostgresSnapshot,
  RedisSnapshot,
];
