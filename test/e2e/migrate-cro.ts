/**
 * `stackplane migrate --apply --from cloud-resource-operator` on the live control plane (README:
 * Migrating from cloud-resource-operator): the operator's Postgres, Redis and PostgresSnapshot
 * samples on AWS as it leaves them (the vendored CRDs, status complete, finalizer on, the
 * connection Secrets it controls), its strategy ConfigMap, the cluster id, its Deployment, and the
 * RDS instance, ElastiCache group and RDS snapshot by the names it gave them in the AWS stand-in.
 * The command hands them over: every composite Ready, no create and no delete in AWS, each Secret
 * keeping its values, the originals gone, the operator scaled to 0 and nothing else deleted.
 * Deleting the migrated Postgres then deletes what it composed and, observe-only, nothing in AWS.
 */
import { expect } from 'vitest';
import { run } from '../../migrate/cli.js';
import { KubeCluster } from '../../migrate/cluster.js';
import { croInfraName } from '../../migrate/sources/cro/names.js';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import { yamlObjects, type KubeObject } from '../../scripts/control-plane/objects.js';
import { AwsStandIn } from './aws.js';
import {
  eventually,
  exampleObjects,
  refOf,
  resourceRefs,
  waitForCondition,
  waitForGone,
  type Ref,
} from './support.js';

