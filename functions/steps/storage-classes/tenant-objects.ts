/**
 * Everything a tenant needs in its own cluster: the token Secret (copied there for a remote target),
 * the StorageClasses, the VolumeSnapshotClass when the cluster serves snapshots, the CSI driver and the
 * network policy, each with its readiness, and the conditions that explain them.
 */
import type { StorageClassEntry } from '../../../apis/storage/storagetenant.js';
import type { StorageClassesInput } from '../../../apis/functions/storage-classes-input.js';
import { internedNames } from '../../interned.js';
import type { DesiredResource, KubeObject, StepCondition, StepResult } from '../../types.js';
import { csiRbac } from './csi-rbac.js';
import {
  CONTROLLER_NAME,
  CSI_CONTROLLER_RESOURCE,
  CSI_DRIVER_RESOURCE,
  CSI_NODE_RESOURCE,
  NODE_NAME,
  controllerStatefulSet,
  csiDriverObject,
  nodeDaemonSet,
  type DriverContext,
} from './csi-workloads.js';
import { NETWORK_POLICY_RESOURCE, storageNetworkPolicy } from './network-policy.js';
import type { PlatformSettings } from './platform.js';
import { immutableChanges } from './replacement.js';
import {
  SNAPSHOT_CRD_NAME,
  snapshotCondition,
  snapshotSupport,
  type SnapshotSupport,
} from './snapshot-support.js';
import { storageClassFor, volumeSnapshotClassFor, type TenantStorage } from './storage-class.js';
import type { TenantCluster } from './tenant-cluster.js';
import { daemonSetAvailability, statefulSetAvailability } from './workload-readiness.js';

/** Composition resource names: one per StorageClass entry, one for the snapshot class. */
/** The composed resource of a StorageClass entry; used as a key a few times per class and request. */
export const storageClassResourceName = internedNames((name) => `storageclass-${name}`);
export const SNAPSHOT_CLASS_RESOURCE = 'volumesnapshotclass';
/** Remote targets only: the token Secret in the tenant cluster, and the snapshot CRD probe. */
export const TOKEN_SECRET_RESOURCE = 'token-secret';
export const SNAPSHOT_CRD_PROBE_RESOURCE = 'volumesnapshotclass-crd';

/** The condition that says whether the CSI driver's pods are available. */
export const CSI_DRIVER_CONDITION = 'CSIDriver';

export interface TenantObjectsRequest {
  classes: readonly StorageClassEntry[];
  storage: TenantStorage;
  input: StorageClassesInput;
  settings: PlatformSettings;
  cluster: TenantCluster;
  /** For a remote target, the management-side token Secret to copy into the tenant's cluster. */
  remoteTokenSource?: { name: string; namespace: string };
  /** Whether the management-side token Secret holds the token. */
  tokenWritten: boolean;
  /** Whether that Secret is controlled by something other than the tenant's Token: never copied. */
  tokenForeign?: boolean;
  /** Local targets: the VolumeSnapshotClass CRD as Crossplane fetched it. */
  snapshotCrd?: KubeObject | undefined;
}

export interface TenantObjects {
  resources: Record<string, DesiredResource>;
  conditions: StepCondition[];
  results: StepResult[];
  /** Whether a StorageClass is left out this run to be created anew. */
  replacing: boolean;
  /** Whether the CSI driver can read the token in the tenant's cluster. */
  tokenInCluster: boolean;
  volumeSnapshotClass?: string;
}

