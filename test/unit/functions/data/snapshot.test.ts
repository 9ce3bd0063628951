import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { WAITING_TTL_SECONDS } from '../../../../functions/requeue.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { dataXR, platformFetched, shippedInput, withStatus } from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, desiredStatus, summarize, type Summary } from '../../../support/responses.js';

const inputs = {
  PostgresSnapshot: shippedInput('postgressnapshot.yaml'),
  RedisSnapshot: shippedInput('redissnapshot.yaml'),
};
const run = (xr: KubeObject, source: KubeObject[] | undefined, desired: Record<string, KubeObject> = {}) =>
  new StackplaneFunction(steps).RunFunction(
    runFunctionRequest({
      xr,
      input: inputs[xr['kind'] as keyof typeof inputs],
      required: platformFetched(undefined, source ? { source } : {}),
      observed: {},
      desired,
    }),
  );
const snapshot = (kind: string, spec: Record<string, unknown>, ...m: Parameters<typeof dataXR>[2][]) =>
  dataXR(kind, spec, ...m);

/** A source composite as the API server holds it. */
const source = (kind: string, status: Record<string, unknown>, ready = true): KubeObject => ({
  apiVersion: 'data.stackplane.io/v1alpha1',
  kind,
  metadata: { name: 'orders', namespace: 'team-a' },
  spec: { type: 'managed', tier: 'production' },
  status: {
    ...status,
    conditions: [
      { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Available' : 'Creating' },
    ],
  },
});
const awsPostgres = source('Postgres', { provider: 'aws', externalName: 'recorded-instance-id' });
const valid = { type: 'Valid', status: 'True', reason: 'ValidSpec' };

describe('snapshots ask for their source by name in their own namespace', () => {
  it('requires the source composite before composing anything', async () => {
    const rsp = await run(snapshot('RedisSnapshot', { resourceName: 'sessions' }), undefined);
    expect(rsp.requirements?.resources?.['source']).toEqual({
      apiVersion: 'data.stackplane.io/v1alpha1',
      kind: 'Redis',
      matchName: 'sessions',
      namespace: 'team-a',
    });
    expect(desiredResources(rsp)).toEqual({});
  });
});

describe('snapshots wait for their source and compose nothing until it is usable', () => {
  const kept = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } };
  const cases: Record<string, { reason: string; source: KubeObject[]; want: Summary['conditions'][number] }> =
    {
      missing: {
        reason: 'no Postgres of that name in the namespace',
        source: [],
        want: {
          type: 'SourceReady',
          status: 'False',
          reason: 'SourceNotFound',
          message:
            'waiting for Postgres team-a/orders: it does not exist; nothing is composed until spec.resourceName names a Postgres in namespace team-a',
        },
      },
      'not ready': {
        reason: 'the source is still being created',
        source: [source('Postgres', { provider: 'aws', externalName: 'id' }, false)],
        want: {
          type: 'SourceReady',
          status: 'False',
          reason: 'SourceNotReady',
          message: 'waiting for Postgres team-a/orders to be Ready; nothing is composed until it is',
        },
      },
      'no external name': {
        reason: 'the identifier is read from the source, never derived again',
        source: [source('Postgres', { provider: 'aws' })],
        want: {
          type: 'SourceReady',
          status: 'False',
          reason: 'SourceNotReady',
          message:
            'waiting for Postgres team-a/orders to record its external name in status.externalName; nothing is composed until it does',
        },
      },
      'no provider': {
        reason: 'the provider is read from the source',
        source: [source('Postgres', {})],
        want: {
          type: 'SourceReady',
          status: 'False',
          reason: 'SourceNotReady',
          message:
            'waiting for Postgres team-a/orders to record its provider in status.provider; nothing is composed until it does',
        },
      },
    };

  it.each(Object.entries(cases))('%s', async (_name, { source: found, want }) => {
    const rsp = await run(snapshot('PostgresSnapshot', { resourceName: 'orders' }), found, { kept });
    expect(summarize(rsp)).toEqual({ results: [], conditions: [valid, want] });
    expect(desiredResources(rsp)).toEqual({ kept });
    expect(desiredStatus(rsp)).toEqual({ phase: 'WaitingForSource' });
    // The source is another composite: the snapshot looks again soon rather than in a minute.
    expect(rsp.meta?.ttl).toEqual({ seconds: WAITING_TTL_SECONDS, nanos: 0 });
  });
});

