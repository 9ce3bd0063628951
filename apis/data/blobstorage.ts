import { z } from 'zod';
import type { CompositeKind } from '../definition.js';
import {
  DATA_GROUP,
  dataServiceFields,
  dataServicePrinterColumns,
  dataServiceStatusFields,
} from './common.js';

export const blobStorageSpecSchema = z
  .object({ ...dataServiceFields })
  .describe('The desired bucket with its own credentials.');

export const blobStorageStatusSchema = z
  .object({ ...dataServiceStatusFields })
  .describe('What was decided and composed for the bucket.');

export type BlobStorageSpec = z.output<typeof blobStorageSpecSchema>;

export const BlobStorage: CompositeKind<typeof blobStorageSpecSchema, typeof blobStorageStatusSchema> = {
  group: DATA_GROUP,
  version: 'v1alpha1',
  kind: 'BlobStorage',
  plural: 'blobstorages',
  scope: 'Namespaced',
  description:
    'An S3-compatible bucket with credentials limited to it; the bucket and credentials arrive in a Secret.',
  spec: blobStorageSpecSchema,
  status: blobStorageStatusSchema,
  printerColumns: dataServicePrinterColumns,
};