export function tenantObjects(request: TenantObjectsRequest): TenantObjects {
  const { cluster, input, storage } = request;
  const resources: Record<string, DesiredResource> = {};
  const exists = (name: string) => cluster.observe(name) !== undefined;
  const place = (name: string, manifest: KubeObject, ready: boolean) => {
    resources[name] = { resource: cluster.compose(name, manifest), ready };
  };

  const tokenInCluster = copyToken(request, resources);
  const snapshots = observeSnapshotSupport(request, resources);

  const { results, replacing } = composeClasses(request, tokenInCluster, place);
  let volumeSnapshotClass: string | undefined;
  if (snapshots.served) {
    // A tenant keeps the class name it was created with: renaming would leave two default classes.
    const observedName = (
      cluster.observe(SNAPSHOT_CLASS_RESOURCE)?.['metadata'] as { name?: string } | undefined
    )?.name;
    volumeSnapshotClass = observedName ?? input.volumeSnapshotClass.name;
    place(
      SNAPSHOT_CLASS_RESOURCE,
      volumeSnapshotClassFor(volumeSnapshotClass, storage, input),
      exists(SNAPSHOT_CLASS_RESOURCE) && tokenInCluster,
    );
  }

  const driverCondition = composeDriver(request, snapshots, place, exists);
  if (request.settings.networkPolicy.enabled) {
    place(
      NETWORK_POLICY_RESOURCE,
      storageNetworkPolicy(request.settings.networkPolicy, storage.tenant),
      exists(NETWORK_POLICY_RESOURCE),
    );
  }
  return {
    resources,
    conditions: [
      driverCondition,
      snapshotCondition(snapshots, volumeSnapshotClass ?? input.volumeSnapshotClass.name),
    ],
    results,
    replacing,
    tokenInCluster,
    ...(volumeSnapshotClass ? { volumeSnapshotClass } : {}),
  };
}

/**
 * Remote targets: the token Secret in the tenant's cluster, its jwt patched in by provider-kubernetes
 * from the Secret the storage Token writes here, so the token never passes through the function.
 * Composed once that Secret holds the token, then kept.
 */
function copyToken(request: TenantObjectsRequest, resources: Record<string, DesiredResource>): boolean {
  const { cluster, remoteTokenSource: source, input } = request;
  if (!source) return request.tokenWritten;
  const copied = cluster.observe(TOKEN_SECRET_RESOURCE) !== undefined;
  // Another tenant's token is never copied; a copy made from it goes (and with it the token).
  if (request.tokenForeign === true) return false;
  if (!request.tokenWritten && !copied) return false;
  const manifest = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: input.credentialsSecret.name, namespace: input.credentialsSecret.namespace },
    type: 'Opaque',
  };
  const references = [
    {
      patchesFrom: {
        apiVersion: 'v1',
        kind: 'Secret',
        name: source.name,
        namespace: source.namespace,
        fieldPath: 'data.jwt',
      },
      toFieldPath: 'data.jwt',
    },
  ];
  resources[TOKEN_SECRET_RESOURCE] = {
    resource: cluster.compose(TOKEN_SECRET_RESOURCE, manifest, { references }),
    ready: copied,
  };
  return request.tokenWritten && copied;
}

/**
 * Whether the tenant's cluster serves snapshot.storage.k8s.io/v1: for a local target from the CRD
 * Crossplane fetched, for a remote one from an observe-only Object of that CRD (which never blocks
 * readiness: a missing CRD is a condition, not a failure).
 */
function observeSnapshotSupport(
  request: TenantObjectsRequest,
  resources: Record<string, DesiredResource>,
): SnapshotSupport {
  if (!request.remoteTokenSource) return snapshotSupport(request.snapshotCrd);
  const probe = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: SNAPSHOT_CRD_NAME },
  };
  const answer = request.cluster.answered(SNAPSHOT_CRD_PROBE_RESOURCE);
  resources[SNAPSHOT_CRD_PROBE_RESOURCE] = {
    resource: request.cluster.compose(SNAPSHOT_CRD_PROBE_RESOURCE, probe, { observeOnly: true }),
    // Ready once answered, either way: a missing CRD is a condition, never a reason to wait.
    ready: answer.answered,
  };
  if (!answer.answered)
    return {
      served: false,
      pending: `checking whether the cluster of ${request.cluster.description} serves snapshot.storage.k8s.io/v1: ${answer.why}`,
    };
  return snapshotSupport(request.cluster.observe(SNAPSHOT_CRD_PROBE_RESOURCE));
}