describe('snapshots: what each provider composes, by deletionPolicy', () => {
  const cases: Record<
    string,
    { reason: string; xr: KubeObject; source: KubeObject[]; want: { snapshot: KubeObject; status: unknown } }
  > = {
    'RDS, Retain': {
      reason: 'the recorded instance identifier; no Delete policy, so the snapshot stays in AWS',
      xr: snapshot('PostgresSnapshot', { resourceName: 'orders' }),
      source: [awsPostgres],
      want: {
        snapshot: {
          apiVersion: 'rds.aws.m.upbound.io/v1beta1',
          kind: 'Snapshot',
          annotations: { 'crossplane.io/external-name': 'qwerty-team-a-orders-yvwi6skvnu' },
          spec: {
            managementPolicies: ['Observe', 'Create', 'Update', 'LateInitialize'],
            providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
            forProvider: {
              region: 'eu-west-1',
              dbInstanceIdentifier: 'recorded-instance-id',
              tags: {
                'stackplane.io/cluster-id': 'qwerty',
                'stackplane.io/resource-type': 'postgres-snapshot',
                'stackplane.io/resource-name': 'team-a/orders',
              },
            },
          },
        },
        status: {
          provider: 'aws',
          source: 'recorded-instance-id',
          snapshotID: 'qwerty-team-a-orders-yvwi6skvnu',
          phase: 'Creating',
        },
      },
    },
    'RDS, Delete': {
      reason: 'every management policy: deleting the composite deletes the snapshot',
      xr: snapshot('PostgresSnapshot', { resourceName: 'orders', deletionPolicy: 'Delete' }),
      source: [awsPostgres],
      want: {
        snapshot: { kind: 'Snapshot', managementPolicies: ['*'] },
        status: {
          provider: 'aws',
          source: 'recorded-instance-id',
          snapshotID: 'qwerty-team-a-orders-yvwi6skvnu',
          phase: 'Creating',
        },
      },
    },
    'ElastiCache, Delete': {
      reason: "ACK's deletion-policy annotation",
      xr: snapshot('RedisSnapshot', { resourceName: 'orders', deletionPolicy: 'Delete' }),
      source: [source('Redis', { provider: 'aws', externalName: 'recorded-group-id' })],
      want: {
        snapshot: {
          apiVersion: 'elasticache.services.k8s.aws/v1alpha1',
          kind: 'Snapshot',
          annotations: {
            'services.k8s.aws/region': 'eu-west-1',
            'services.k8s.aws/deletion-policy': 'delete',
          },
          spec: { snapshotName: 'qwerty-team-a-orders-yvwi6skvnu', replicationGroupID: 'recorded-group-id' },
        },
        status: {
          provider: 'aws',
          source: 'recorded-group-id',
          snapshotID: 'qwerty-team-a-orders-yvwi6skvnu',
          phase: 'Creating',
        },
      },
    },
    'VolumeSnapshot, Delete': {
      reason: 'the StatefulSet volume claim, with the platform class whose deletionPolicy is Delete',
      xr: snapshot('RedisSnapshot', { resourceName: 'orders', deletionPolicy: 'Delete' }),
      source: [source('Redis', { provider: 'in-cluster' })],
      want: {
        snapshot: {
          apiVersion: 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshot',
          spec: {
            volumeSnapshotClassName: 'stackplane-delete',
            source: { persistentVolumeClaimName: 'data-orders-redis-0' },
          },
        },
        status: {
          provider: 'in-cluster',
          source: 'data-orders-redis-0',
          snapshotID: 'orders-snapshot',
          phase: 'Creating',
        },
      },
    },
    'recorded source, source gone': {
      reason: 'a snapshot once taken no longer depends on its source',
      xr: snapshot(
        'PostgresSnapshot',
        { resourceName: 'orders' },
        withStatus({ provider: 'aws', source: 'old-instance', snapshotID: 'kept-snapshot-id' }),
      ),
      source: [],
      want: {
        snapshot: {
          annotations: { 'crossplane.io/external-name': 'kept-snapshot-id' },
          dbInstanceIdentifier: 'old-instance',
        },
        status: {
          provider: 'aws',
          source: 'old-instance',
          snapshotID: 'kept-snapshot-id',
          phase: 'Creating',
        },
      },
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { xr, source: found, want }) => {
    const rsp = await run(xr, found);
    expect(summarize(rsp).results).toEqual([]);
    // Once the source is usable, only the composed snapshot is waited for: the normal TTL.
    expect(rsp.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
    const composed = desiredResources(rsp)['snapshot']!;
    const spec = composed['spec'] as Record<string, unknown>;
    const flat = {
      apiVersion: composed['apiVersion'],
      kind: composed['kind'],
      annotations: (composed['metadata'] as { annotations?: unknown }).annotations,
      spec,
      managementPolicies: spec['managementPolicies'],
      dbInstanceIdentifier: (spec['forProvider'] as { dbInstanceIdentifier?: unknown } | undefined)
        ?.dbInstanceIdentifier,
    };
    expect(flat).toMatchObject(want.snapshot);
    expect(Object.keys(desiredResources(rsp))).toEqual(['snapshot']);
    expect(desiredStatus(rsp)).toEqual(want.status);
  });
});

describe('snapshots: bad input is refused with the field', () => {
  const cases: Record<string, { reason: string; spec: Record<string, unknown>; message: string }> = {
    'unknown deletionPolicy': {
      reason: 'Retain or Delete',
      spec: { resourceName: 'orders', deletionPolicy: 'Keep' },
      message:
        'invalid PostgresSnapshot team-a/orders: spec.deletionPolicy: Invalid option: expected one of "Retain"|"Delete"',
    },
    'missing resourceName': {
      reason: 'the source is required',
      spec: {},
      message: 'invalid PostgresSnapshot team-a/orders: spec.resourceName: is required (expected string)',
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { spec, message }) => {
    const rsp = await run(snapshot('PostgresSnapshot', spec), [awsPostgres]);
    expect(summarize(rsp)).toEqual({
      results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
      conditions: [{ type: 'Valid', status: 'False', reason: 'InvalidSpec', message }],
    });
    expect(desiredResources(rsp)).toEqual({});
  });
});
