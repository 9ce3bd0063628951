import { z } from 'zod';
import type { CompositeKind } from '../definition.js';
import {
  DATA_GROUP,
  dataServiceFields,
  dataServicePrinterColumns,
  dataServiceStatusFields,
} from './common.js';

export const redisSpecSchema = z
  .object({
    ...dataServiceFields,
    size: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Node size override, for example cache.t4g.medium on AWS. Defaults to the strategy size.'),
  })
  .describe('The desired Redis cache.');

export const redisStatusSchema = z
  .object({
    ...dataServiceStatusFields,
    version: z.string().optional().describe('The Redis engine version requested from the provider.'),
  })
  .describe('What was decided and composed for the cache.');

export type RedisSpec = z.output<typeof redisSpecSchema>;

export const Redis: CompositeKind<typeof redisSpecSchema, typeof redisStatusSchema> = {
  group: DATA_GROUP,
  version: 'v1alpha1',
  kind: 'Redis',
  plural: 'redis',
  scope: 'Namespaced',
  description: 'A Redis cache of a tier and deployment type; its connection details arrive in a Secret.',
  spec: redisSpecSchema,
  status: redisStatusSchema,
  printerColumns: dataServicePrinterColumns,
};
