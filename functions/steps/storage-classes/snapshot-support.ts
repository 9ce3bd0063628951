/**
 * Whether the cluster serves CSI snapshots. VolumeSnapshotClass is not built into Kubernetes: it comes
 * with the external-snapshotter's CRDs, which not every cluster has. A composed resource of a kind the
 * API server does not serve fails the whole composition (`no matches for kind`), so the step composes
 * the snapshot pieces only when the CRD is there and says in a condition when it is not.
 */
import type { KubeObject, Requirement, StepCondition } from '../../types.js';

/** Requirement name of the VolumeSnapshotClass CRD. */
export const SNAPSHOT_CRD = 'volumesnapshotclass-crd';

export const SNAPSHOT_CRD_NAME = 'volumesnapshotclasses.snapshot.storage.k8s.io';
const SNAPSHOT_API_VERSION = 'v1';

/** The condition that says whether the tenant can take volume snapshots. */
export const VOLUME_SNAPSHOTS_CONDITION = 'VolumeSnapshots';

/** Where the CRDs come from, for messages and the README. */
const INSTALL_HINT =
  'install the CSI snapshot CRDs of kubernetes-csi/external-snapshotter (client/config/crd) and the ' +
  'VolumeSnapshotClass follows on the next reconcile';

export function snapshotCrdRequirement(): Requirement {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    matchName: SNAPSHOT_CRD_NAME,
  };
}

/**
 * The cluster serves snapshot.storage.k8s.io/v1, or what is missing, or (a remote cluster whose
 * observe-only Object has not reported yet) not known yet.
 */
export type SnapshotSupport =
  { served: true } | { served: false; missing: string } | { served: false; pending: string };

export function snapshotSupport(crd: KubeObject | undefined): SnapshotSupport {
  if (!crd) return { served: false, missing: `CustomResourceDefinition ${SNAPSHOT_CRD_NAME} does not exist` };
  const versions = (crd['spec'] as { versions?: Array<{ name?: unknown; served?: unknown }> } | undefined)
    ?.versions;
  if (!versions?.some((version) => version.name === SNAPSHOT_API_VERSION && version.served === true)) {
    return {
      served: false,
      missing: `CustomResourceDefinition ${SNAPSHOT_CRD_NAME} does not serve snapshot.storage.k8s.io/${SNAPSHOT_API_VERSION}`,
    };
  }
  return { served: true };
}

/** `VolumeSnapshots`: True naming the class, or False saying what the cluster lacks and how to fix it. */
export function snapshotCondition(support: SnapshotSupport, className: string): StepCondition {
  if (support.served) {
    return {
      type: VOLUME_SNAPSHOTS_CONDITION,
      status: 'True',
      reason: 'Available',
      message: `VolumeSnapshotClass ${className} is composed`,
    };
  }
  if ('pending' in support) {
    return {
      type: VOLUME_SNAPSHOTS_CONDITION,
      status: 'Unknown',
      reason: 'Checking',
      message: support.pending,
    };
  }
  return {
    type: VOLUME_SNAPSHOTS_CONDITION,
    status: 'False',
    reason: 'SnapshotCRDsMissing',
    message:
      `${support.missing}, so no VolumeSnapshotClass is composed (the StorageClasses and the token are): ` +
      INSTALL_HINT,
  };
}
