import { z } from 'zod';
import type { CompositeKind } from '../definition.js';
import {
  DATA_GROUP,
  dataServiceFields,
  dataServicePrinterColumns,
  dataServiceStatusFields,
} from './common.js';

export const postgresSpecSchema = z
  .object({
    ...dataServiceFields,
    version: z
      .string()
      .min(1)
      .max(32)
      .regex(/^[0-9]+(\.[0-9]+)*$/, 'must be a version number, for example 16.4')
      .optional()
      .describe(
        'PostgreSQL version. Must be one the strategy allows; defaults to the strategy version ' +
          'and, once running, stays what it was.',
      ),
  })
  .describe('The desired PostgreSQL database.');

export const postgresStatusSchema = z
  .object({
    ...dataServiceStatusFields,
    version: z.string().optional().describe('The PostgreSQL version requested from the provider.'),
  })
  .describe('What was decided and composed for the database.');

export type PostgresSpec = z.output<typeof postgresSpecSchema>;

export const Postgres: CompositeKind<typeof postgresSpecSchema, typeof postgresStatusSchema> = {
  group: DATA_GROUP,
  version: 'v1alpha1',
  kind: 'Postgres',
  plural: 'postgres',
  scope: 'Namespaced',
  description:
    'A PostgreSQL database of a tier and deployment type; its connection details arrive in a Secret.',
  spec: postgresSpecSchema,
  status: postgresStatusSchema,
  printerColumns: dataServicePrinterColumns,
};
