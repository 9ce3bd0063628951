import { z } from 'zod';
import type { InputKind } from '../definition.js';

export const secretRefSchema = z.object({
  name: z.string().min(1).describe('Name of the Secret.'),
  namespace: z.string().min(1).describe('Namespace of the Secret.'),
});

/** The provider config of the composed storage managed resources. */
export const providerConfigRefSchema = z.object({
  kind: z
    .enum(['ClusterProviderConfig', 'ProviderConfig'])
    .default('ClusterProviderConfig')
    .describe('ClusterProviderConfig, or a ProviderConfig in the namespace of the credentials Secret.'),
  name: z.string().min(1).describe('Name of the provider config.'),
});

export const storageClassesInputSchema = z.object({
  provisioner: z
    .string()
    .min(1)
    .default('csi.lightbitslabs.com')
    .describe('The CSI driver that provisions the volumes.'),
  environmentConfig: z
    .object({
      name: z.string().min(1).describe('Name of the EnvironmentConfig.'),
    })
    .optional()
    .describe(
      'Platform configuration: an EnvironmentConfig whose data.storage.endpoints (a list of host:port) ' +
        'is used when a StorageTenant does not name its endpoints.',
    ),
  credentialsSecret: secretRefSchema
    .default({ name: 'lb-csi-creds', namespace: 'kube-system' })
    .describe(
      'The Secret holding the tenant token (key jwt) that the CSI driver presents to the storage. The ' +
        'storage Project, Credential and Token are composed in its namespace: the Token writes it there.',
    ),
  providerConfigRef: providerConfigRefSchema
    .default({ kind: 'ClusterProviderConfig', name: 'default' })
    .describe(
      'The provider-stackplane config (storage API endpoint and admin key) of the storage Project, ' +
        'Credential and Token.',
    ),
  encryptionKeySecretName: z
    .string()
    .min(1)
    .default('storage-encryption-key')
    .describe('The Secret, in the namespace of each claim, holding the host encryption key.'),
  volumeSnapshotClass: z
    .object({
      deletionPolicy: z
        .enum(['Delete', 'Retain'])
        .default('Retain')
        .describe('What happens to a storage snapshot when its VolumeSnapshotContent is deleted.'),
    })
    .default({ deletionPolicy: 'Retain' })
    .describe('The VolumeSnapshotClass composed for the tenant.'),
});

export type StorageClassesInput = z.output<typeof storageClassesInputSchema>;

export const StorageClassesInput: InputKind<typeof storageClassesInputSchema> = {
  group: 'fn.stackplane.io',
  version: 'v1alpha1',
  kind: 'StorageClasses',
  plural: 'storageclasses',
  description:
    'Input of the step that composes the storage Project, Credential and Token, the StorageClasses and ' +
    'the VolumeSnapshotClass of a StorageTenant.',
  schema: storageClassesInputSchema,
};
