import { PostgresSnapshot, RedisSnapshot } from '../../../apis/data/snapshots.js';
import type { KubeObject, PlanEntry } from '../../plan.js';
import {
  CRO_API_VERSION,
  croFinalizers,
  croSnapshotSchema,
  issues,
  originalRef,
  PAUSED_ANNOTATION,
} from './originals.js';

/** What differs between the two snapshot kinds. */
interface SnapshotKind {
  kind: 'PostgresSnapshot' | 'RedisSnapshot';
  source: 'Postgres' | 'Redis';
  adopts: string;
}

export const SNAPSHOT_KINDS: Record<SnapshotKind['kind'], SnapshotKind> = {
  PostgresSnapshot: { kind: 'PostgresSnapshot', source: 'Postgres', adopts: 'RDS snapshot' },
  RedisSnapshot: { kind: 'RedisSnapshot', source: 'Redis', adopts: 'ElastiCache snapshot' },
};

/**
 * Plans a PostgresSnapshot or RedisSnapshot: it moves with its source (a snapshot of a source that
 * stays behind is refused), adopting the snapshot by the id the operator recorded, with the deletion
 * behaviour the original had (spec.skipDelete keeps the snapshot: Retain; else Delete).
 */
export function planSnapshot(
  object: KubeObject,
  kind: SnapshotKind,
  sourceEntry: (namespace: string, name: string) => PlanEntry | undefined,
): PlanEntry {
  const original = originalRef(object);
  const refuse = (reasons: string[]): PlanEntry => ({ outcome: 'refuse', original, reasons });
  const parsed = croSnapshotSchema.safeParse(object);
  if (!parsed.success)
    return refuse(issues(parsed.error).map((i) => `${i}; fix the original and plan again`));
  const { spec, status } = parsed.data;
  const namespace = object.metadata.namespace ?? '';
  const sourceName = `${kind.source} ${namespace}/${spec.resourceName}`;

  const source = sourceEntry(namespace, spec.resourceName);
  if (source === undefined)
    return refuse([
      `spec.resourceName "${spec.resourceName}": ${sourceName} (${CRO_API_VERSION}) is not in the inventory; ` +
        'a snapshot moves with its source, so read its source too and plan again',
    ]);
  if (source.outcome === 'refuse')
    return refuse([
      `spec.resourceName "${spec.resourceName}": its source ${sourceName} does not move (see its entry), so ` +
        'neither does its snapshot; it stays with the cloud-resource-operator',
    ]);
  if (status.phase !== 'complete' || !status.snapshotID)
    return refuse([
      `status.phase is "${status.phase ?? ''}"${status.snapshotID ? '' : ' and status.snapshotID is empty'}: the ` +
        'snapshot was never completed; wait until the phase is complete, or delete the original, and plan again',
    ]);

  // Recorded, the source's identifier makes the snapshot independent of its source from the start.
  const sourceId = source.adopted[0]?.externalName ?? '';
  const target = kind.kind === 'PostgresSnapshot' ? PostgresSnapshot : RedisSnapshot;
  const deletionPolicy = spec.skipDelete ? 'Retain' : 'Delete';
  return {
    outcome: 'migrate',
    original,
    platform: [],
    resources: [
      {
        apiVersion: `${target.group}/${target.version}`,
        kind: target.kind,
        metadata: { name: object.metadata.name, namespace, annotations: { [PAUSED_ANNOTATION]: 'true' } },
        spec: { resourceName: spec.resourceName, deletionPolicy },
        // Written while paused, like the source's: a recorded snapshot id is kept, none is taken anew.
        status: { provider: 'aws', source: sourceId, snapshotID: status.snapshotID },
      },
    ],
    adopted: [{ what: kind.adopts, externalName: status.snapshotID }],
    release: { finalizers: croFinalizers(object), orphanDependents: false },
    notes: [
      `adopts ${kind.adopts} ${status.snapshotID}: created paused (${PAUSED_ANNOTATION}), status.snapshotID, ` +
        `source (${sourceId}) and provider are written through the status subresource, then the annotation is removed; unseeded, Stackplane would take a new snapshot`,
      spec.skipDelete
        ? 'deletionPolicy Retain, as spec.skipDelete was: deleting the composite keeps the snapshot'
        : 'deletionPolicy Delete, as the original deleted its snapshot with it (spec.skipDelete unset): set Retain to keep it',
    ],
  };
}