const TESTDATA = 'test/migrate/testdata/cro';
const NAMESPACE = 'e2e-migrate-cro';
/** Where the operator's kustomize default installs it, as the migrate source names its Deployment. */
const OPERATOR_NAMESPACE = 'cloud-resource-operator-system';
const OPERATOR = 'cloud-resource-operator-cloud-resource-operator';
const CLUSTER_ID = 'e2e-x7k2p';
const FINALIZER = 'cloud-resources-operator.integreatly.org/finalizers';
const SNAPSHOT_ID = 'example-postgressnapshot-1733300000';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** OpenShift's Infrastructure (config.openshift.io/v1), reduced to what the operator reads of it. */
const infrastructureCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'infrastructures.config.openshift.io' },
  spec: {
    group: 'config.openshift.io',
    scope: 'Cluster',
    names: {
      kind: 'Infrastructure',
      plural: 'infrastructures',
      listKind: 'InfrastructureList',
      singular: 'infrastructure',
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              status: { type: 'object', properties: { infrastructureName: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

/** A vendored sample as the operator leaves it on AWS: in the test's namespace, finalizer on. */
function operated(file: string, fields: { name?: string; spec: Record<string, unknown> }): KubeObject {
  const [sample] = yamlObjects(`${TESTDATA}/${file}`);
  return {
    ...sample!,
    metadata: {
      ...sample!.metadata!,
      ...(fields.name ? { name: fields.name } : {}),
      namespace: NAMESPACE,
      finalizers: [FINALIZER],
    },
    spec: { ...(sample!['spec'] as object), ...fields.spec },
  };
}

const postgres = operated('sample-postgres.yaml', { spec: { type: 'managed' } });
const redis = operated('sample-redis.yaml', {
  name: 'example-redis',
  spec: { type: 'managed', secretRef: { name: 'example-redis-sec' }, size: 'cache.t4g.micro' },
});
// skipDelete: the migrated snapshot is Retain, so deleting it at the end deletes nothing in AWS.
const snapshot = operated('sample-postgressnapshot.yaml', {
  spec: { resourceName: 'example-postgres', skipDelete: true },
});
const originals = [postgres, redis, snapshot];
const STATUS: Record<string, { plural: string; status: Record<string, unknown> }> = {
  Postgres: {
    plural: 'postgres',
    status: {
      phase: 'complete',
      provider: 'aws-rds',
      strategy: 'aws',
      version: '13.13',
      message: 'completed',
      secretRef: { name: 'example-postgres-sec', namespace: NAMESPACE },
    },
  },
  Redis: {
    plural: 'redis',
    status: {
      phase: 'complete',
      provider: 'aws-elasticache',
      strategy: 'aws',
      message: 'completed',
      secretRef: { name: 'example-redis-sec', namespace: NAMESPACE },
    },
  },
  PostgresSnapshot: {
    plural: 'postgressnapshots',
    status: { phase: 'complete', snapshotID: SNAPSHOT_ID, strategy: 'aws', message: 'completed' },
  },
};

const rdsID = croInfraName(CLUSTER_ID, NAMESPACE, 'example-postgres');
const groupID = croInfraName(CLUSTER_ID, NAMESPACE, 'example-redis');
const rdsHost = `${rdsID}.c9akciq32.eu-west-1.rds.amazonaws.com`;
const groupHost = `master.${groupID}.x1y2z3.euw1.cache.amazonaws.com`;
/** What the operator wrote to each connection Secret. */
const SECRETS: Record<string, Record<string, string>> = {
  'example-postgres-sec': {
    username: 'postgres',
    password: 'Vq3xLr8Tn2Wp6Kz9',
    host: rdsHost,
    port: '5432',
    database: 'postgres',
  },
  'example-redis-sec': { uri: groupHost, port: '6379' },
};
const OWNER: Record<string, KubeObject> = { 'example-postgres-sec': postgres, 'example-redis-sec': redis };

const operatorDeployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: OPERATOR, namespace: OPERATOR_NAMESPACE },
  spec: {
    replicas: 1,
    selector: { matchLabels: { name: 'cloud-resource-operator' } },
    template: {
      metadata: { labels: { name: 'cloud-resource-operator' } },
      spec: {
        containers: [{ name: 'manager', image: 'quay.io/integreatly/cloud-resource-operator:latest' }],
      },
    },
  },
};

const xr = (kind: string, name: string): KubeObject =>
  ({
    apiVersion: 'data.stackplane.io/v1alpha1',
    kind,
    metadata: { name, namespace: NAMESPACE },
  }) as KubeObject;

/** Runs the hand-over; returns how long the command took to release everything, in seconds. */
export async function migratesFromCloudResourceOperator(cp: ControlPlane): Promise<number> {
  const { objects } = cp;
  const aws = new AwsStandIn(objects, [NAMESPACE])
    .hold('RDS instance', rdsID, {
      address: rdsHost,
      port: 5432,
      engineVersionActual: '13.13',
      deletionProtection: false,
    })
    .hold('ElastiCache replication group', groupID, {
      primaryEndpointAddress: groupHost,
      port: 6379,
      transitEncryptionEnabled: false,
    })
    .hold('RDS snapshot', SNAPSHOT_ID, { dbInstanceIdentifier: rdsID, status: 'available' });

  for (const file of ['crd-postgres', 'crd-redis', 'crd-postgressnapshots'])
    await objects.apply(...yamlObjects(`${TESTDATA}/${file}.yaml`));
  await objects.apply(infrastructureCrd);
  for (const name of [NAMESPACE, OPERATOR_NAMESPACE])
    await objects.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
  // The platform's data configuration, as the adopted examples have it.
  const platform = exampleObjects('postgres/adopted').prerequisites.filter(
    (o) => o.kind === 'EnvironmentConfig',
  );
  const [strategies] = yamlObjects(`${TESTDATA}/sample-aws-strategies.yaml`);
  const operatorStrategies = {
    ...strategies!,
    metadata: { ...strategies!.metadata!, namespace: OPERATOR_NAMESPACE },
  };
  const infrastructure = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Infrastructure',
    metadata: { name: 'cluster' },
    spec: {},
  } as KubeObject;
  await objects.apply(...platform, operatorStrategies, operatorDeployment);
  await createWhenServed(cp, infrastructure);
  await objects.mergePatch('/apis/config.openshift.io/v1/infrastructures/cluster/status', {
    status: { infrastructureName: CLUSTER_ID },
  });

  // The originals, their status and the Secrets each controls, as the operator leaves them.
  for (const original of originals) {
    await createWhenServed(cp, original);
    const { plural, status } = STATUS[original.kind!]!;
    await objects.mergePatch(
      `/apis/integreatly.org/v1alpha1/namespaces/${NAMESPACE}/${plural}/${original.metadata!.name}/status`,
      { status },
    );
  }
  for (const [name, values] of Object.entries(SECRETS)) {
    const owner = await objects.get(
      OWNER[name]!.apiVersion!,
      OWNER[name]!.kind!,
      OWNER[name]!.metadata!.name!,
      NAMESPACE,
    );
    await objects.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace: NAMESPACE,
        ownerReferences: [
          {
            apiVersion: owner!.apiVersion!,
            kind: owner!.kind!,
            name: owner!.metadata!.name!,
            uid: owner!.metadata!.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      type: 'Opaque',
      data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
    } as KubeObject);
  }
  const bystanders = [...platform, operatorStrategies, operatorDeployment, infrastructure];

  // The composites' kinds, served once Crossplane established their XRDs (a focused run may be early).
  for (const kind of ['Postgres', 'Redis', 'PostgresSnapshot'])
    await eventually(
      `${kind} served`,
      async () =>
        await objects.list('data.stackplane.io/v1alpha1', kind, NAMESPACE).then(
          () => true,
          () => undefined,
        ),
    );
  const stopAws = aws.start();
  const migrated = [
    xr('Postgres', 'example-postgres'),
    xr('Redis', 'example-redis'),
    xr('PostgresSnapshot', 'example-postgressnapshot'),
  ];
  try {
    const started = Date.now();
    const out: string[] = [];
    const code = await run(['--apply', '--from', 'cloud-resource-operator', '--wait', '5m'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      connect: () => new KubeCluster(cp.admin),
    });
    const seconds = (Date.now() - started) / 1000;
    expect(out.join(''), `${out.join('')}\nAWS stand-in: ${aws.lastError ?? 'no error'}`).toContain(
      'done: every migrated original is released',
    );
    expect(code).toBe(0);

    for (const o of migrated) await waitForCondition(objects, refOf(o), 'Ready');
    expect(aws.log).toEqual([]);
    for (const o of originals) await waitForGone(objects, refOf(o));
    const scaled = await objects.get('apps/v1', 'Deployment', OPERATOR, OPERATOR_NAMESPACE);
    expect((scaled?.['spec'] as { replicas?: number }).replicas).toBe(0);
    for (const o of bystanders)
      expect(
        await objects.get(o.apiVersion!, o.kind!, o.metadata!.name!, o.metadata!.namespace),
        `${o.kind} ${o.metadata!.name}`,
      ).toBeDefined();
    for (const [name, values] of Object.entries(SECRETS)) {
      const secret = await objects.get('v1', 'Secret', name, NAMESPACE);
      const data = (secret?.['data'] ?? {}) as Record<string, string>;
      const kept = Object.fromEntries(
        Object.keys(values).map((k) => [k, Buffer.from(data[k] ?? '', 'base64').toString()]),
      );
      expect(kept, `Secret ${name}`).toEqual(values);
      // Composed by the composite now, no longer controlled by the original.
      expect(secret?.metadata?.ownerReferences?.map((r) => `${r.apiVersion} ${r.kind}`)).toEqual([
        `data.stackplane.io/v1alpha1 ${name === 'example-postgres-sec' ? 'Postgres' : 'Redis'}`,
      ]);
    }

    // Stackplane's now: deleting the Postgres deletes what it composed; observe-only, it deletes
    // nothing in AWS.
    const [pg] = migrated;
    const composed: Ref[] = resourceRefs(
      await objects.get(pg!.apiVersion!, pg!.kind!, pg!.metadata!.name!, NAMESPACE),
    );
    expect(composed.map((r) => r.kind).sort()).toEqual(['Instance', 'Secret']);
    await objects.delete(pg!);
    for (const ref of [...composed, refOf(pg!)]) await waitForGone(objects, ref, 180_000);
    expect(aws.log).toEqual([]);
    expect(aws.holds('RDS instance', rdsID)).toBe(true);

    // The rest goes too: the group observe-only, the snapshot Retain, so nothing in AWS with them.
    for (const o of migrated.slice(1)) await objects.delete(o);
    for (const o of migrated.slice(1)) await waitForGone(objects, refOf(o), 180_000);
    expect(aws.log).toEqual([]);
    return seconds;
  } finally {
    // After a failure, as much as can go (the stand-in releases the managed resources' finalizers).
    for (const o of migrated) await objects.delete(o);
    for (const o of migrated) await waitForGone(objects, refOf(o), 180_000).catch(() => undefined);
    await stopAws();
    for (const o of [operatorDeployment, operatorStrategies, infrastructure, ...platform])
      await objects.delete(o);
  }
}

/** Creates an object once the API server serves its kind (a CRD just applied may not be yet). */
async function createWhenServed(cp: ControlPlane, object: KubeObject): Promise<void> {
  let refused = '';
  await eventually(
    `${object.kind} ${object.metadata!.name} created`,
    async () => {
      try {
        await cp.objects.apply(object);
        return true;
      } catch (error) {
        refused = String(error);
        return undefined;
      }
    },
    async () => refused,
  );
}
