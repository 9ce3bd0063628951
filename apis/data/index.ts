import type { CompositeKind } from '../definition.js';
import { BlobStorage } from './blobstorage.js';
import { Postgres } from './postgres.js';
import { Redis } from './redis.js';

/** The data service kinds (data.stackplane.io). */
export const dataCompositeKinds: readonly CompositeKind[] = [Postgres, Redis, BlobStorage];