type Place = (name: string, manifest: KubeObject, ready: boolean) => void;

/** One StorageClass per entry; one whose immutable parameters changed is left out for a run. */
function composeClasses(
  request: TenantObjectsRequest,
  tokenInCluster: boolean,
  place: Place,
): { results: StepResult[]; replacing: boolean } {
  const results: StepResult[] = [];
  let replacing = false;
  for (const entry of request.classes) {
    const name = storageClassResourceName(entry.name);
    const storageClass = storageClassFor(entry, request.storage, request.input);
    const existing = request.cluster.observe(name);
    const changes = existing ? immutableChanges(existing, storageClass) : [];
    if (request.cluster.deleting(name)) {
      // The class left out for a replacement is still being deleted in the tenant's cluster.
      replacing = true;
      continue;
    }
    if (changes.length > 0) {
      // Left out of the desired state, Crossplane deletes it; the next run creates it with the new
      // parameters. Volumes keep the parameters they were provisioned with.
      replacing = true;
      results.push({
        severity: 'Warning',
        reason: 'ReplacingStorageClass',
        message:
          `StorageClass "${entry.name}" is being replaced: ${changes.join(', ')}. StorageClasses cannot ` +
          'change in place, so it is deleted now and created again with the new settings; existing volumes keep theirs',
      });
      continue;
    }
    place(name, storageClass, existing !== undefined && tokenInCluster);
  }
  return { results, replacing };
}

/** The CSI driver objects, Ready when they exist and the controller and node pods are available. */
function composeDriver(
  request: TenantObjectsRequest,
  snapshots: SnapshotSupport,
  place: Place,
  exists: (name: string) => boolean,
): StepCondition {
  const { csiDriver } = request.settings;
  if (!csiDriver.deploy) {
    return {
      type: CSI_DRIVER_CONDITION,
      status: 'True',
      reason: 'NotComposed',
      message: 'the platform installs the CSI driver (csiDriver.deploy is false)',
    };
  }
  if ('pending' in snapshots) {
    // The driver's sidecars depend on the answer: composing it before would roll it once known.
    return {
      type: CSI_DRIVER_CONDITION,
      status: 'False',
      reason: 'WaitingForSnapshotCheck',
      message: `composed once the tenant's cluster answered: ${snapshots.pending}`,
    };
  }
  const { namespace, name: secretName } = request.input.credentialsSecret;
  const context: DriverContext = {
    tenant: request.storage.tenant,
    provisioner: request.input.provisioner,
    namespace,
    secretName,
    snapshots: {
      snapshotter: snapshots.served,
      snapshotController: snapshots.served && csiDriver.snapshotController,
    },
  };
  place(CSI_DRIVER_RESOURCE, csiDriverObject(context), exists(CSI_DRIVER_RESOURCE));
  for (const [name, object] of Object.entries(csiRbac(namespace, context.tenant, context.snapshots))) {
    place(name, object, exists(name));
  }
  const controller = statefulSetAvailability(request.cluster.observe(CSI_CONTROLLER_RESOURCE));
  const node = daemonSetAvailability(request.cluster.observe(CSI_NODE_RESOURCE));
  place(CSI_CONTROLLER_RESOURCE, controllerStatefulSet(csiDriver, context), controller.available);
  place(CSI_NODE_RESOURCE, nodeDaemonSet(csiDriver, context), node.available);

  const pods =
    `StatefulSet ${namespace}/${CONTROLLER_NAME} ${controller.summary}, ` +
    `DaemonSet ${namespace}/${NODE_NAME} ${node.summary}`;
  if (controller.available && node.available) {
    return { type: CSI_DRIVER_CONDITION, status: 'True', reason: 'Available', message: pods };
  }
  return {
    type: CSI_DRIVER_CONDITION,
    status: 'False',
    reason: 'Unavailable',
    message: `waiting for the CSI driver pods in ${request.cluster.description === 'local' ? 'this cluster' : `the cluster of ${request.cluster.description}`}: ${pods}`,
  };
}
