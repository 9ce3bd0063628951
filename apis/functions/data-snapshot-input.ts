import { z } from 'zod';
import type { InputKind } from '../definition.js';
import { awsSettingsSchema } from './data-service-input.js';

/** The VolumeSnapshotClasses in-cluster snapshots use, one per deletion policy. */
export const volumeSnapshotClassesSchema = z
  .object({
    Retain: z
      .string()
      .min(1)
      .describe('A VolumeSnapshotClass with deletionPolicy Retain: the snapshot outlives its object.'),
    Delete: z
      .string()
      .min(1)
      .describe('A VolumeSnapshotClass with deletionPolicy Delete: the snapshot goes with its object.'),
  })
  .describe('VolumeSnapshotClass by spec.deletionPolicy, for in-cluster sources.');

export const dataSnapshotInputSchema = z.object({
  environmentConfig: z
    .object({ name: z.string().min(1).describe('Name of the EnvironmentConfig.') })
    .optional()
    .describe(
      'Platform configuration: an EnvironmentConfig whose data.dataServices.aws and ' +
        'data.dataServices.volumeSnapshotClasses override this input and whose data.controllerID names the cluster.',
    ),
  controllerID: z
    .string()
    .regex(/^[a-z0-9]{1,16}$/, 'must be 1-16 lowercase letters or digits')
    .optional()
    .describe('Pins the cluster identifier used in external names.'),
  aws: awsSettingsSchema.prefault({}),
  volumeSnapshotClasses: volumeSnapshotClassesSchema,
});

export type DataSnapshotInput = z.output<typeof dataSnapshotInputSchema>;

export const DataSnapshotInput: InputKind<typeof dataSnapshotInputSchema> = {
  group: 'fn.stackplane.io',
  version: 'v1alpha1',
  kind: 'DataSnapshot',
  plural: 'datasnapshots',
  description:
    'Input of the step that snapshots a data service (PostgresSnapshot, RedisSnapshot): the AWS settings ' +
    'and the VolumeSnapshotClasses of in-cluster sources.',
  schema: dataSnapshotInputSchema,
};
