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

/** A container image reference, `registry/repository:tag` or with a digest. */
const imageSchema = z
  .string()
  .min(1)
  .regex(
    /^[^\s]+[:@][^\s]+$/,
    'must be an image reference with a tag or digest, for example registry.k8s.io/x:v1',
  );

/**
 * The images of the Lightbits CSI driver, pinned to the versions the replaced controller deploys
 * (lb-csi v1.21.0 with the kubernetes-csi sidecars it was tested with).
 */
export const csiImagesSchema = z.object({
  plugin: imageSchema
    .default('docker.lightbitslabs.com/lightos-csi/lb-csi-plugin:v1.21.0')
    .describe('The lb-csi-plugin image (controller, node and the nvme-tcp init container).'),
  discoveryClient: imageSchema
    .default('docker.lightbitslabs.com/lightos-csi/lb-nvme-discovery-client:v1.21.0')
    .describe('The lb-nvme-discovery-client image of the node pods.'),
  provisioner: imageSchema
    .default('registry.k8s.io/sig-storage/csi-provisioner:v5.3.0')
    .describe('The external-provisioner sidecar.'),
  attacher: imageSchema
    .default('registry.k8s.io/sig-storage/csi-attacher:v4.11.0')
    .describe('The external-attacher sidecar.'),
  resizer: imageSchema
    .default('registry.k8s.io/sig-storage/csi-resizer:v2.1.0')
    .describe('The external-resizer sidecar.'),
  nodeDriverRegistrar: imageSchema
    .default('registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.16.0')
    .describe('The node-driver-registrar sidecar of the node pods.'),
  snapshotter: imageSchema
    .default('registry.k8s.io/sig-storage/csi-snapshotter:v8.5.0')
    .describe('The external-snapshotter sidecar (only with the snapshot CRDs).'),
  snapshotController: imageSchema
    .default('registry.k8s.io/sig-storage/snapshot-controller:v8.5.0')
    .describe('The snapshot-controller (only with the snapshot CRDs and snapshotController: true).'),
});

export const csiDriverSchema = z.object({
  deploy: z
    .boolean()
    .default(true)
    .describe(
      'Compose the Lightbits CSI driver (CSIDriver, controller StatefulSet, node DaemonSet, their ' +
        'ServiceAccounts and RBAC). false when the platform installs the driver itself.',
    ),
  snapshotController: z
    .boolean()
    .default(true)
    .describe(
      'Run the CSI snapshot-controller in the driver controller pod, as the replaced controller does. ' +
        'false when the cluster runs its own (one per cluster).',
    ),
  images: csiImagesSchema.default(csiImagesSchema.parse({})).describe('The driver images.'),
});

export const networkPolicySchema = z.object({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      'Compose a metal-stack ClusterwideNetworkPolicy that lets the nodes reach the storage servers ' +
        '(egress TCP 443, 4420, 8009). Needs the firewall-controller CRD in the tenant cluster.',
    ),
  name: z.string().min(1).default('allow-to-storage').describe('Name of the ClusterwideNetworkPolicy.'),
  namespace: z
    .string()
    .min(1)
    .default('firewall')
    .describe('Namespace the firewall-controller reads ClusterwideNetworkPolicies from.'),
  cidrs: z
    .array(z.string().regex(/^[0-9a-fA-F.:]+\/[0-9]{1,3}$/, 'must be a CIDR, for example 10.128.0.0/14'))
    .default([])
    .describe('The storage network; required when enabled.'),
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
        'is used when a StorageTenant does not name its endpoints, and whose data.storage.csiDriver and ' +
        'data.storage.networkPolicy override those of this input.',
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
      name: z
        .string()
        .min(1)
        .default('partition-snapshot')
        .describe('Name of the VolumeSnapshotClass. A tenant keeps the name its class was created with.'),
      deletionPolicy: z
        .enum(['Delete', 'Retain'])
        .default('Delete')
        .describe('What happens to a storage snapshot when its VolumeSnapshotContent is deleted.'),
      default: z.boolean().default(true).describe('Mark it the default VolumeSnapshotClass of the cluster.'),
    })
    .default({ name: 'partition-snapshot', deletionPolicy: 'Delete', default: true })
    .describe('The VolumeSnapshotClass composed for the tenant, when the cluster serves snapshots.'),
  csiDriver: csiDriverSchema
    .default(csiDriverSchema.parse({}))
    .describe(
      'The Lightbits CSI driver composed with the classes; data.storage.csiDriver of the ' +
        'EnvironmentConfig overrides it field by field.',
    ),
  networkPolicy: networkPolicySchema
    .default(networkPolicySchema.parse({}))
    .describe(
      'The network policy to the storage servers; data.storage.networkPolicy of the EnvironmentConfig ' +
        'overrides it field by field.',
    ),
});

export type CsiDriverSettings = z.output<typeof csiDriverSchema>;
export type NetworkPolicySettings = z.output<typeof networkPolicySchema>;

export type StorageClassesInput = z.output<typeof storageClassesInputSchema>;

export const StorageClassesInput: InputKind<typeof storageClassesInputSchema> = {
  group: 'fn.stackplane.io',
  version: 'v1alpha1',
  kind: 'StorageClasses',
  plural: 'storageclasses',
  description:
    'Input of the step that composes the storage Project, Credential and Token, the StorageClasses, ' +
    'the VolumeSnapshotClass, the Lightbits CSI driver and the network policy of a StorageTenant.',
  schema: storageClassesInputSchema,
};
