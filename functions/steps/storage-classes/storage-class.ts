import type { StorageClassEntry } from '../../../apis/storage/storagetenant.js';
import type { StorageClassesInput } from '../../../apis/functions/storage-classes-input.js';
import type { KubeObject } from '../../types.js';

/** Labels on everything the step composes, so `kubectl get sc -l app.kubernetes.io/managed-by=stackplane` finds it. */
/** The label naming the tenant an object belongs to. */
export const TENANT_LABEL = 'storage.stackplane.io/tenant';

export function tenantLabels(tenant: string): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'stackplane', [TENANT_LABEL]: tenant };
}

/** What every StorageClass of a tenant shares. */
export interface TenantStorage {
  tenant: string;
  projectID: string;
  endpoints: readonly string[];
}

/** The CSI operations that present the tenant token; each gets a secret-name and secret-namespace parameter. */
const TOKEN_SECRET_OPERATIONS = [
  'provisioner',
  'controller-publish',
  'controller-expand',
  'node-stage',
  'node-publish',
];

/** Operations that run on the node, where an encrypted volume also needs the host encryption key. */
const NODE_OPERATIONS = new Set(['node-stage', 'node-publish']);

/**
 * Each operation's parameter names, built once: a key assembled anew for every class is a fresh
 * string the engine must look up before every store.
 */
const TOKEN_SECRET_PARAMETERS = TOKEN_SECRET_OPERATIONS.map((operation) => ({
  nameKey: `csi.storage.k8s.io/${operation}-secret-name`,
  namespaceKey: `csi.storage.k8s.io/${operation}-secret-namespace`,
  onNode: NODE_OPERATIONS.has(operation),
}));

/** Whether an entry's volumes are compressed: on by default, never together with encryption. */
export function compressionEnabled(entry: StorageClassEntry): boolean {
  return entry.compression ?? !entry.encryption;
}

/** The StorageClass for one entry of a StorageTenant. */
export function storageClassFor(
  entry: StorageClassEntry,
  storage: TenantStorage,
  input: StorageClassesInput,
): KubeObject {
  const parameters: Record<string, string> = {
    'mgmt-scheme': 'grpcs',
    'mgmt-endpoint': storage.endpoints.join(','),
    'project-name': storage.projectID,
    'replica-count': String(entry.replicas),
    compression: compressionEnabled(entry) ? 'enabled' : 'disabled',
  };
  if (entry.encryption) parameters['host-encryption'] = 'enabled';
  for (const { nameKey, namespaceKey, onNode } of TOKEN_SECRET_PARAMETERS) {
    // ${pvc.namespace} is expanded by the CSI provisioner: each claim's namespace holds its own key.
    const encryptedOnNode = entry.encryption && onNode;
    parameters[nameKey] = encryptedOnNode ? input.encryptionKeySecretName : input.credentialsSecret.name;
    parameters[namespaceKey] = encryptedOnNode ? '${pvc.namespace}' : input.credentialsSecret.namespace;
  }
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: entry.name,
      labels: tenantLabels(storage.tenant),
      annotations: { 'storageclass.kubernetes.io/is-default-class': String(entry.default) },
    },
    provisioner: input.provisioner,
    allowVolumeExpansion: true,
    reclaimPolicy: entry.reclaimPolicy,
    volumeBindingMode: entry.volumeBindingMode,
    parameters,
  };
}

/**
 * The VolumeSnapshotClass of a tenant, as the replaced controller ships it: the default class of the
 * cluster, with the token Secret for creating, listing and deleting snapshots. The deletion-secret
 * parameters are passed on to the driver as the driver's own examples do.
 */
export function volumeSnapshotClassFor(
  name: string,
  storage: TenantStorage,
  input: StorageClassesInput,
): KubeObject {
  const { name: secret, namespace } = input.credentialsSecret;
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshotClass',
    metadata: {
      name,
      labels: tenantLabels(storage.tenant),
      annotations: {
        'snapshot.storage.kubernetes.io/is-default-class': String(input.volumeSnapshotClass.default),
      },
    },
    driver: input.provisioner,
    deletionPolicy: input.volumeSnapshotClass.deletionPolicy,
    parameters: {
      'csi.storage.k8s.io/snapshotter-secret-name': secret,
      'csi.storage.k8s.io/snapshotter-secret-namespace': namespace,
      'csi.storage.k8s.io/snapshotter-list-secret-name': secret,
      'csi.storage.k8s.io/snapshotter-list-secret-namespace': namespace,
      'snapshot.storage.kubernetes.io/deletion-secret-name': secret,
      'snapshot.storage.kubernetes.io/deletion-secret-namespace': namespace,
    },
  };
}
