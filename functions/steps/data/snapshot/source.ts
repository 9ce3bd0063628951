import type { DataProvider } from '../../../../apis/functions/data-service-input.js';
import type { KubeObject, StepCondition } from '../../../types.js';

import { postgresStatefulSetName } from '../postgres/in-cluster.js';
import { redisStatefulSetName } from '../redis/in-cluster.js';
import { dataVolumeClaim } from '../workload.js';
import { conditionTrue } from '../../../observed.js';

/** The condition that tells whether the snapshot's source was found, and what the step waits for. */
export const SOURCE_CONDITION = 'SourceReady';

/** The data service kinds a snapshot can be taken of. */
export type SourceKind = 'Postgres' | 'Redis';

/** What a snapshot is taken of: the provider and the provider's identifier of the data. */
export interface Source {
  provider: DataProvider;
  /** AWS: the instance or replication group identifier; in-cluster: the data volume's claim. */
  id: string;
  condition: StepCondition;
}

/** Why nothing can be composed yet. */
export interface Waiting {
  waiting: StepCondition;
}

const waiting = (reason: string, message: string): Waiting => ({
  waiting: { type: SOURCE_CONDITION, status: 'False', reason, message },
});

const IN_CLUSTER_STATEFULSET: Record<SourceKind, (xr: string) => string> = {
  Postgres: postgresStatefulSetName,
  Redis: redisStatefulSetName,
};

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The source of a snapshot. Once the snapshot's status records it, that is kept: a snapshot, once
 * taken, no longer depends on its source, which may since have been changed or deleted. Otherwise the
 * source composite (a required resource) must exist, be Ready and have recorded its provider and, on
 * AWS, its external name; the identifier is read from its status, never derived again.
 */
export function resolveSource(options: {
  kind: SourceKind;
  name: string;
  namespace: string;
  source: KubeObject | undefined;
  recorded: { provider?: unknown; source?: unknown };
}): Source | Waiting {
  const { kind, name, namespace, recorded } = options;
  const what = `${kind} ${namespace}/${name}`;
  const recordedProvider = text(recorded.provider);
  const recordedSource = text(recorded.source);
  if ((recordedProvider === 'aws' || recordedProvider === 'in-cluster') && recordedSource) {
    return {
      provider: recordedProvider,
      id: recordedSource,
      condition: {
        type: SOURCE_CONDITION,
        status: 'True',
        reason: 'Recorded',
        message: `snapshot of ${what} (${recordedSource} on ${recordedProvider})`,
      },
    };
  }
  if (!options.source) {
    return waiting(
      'SourceNotFound',
      `waiting for ${what}: it does not exist; nothing is composed until spec.resourceName names a ${kind} in namespace ${namespace}`,
    );
  }
  if (!conditionTrue(options.source)) {
    return waiting('SourceNotReady', `waiting for ${what} to be Ready; nothing is composed until it is`);
  }
  const status = (options.source['status'] ?? {}) as Record<string, unknown>;
  const provider = text(status['provider']);
  if (provider !== 'aws' && provider !== 'in-cluster') {
    return waiting(
      'SourceNotReady',
      `waiting for ${what} to record its provider in status.provider; nothing is composed until it does`,
    );
  }
  const id =
    provider === 'aws' ? text(status['externalName']) : dataVolumeClaim(IN_CLUSTER_STATEFULSET[kind](name));
  if (!id) {
    return waiting(
      'SourceNotReady',
      `waiting for ${what} to record its external name in status.externalName; nothing is composed until it does`,
    );
  }
  return {
    provider,
    id,
    condition: {
      type: SOURCE_CONDITION,
      status: 'True',
      reason: 'Found',
      message: `snapshot of ${what} (${id} on ${provider})`,
    },
  };
}
