import { z } from 'zod';
import type { CompositeKind, PrinterColumn } from '../definition.js';
import { DATA_GROUP } from './common.js';

/** The deletion policies of a snapshot. */
export const SNAPSHOT_DELETION_POLICIES = ['Retain', 'Delete'] as const;

const snapshotSpecSchema = (source: string) =>
  z
    .object({
      resourceName: z
        .string()
        .min(1)
        .max(253)
        .regex(
          /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
          `must be the name of a ${source}: lowercase letters, digits, "-" and "."`,
        )
        .describe(`The ${source} to snapshot, in this namespace. The source is never changed or deleted.`),
      deletionPolicy: z
        .enum(SNAPSHOT_DELETION_POLICIES)
        .default('Retain')
        .describe(
          'Retain keeps the snapshot in the provider when this resource is deleted; Delete removes it too.',
        ),
    })
    .describe(`A point-in-time snapshot of a ${source}.`);

export const snapshotStatusSchema = z
  .object({
    provider: z.string().optional().describe('The provider holding the snapshot: aws or in-cluster.'),
    source: z
      .string()
      .optional()
      .describe('What was snapshotted: the database or cache identifier, or the data volume claim.'),
    snapshotID: z.string().optional().describe('The snapshot identifier in the provider.'),
    phase: z.string().optional().describe('WaitingForSource, Creating or Ready: where the snapshot stands.'),
  })
  .describe('What was snapshotted and where the snapshot stands.');

export const postgresSnapshotSpecSchema = snapshotSpecSchema('Postgres');
export const redisSnapshotSpecSchema = snapshotSpecSchema('Redis');
export type SnapshotSpec = z.output<typeof postgresSnapshotSpecSchema>;

const printerColumns: PrinterColumn[] = [
  { name: 'SOURCE', type: 'string', jsonPath: '.spec.resourceName' },
  { name: 'PROVIDER', type: 'string', jsonPath: '.status.provider' },
  { name: 'SNAPSHOT', type: 'string', jsonPath: '.status.snapshotID' },
  { name: 'PHASE', type: 'string', jsonPath: '.status.phase' },
];

export const PostgresSnapshot: CompositeKind<typeof postgresSnapshotSpecSchema, typeof snapshotStatusSchema> =
  {
    group: DATA_GROUP,
    version: 'v1alpha1',
    kind: 'PostgresSnapshot',
    plural: 'postgressnapshots',
    scope: 'Namespaced',
    description: 'A snapshot of a Postgres in the same namespace, taken by its provider.',
    spec: postgresSnapshotSpecSchema,
    status: snapshotStatusSchema,
    printerColumns,
  };

export const RedisSnapshot: CompositeKind<typeof redisSnapshotSpecSchema, typeof snapshotStatusSchema> = {
  group: DATA_GROUP,
  version: 'v1alpha1',
  kind: 'RedisSnapshot',
  plural: 'redissnapshots',
  scope: 'Namespaced',
  description: 'A snapshot of a Redis in the same namespace, taken by its provider.',
  spec: redisSnapshotSpecSchema,
  status: snapshotStatusSchema,
  printerColumns,
};
