import type { AwsSettings } from '../../../../apis/functions/data-service-input.js';
import type { SnapshotSpec } from '../../../../apis/data/snapshots.js';
import type { DesiredResource, KubeObject } from '../../../types.js';
import { managedResource } from '../managed.js';
import { externalName, localName } from '../names.js';
import type { Source, SourceKind } from './source.js';
import { conditionTrue } from '../../../observed.js';

/** Composition resource name of the snapshot, whatever its kind. */
export const SNAPSHOT = 'snapshot';

export const RDS_API_VERSION = 'rds.aws.m.upbound.io/v1beta1';
/** ACK's ElastiCache controller: provider-upjet-aws has no ElastiCache snapshot kind. */
export const ACK_ELASTICACHE_API_VERSION = 'elasticache.services.k8s.aws/v1alpha1';
export const VOLUME_SNAPSHOT_API_VERSION = 'snapshot.storage.k8s.io/v1';

/** What a snapshot composes, and its status besides provider and source. */
export interface ComposedSnapshot {
  resources: Record<string, DesiredResource>;
  snapshotID: string;
  ready: boolean;
}

export interface SnapshotRequest {
  kind: SourceKind;
  xr: { name: string; namespace: string; status: Readonly<Record<string, unknown>> };
  spec: SnapshotSpec;
  source: Source;
  controllerId: string;
  aws: AwsSettings;
  volumeSnapshotClasses: { Retain: string; Delete: string };
  labels: Record<string, string>;
  tags: Record<string, string>;
  observed: KubeObject | undefined;
}

/**
 * Composes the snapshot of a source. spec.deletionPolicy decides what deleting the snapshot composite
 * does to the snapshot itself (the source is never composed, so it is never touched):
 * - RDS: a managed resource without the Delete management policy is left in AWS when it is deleted
 *   (Crossplane v2 managed resources have no deletionPolicy field; management policies replace it);
 * - ElastiCache (ACK): ACK's services.k8s.aws/deletion-policy annotation, retain or delete;
 * - VolumeSnapshot: the deletion policy belongs to its VolumeSnapshotClass, so the class is chosen by
 *   policy from the platform's two classes.
 */
export function composeSnapshot(req: SnapshotRequest): ComposedSnapshot {
  const { xr, spec, source } = req;
  const name = localName(xr.name, 'snapshot');
  const retain = spec.deletionPolicy === 'Retain';
  if (source.provider === 'in-cluster') {
    const resource: KubeObject = {
      apiVersion: VOLUME_SNAPSHOT_API_VERSION,
      kind: 'VolumeSnapshot',
      metadata: { name, namespace: xr.namespace, labels: req.labels },
      spec: {
        volumeSnapshotClassName: req.volumeSnapshotClasses[spec.deletionPolicy],
        source: { persistentVolumeClaimName: source.id },
      },
    };
    const ready = (req.observed?.['status'] as { readyToUse?: unknown } | undefined)?.readyToUse === true;
    return { resources: { [SNAPSHOT]: { resource, ready } }, snapshotID: name, ready };
  }
  const recorded = typeof xr.status['snapshotID'] === 'string' ? xr.status['snapshotID'] : undefined;
  const parts = { controllerId: req.controllerId, namespace: xr.namespace, name: xr.name };
  if (req.kind === 'Postgres') {
    const snapshotID = externalName('rds', parts, recorded);
    const resource = managedResource({
      apiVersion: RDS_API_VERSION,
      kind: 'Snapshot',
      name,
      namespace: xr.namespace,
      labels: req.labels,
      externalName: snapshotID,
      providerConfigName: req.aws.providerConfigName,
      policies: retain ? ['Observe', 'Create', 'Update', 'LateInitialize'] : ['*'],
      forProvider: { region: req.aws.region, dbInstanceIdentifier: source.id, tags: req.tags },
    });
    const ready = conditionTrue(req.observed);
    return { resources: { [SNAPSHOT]: { resource, ready } }, snapshotID, ready };
  }
  const snapshotID = externalName('elasticache', parts, recorded);
  const resource: KubeObject = {
    apiVersion: ACK_ELASTICACHE_API_VERSION,
    kind: 'Snapshot',
    metadata: {
      name,
      namespace: xr.namespace,
      labels: req.labels,
      annotations: {
        'services.k8s.aws/region': req.aws.region,
        'services.k8s.aws/deletion-policy': retain ? 'retain' : 'delete',
      },
    },
    spec: { snapshotName: snapshotID, replicationGroupID: source.id },
  };
  const ready =
    conditionTrue(req.observed, 'ACK.ResourceSynced') &&
    (req.observed?.['status'] as { snapshotStatus?: unknown } | undefined)?.snapshotStatus === 'available';
  return { resources: { [SNAPSHOT]: { resource, ready } }, snapshotID, ready };
}
