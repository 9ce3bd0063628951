import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject, PlanEntry } from '../../migrate/plan.js';
import { cloudResourceOperator } from '../../migrate/sources/cro.js';
import { croInfraName, shortenString } from '../../migrate/sources/cro/names.js';
import { SHIPPED_DEPLOYMENT_TYPES, SHIPPED_TIERS } from '../../migrate/sources/cro/platform.js';
import {
  build,
  inNamespace,
  named,
  validatePlan,
  vendored,
  withAnnotation,
  withFinalizers,
  withSpec,
  withStatus,
  type Modifier,
} from './support.js';

const FINALIZER = 'cloud-resources-operator.integreatly.org/finalizers';
const PAUSED = { 'crossplane.io/paused': 'true' };

/** The OpenShift Infrastructure the operator reads its cluster id from. */
const infrastructure = (name = 'qwerty-x7k2p'): KubeObject => ({
  apiVersion: 'config.openshift.io/v1',
  kind: 'Infrastructure',
  metadata: { name: 'cluster' },
  status: { infrastructureName: name },
});

/** As the operator leaves a resource it finished on a provider: status complete, finalizer on. */
const finished = (provider: string, extra: Record<string, unknown> = {}): Modifier[] => [
  inNamespace('team-a'),
  withSpec({ type: provider.startsWith('openshift') ? 'workshop' : 'managed' }),
  withFinalizers(FINALIZER),
  withStatus({
    phase: 'complete',
    provider,
    strategy: provider.split('-')[0],
    message: 'completed',
    ...extra,
  }),
];

/** The upstream samples, ported to a namespace and finished on AWS. */
const postgres = (...m: Modifier[]) =>
  build(vendored('cro/sample-postgres.yaml'), ...finished('aws-rds', { version: '13.13' }), ...m);
const redis = (...m: Modifier[]) =>
  build(
    vendored('cro/sample-redis.yaml'),
    named('cache'),
    withSpec({ secretRef: { name: 'cache-sec' } }),
    ...finished('aws-elasticache'),
    ...m,
  );
const blob = (...m: Modifier[]) =>
  build(vendored('cro/sample-blobstorage.yaml'), ...finished('aws-s3'), ...m);
const smtp = (...m: Modifier[]): KubeObject =>
  build(
    {
      apiVersion: 'integreatly.org/v1alpha1',
      kind: 'SMTPCredentialSet',
      metadata: { name: 'mail' },
      spec: { secretRef: { name: 'mail-sec' }, tier: 'development', type: 'managed' },
    },
    ...finished('aws-ses'),
    ...m,
  );
const pgSnapshot = (...m: Modifier[]) =>
  build(
    vendored('cro/sample-postgressnapshot.yaml'),
    inNamespace('team-a'),
    withSpec({ resourceName: 'example-postgres' }),
    withFinalizers(FINALIZER),
    withStatus({ phase: 'complete', snapshotID: 'example-postgressnapshot-1733300000', strategy: 'aws' }),
    ...m,
  );

const plan = (...objects: KubeObject[]) =>
  cloudResourceOperator.plan({
    objects: [infrastructure(), vendored('cro/sample-aws-strategies.yaml'), ...objects],
  });
const only = (entries: PlanEntry[]) => {
  expect(entries).toHaveLength(1);
  return entries[0]!;
};

const pgRef = {
  apiVersion: 'integreatly.org/v1alpha1',
  kind: 'Postgres',
  namespace: 'team-a',
  name: 'example-postgres',
};
const POSTGRES_NOTES = [
  "adopts RDS instance qwertyx7k2pteamaexamplepostgres (named by the operator's naming rule with cluster id qwerty-x7k2p); spec.skipCreate: true keeps it observe-only, so nothing in AWS is created, changed or deleted",
  "created paused (crossplane.io/paused): status.externalName qwertyx7k2pteamaexamplepostgres, provider and strategy are written through the status subresource, then the annotation is removed; unseeded, Stackplane would look for a name of its own. AWS objects have no AdoptionGrant: whoever may write the composite's status (the platform, running the migration) chooses what it adopts",
  'connection Secret team-a/example-postgres-sec keeps its name and its keys username, password, host, port, database; Stackplane adds uri; the original controls it, so it is released with orphan propagation before Stackplane composes it',
  "turning skipCreate off hands the instance to Stackplane's tier strategy, including a master password it generates: plan that change on its own",
  "status.version 13.13 is the running engine version, recorded as it is: Stackplane keeps it whatever the tier's allowed versions, and upgrades only when spec.version names one of them",
];

describe('cloud-resource-operator source', () => {
  it('names the AWS objects as the operator does (its own ShortenString cases, and one checked against its Go code)', () => {
    expect([
      shortenString('my-super-long-test-name', 12),
      shortenString('23', -1),
      shortenString('testtest', 12),
      shortenString('dimitra-qvxxg-integreatly-operator-some-other-text', 40),
      croInfraName('qwerty-x7k2p', 'team-a', 'example-postgres'),
      croInfraName('qwerty-x7k2p', 'production-payments', 'orders-database-primary'),
    ]).toEqual([
      'mysuper-nm7v',
      '23-knp2',
      'testtest',
      'dimitraqvxxgintegreatlyoperatorsome-44q7',
      'qwertyx7k2pteamaexamplepostgres',
      'qwertyx7k2pproductionpaymentsorders-2nk7',
    ]);
  });

  it('moves the Postgres sample: observe-only, the RDS instance adopted, the Secret kept', async () => {
    const entries = plan(postgres());
    expect(only(entries)).toEqual({
      outcome: 'migrate',
      original: pgRef,
      platform: [],
      resources: [
        {
          apiVersion: 'data.stackplane.io/v1alpha1',
          kind: 'Postgres',
          metadata: { name: 'example-postgres', namespace: 'team-a', annotations: PAUSED },
          spec: {
            type: 'managed',
            tier: 'development',
            skipCreate: true,
            writeConnectionSecretToRef: { name: 'example-postgres-sec' },
            productName: 'productName',
          },
          status: {
            provider: 'aws',
            strategy: 'development',
            externalName: 'qwertyx7k2pteamaexamplepostgres',
            version: '13.13',
          },
        },
      ],
      adopted: [{ what: 'RDS instance', externalName: 'qwertyx7k2pteamaexamplepostgres' }],
      release: { finalizers: [FINALIZER], orphanDependents: true, beforeReady: true },
      notes: POSTGRES_NOTES,
    });
    await validatePlan(entries);
  });

  const migrations: Record<string, { objects: KubeObject[]; want: Partial<Record<string, unknown>> }> = {
    "the operator's resourceIdentifier annotation agrees with its naming rule": {
      objects: [
        redis(
          withAnnotation('resourceIdentifier', 'qwertyx7k2pteamacache'),
          withSpec({ size: 'cache.t3.micro' }),
        ),
      ],
      want: {
        adopted: [{ what: 'ElastiCache replication group', externalName: 'qwertyx7k2pteamacache' }],
        resources: [
          {
            apiVersion: 'data.stackplane.io/v1alpha1',
            kind: 'Redis',
            metadata: { name: 'cache', namespace: 'team-a', annotations: PAUSED },
            spec: {
              type: 'managed',
              tier: 'development',
              skipCreate: true,
              writeConnectionSecretToRef: { name: 'cache-sec' },
              productName: 'productName',
              size: 'cache.t3.micro',
            },
            status: { provider: 'aws', strategy: 'development', externalName: 'qwertyx7k2pteamacache' },
          },
        ],
        notes: [
          "adopts ElastiCache replication group qwertyx7k2pteamacache (named by the operator's naming rule with cluster id qwerty-x7k2p); spec.skipCreate: true keeps it observe-only, so nothing in AWS is created, changed or deleted",
          "created paused (crossplane.io/paused): status.externalName qwertyx7k2pteamacache, provider and strategy are written through the status subresource, then the annotation is removed; unseeded, Stackplane would look for a name of its own. AWS objects have no AdoptionGrant: whoever may write the composite's status (the platform, running the migration) chooses what it adopts",
          'connection Secret team-a/cache-sec keeps its name and its keys uri, port; Stackplane adds tls, url; the original controls it, so it is released with orphan propagation before Stackplane composes it',
          "while spec.skipCreate is true Stackplane composes no auth token for the adopted group: tls says whether the group encrypts in transit, as AWS shows it, and url connects as the original's clients do; turning skipCreate off composes an auth token and encryption in transit and at rest, which the original's group was created without: keep skipCreate: true until the data is moved to a group that has them",
        ],
      },
    },
    'a tier the platform added under data.dataServices moves': {
      objects: [
        postgres(withSpec({ tier: 'premium' })),
        {
          apiVersion: 'apiextensions.crossplane.io/v1beta1',
          kind: 'EnvironmentConfig',
          metadata: { name: 'stackplane-data' },
          data: {
            dataServices: {
              strategies: { postgres: { aws: { premium: { instanceClass: 'db.r6g.large' } } } },
            },
          },
        },
      ],
      want: {
        outcome: 'migrate',
        adopted: [{ what: 'RDS instance', externalName: 'qwertyx7k2pteamaexamplepostgres' }],
      },
    },
    'a snapshot with skipDelete moves with its source and keeps the snapshot': {
      objects: [postgres(), pgSnapshot(withSpec({ skipDelete: true }))],
      want: {
        original: {
          apiVersion: 'integreatly.org/v1alpha1',
          kind: 'PostgresSnapshot',
          namespace: 'team-a',
          name: 'example-postgressnapshot',
        },
        resources: [
          {
            apiVersion: 'data.stackplane.io/v1alpha1',
            kind: 'PostgresSnapshot',
            metadata: { name: 'example-postgressnapshot', namespace: 'team-a', annotations: PAUSED },
            spec: { resourceName: 'example-postgres', deletionPolicy: 'Retain' },
            status: {
              provider: 'aws',
              source: 'qwertyx7k2pteamaexamplepostgres',
              snapshotID: 'example-postgressnapshot-1733300000',
            },
          },
        ],
        adopted: [{ what: 'RDS snapshot', externalName: 'example-postgressnapshot-1733300000' }],
        release: { finalizers: [FINALIZER], orphanDependents: false },
        notes: [
          'adopts RDS snapshot example-postgressnapshot-1733300000: created paused (crossplane.io/paused), status.snapshotID, source (qwertyx7k2pteamaexamplepostgres) and provider are written through the status subresource, then the annotation is removed; unseeded, Stackplane would take a new snapshot',
          'deletionPolicy Retain, as spec.skipDelete was: deleting the composite keeps the snapshot',
        ],
      },
    },
  };
  it.each(Object.entries(migrations))('migrates: %s', async (_, { objects, want }) => {
    const entries = plan(...objects);
    const last = entries.at(-1)!;
    expect(last).toMatchObject(want);
    await validatePlan(entries);
  });

  const refusals: Record<
    string,
    { object: KubeObject; extra?: KubeObject[]; reasons: string[]; noCluster?: boolean }
  > = {
    'the upstream sample as it is (never reconciled)': {
      object: vendored('cro/sample-postgres.yaml'),
      reasons: [
        'status.phase is empty: the cloud-resource-operator never reconciled it, so there is nothing to adopt; let the operator finish, or delete the original if it is abandoned, and plan again',
      ],
    },
    'a resource still being created': {
      object: postgres(withStatus({ phase: 'in progress', message: 'rds creation in progress' })),
      reasons: [
        'status.phase is "in progress" (status.message: rds creation in progress): the cloud-resource-operator has not finished creating it; wait until the phase is complete and plan again',
      ],
    },
    'a spec without secretRef': {
      object: postgres(withSpec({ secretRef: undefined })),
      reasons: [
        'spec.secretRef: Invalid input: expected object, received undefined; fix the original and plan again',
      ],
    },
    'a database on GCP': {
      object: postgres(withStatus({ phase: 'complete', provider: 'gcp-cloudsql' })),
      reasons: [
        'status.provider "gcp-cloudsql": Stackplane has no gcp provider; keep this resource on the cloud-resource-operator',
      ],
    },
    'an in-cluster (workshop) Postgres': {
      object: postgres(
        withSpec({ type: 'workshop' }),
        withStatus({ phase: 'complete', provider: 'openshift-postgres-template' }),
      ),
      reasons: [
        'status.provider "openshift-postgres-template": the data lives in Deployment team-a/example-postgres on volume claim team-a/example-postgres, and Stackplane\'s in-cluster Postgres is its own StatefulSet team-a/example-postgres-postgres with a new volume, so it cannot be adopted; create a Stackplane Postgres of an in-cluster type, copy the data into it (pg_dump and pg_restore), move the application to its Secret, then delete the original',
      ],
    },
    'a tier Stackplane has no strategy for, and a deployment type it does not know': {
      object: postgres(withSpec({ tier: 'premium', type: 'REPLACE_ME' })),
      reasons: [
        'spec.type "REPLACE_ME" does not serve postgres on aws in Stackplane (managed → aws, workshop → in-cluster): add deploymentTypes.REPLACE_ME.postgres: aws under data.dataServices of EnvironmentConfig stackplane-data and plan again',
        'spec.tier "premium" has no Stackplane strategy for postgres on aws (development, production): add strategies.postgres.aws.premium under data.dataServices of EnvironmentConfig stackplane-data and plan again',
      ],
    },
    'scheduled snapshots, which Stackplane does not take': {
      object: postgres(withSpec({ snapshotFrequency: '1d', snapshotRetention: '7d' })),
      reasons: [
        'spec.snapshotFrequency "1d": Stackplane takes no scheduled snapshots; remove snapshotFrequency and snapshotRetention from the original (take PostgresSnapshots when you need them) and plan again',
        'spec.snapshotRetention "7d": Stackplane takes no scheduled snapshots; remove snapshotFrequency and snapshotRetention from the original (take PostgresSnapshots when you need them) and plan again',
      ],
    },
    'a Secret in another namespace': {
      object: postgres(withSpec({ secretRef: { name: 'example-postgres-sec', namespace: 'shared' } })),
      reasons: [
        'spec.secretRef.namespace "shared" is not the resource\'s namespace "team-a": Stackplane writes the connection Secret only beside the resource; point the consumers at a Secret in team-a, remove spec.secretRef.namespace and plan again',
      ],
    },
    'no cluster id, though the annotation names an instance (a tenant may have written it)': {
      object: postgres(withAnnotation('resourceIdentifier', 'qwertyx7k2pteamaexamplepostgres')),
      noCluster: true,
      reasons: [
        'Infrastructure "cluster" (config.openshift.io/v1) is not in the inventory, so the name the operator gave the RDS instance is unknown; read the originals from the cluster, or add that Infrastructure to the files, and plan again',
      ],
    },
    "an annotation naming another namespace's instance": {
      object: postgres(withAnnotation('resourceIdentifier', 'qwertyx7k2pteambexamplepostgres')),
      reasons: [
        "metadata.annotations.resourceIdentifier \"qwertyx7k2pteambexamplepostgres\" is not the name the operator gives this resource (qwertyx7k2pteamaexamplepostgres, from the operator's naming rule with cluster id qwerty-x7k2p): annotations are the tenant's to edit, so only the operator's own name is adopted; if qwertyx7k2pteambexamplepostgres truly holds this resource's data, the platform hands it over by hand; otherwise remove the annotation and plan again",
      ],
    },
    'a bucket whose credentials belong to the cloud-credential-operator': {
      object: blob(),
      reasons: [
        'status.provider "aws-s3": credentialKeyID in Secret team-a/example-blobstorage-sec is a key of the IAM user the OpenShift cloud-credential-operator made for CredentialsRequest cro-aws-s3-<bucket>-creds, which Stackplane cannot adopt (its BlobStorage composes its own IAM user and key), so the Secret cannot keep its values; create a Stackplane BlobStorage, copy the objects into its bucket, move the application to its Secret, then delete the original',
      ],
    },
    'an in-cluster blob storage, which had no storage': {
      object: blob(withStatus({ phase: 'complete', provider: 'openshift-blobstorage' })),
      reasons: [
        'status.provider "openshift-blobstorage": the original wrote placeholder values to Secret team-a/example-blobstorage-sec, with no storage behind them; create a Stackplane BlobStorage of an in-cluster type and point the application at its Secret',
      ],
    },
    'SMTP credentials, whose password would change': {
      object: smtp(),
      reasons: [
        'status.provider "aws-ses": Stackplane\'s SMTPCredentials compose their own IAM user allowed to send through SES with a new password, so Secret team-a/mail-sec cannot keep its values; create a Stackplane SMTPCredentials writing another Secret, move the application to it, then delete the original',
      ],
    },
    'a snapshot whose source is not in the inventory': {
      object: pgSnapshot(),
      reasons: [
        'spec.resourceName "example-postgres": Postgres team-a/example-postgres (integreatly.org/v1alpha1) is not in the inventory; a snapshot moves with its source, so read its source too and plan again',
      ],
    },
    'a snapshot whose source stays behind': {
      object: pgSnapshot(),
      extra: [postgres(withStatus({ phase: 'in progress' }))],
      reasons: [
        'spec.resourceName "example-postgres": its source Postgres team-a/example-postgres does not move (see its entry), so neither does its snapshot; it stays with the cloud-resource-operator',
      ],
    },
    'a snapshot never taken': {
      object: pgSnapshot(withStatus({ phase: 'in progress' })),
      extra: [postgres()],
      reasons: [
        'status.phase is "in progress" and status.snapshotID is empty: the snapshot was never completed; wait until the phase is complete, or delete the original, and plan again',
      ],
    },
  };
  it.each(Object.entries(refusals))('refuses %s', (_, { object, extra = [], reasons, noCluster }) => {
    const objects = [...extra, object];
    const entries = noCluster ? cloudResourceOperator.plan({ objects }) : plan(...objects);
    const { metadata, apiVersion, kind } = object;
    expect(entries.at(-1)).toEqual({
      outcome: 'refuse',
      original: {
        apiVersion,
        kind,
        ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
        name: metadata.name,
      },
      reasons,
    });
  });

  it('adds what the strategy ConfigMap says the platform must match', () => {
    const strategies = build(vendored('cro/sample-aws-strategies.yaml'), (o) => {
      (o['data'] as Record<string, string>)['postgres'] = JSON.stringify({
        development: {
          region: 'eu-central-1',
          createStrategy: { DBInstanceClass: 'db.t3.medium', MultiAZ: false },
        },
      });
    });
    const entry = only(cloudResourceOperator.plan({ objects: [infrastructure(), strategies, postgres()] }));
    expect(entry.outcome === 'migrate' && entry.notes.slice(POSTGRES_NOTES.length)).toEqual([
      "the original's strategy for tier development uses region eu-central-1: data.dataServices.aws.region of EnvironmentConfig stackplane-data must be eu-central-1",
      "createStrategy DBInstanceClass, MultiAZ of the original's tier development is not carried over: Stackplane's tier strategy applies once skipCreate is off",
    ]);
  });

  it("adopts the identifier a tier's createStrategy pins for every resource of that tier", () => {
    const strategies = build(vendored('cro/sample-aws-strategies.yaml'), (o) => {
      (o['data'] as Record<string, string>)['redis'] = JSON.stringify({
        development: { region: '', createStrategy: { ReplicationGroupId: 'rhoam-cache' } },
      });
    });
    const entry = only(cloudResourceOperator.plan({ objects: [infrastructure(), strategies, redis()] }));
    expect(entry.outcome === 'migrate' && [entry.adopted, entry.notes[0], entry.notes.at(-1)]).toEqual([
      [{ what: 'ElastiCache replication group', externalName: 'rhoam-cache' }],
      "adopts ElastiCache replication group rhoam-cache (named by createStrategy.ReplicationGroupId of the original's tier development); spec.skipCreate: true keeps it observe-only, so nothing in AWS is created, changed or deleted",
      "createStrategy ReplicationGroupId of the original's tier development is not carried over: Stackplane's tier strategy applies once skipCreate is off",
    ]);
  });

  it('lists the kinds of the vendored CRDs', () => {
    const crds = [
      'postgres',
      'redis',
      'blobstorages',
      'smtpcredentialsets',
      'postgressnapshots',
      'redissnapshots',
    ].map(
      (plural) =>
        vendored(`cro/crd-${plural}.yaml`)['spec'] as {
          group: string;
          names: { kind: string; plural: string };
        },
    );
    expect(cloudResourceOperator.kinds).toEqual(
      crds.map((crd) => ({
        group: crd.group,
        version: 'v1alpha1',
        kind: crd.names.kind,
        plural: crd.names.plural,
      })),
    );
  });

  it("scales the operator's Deployment as its kustomize default installs it, unless --operator names another", () => {
    expect(cloudResourceOperator.operator).toEqual({
      namespace: 'cloud-resource-operator-system',
      name: 'cloud-resource-operator-cloud-resource-operator',
    });
  });

  it('knows the deployment types and tiers the data Compositions ship', () => {
    const types: Record<string, unknown> = {};
    const tiers: Record<string, Record<string, string[]>> = {};
    for (const file of ['postgres', 'redis', 'blobstorage', 'smtpcredentials']) {
      const composition = parse(
        readFileSync(join(import.meta.dirname, `../../compositions/${file}.yaml`), 'utf8'),
      ) as {
        spec: { pipeline: Array<{ input: { kind: string; deploymentTypes?: object; strategies?: object } }> };
      };
      const input = composition.spec.pipeline.find((step) => step.input.kind === 'DataService')!.input;
      Object.assign(types, input.deploymentTypes);
      for (const [type, byProvider] of Object.entries(input.strategies ?? {}))
        tiers[type] = Object.fromEntries(
          Object.entries(byProvider as Record<string, object>).map(([p, t]) => [p, Object.keys(t)]),
        );
    }
    expect({ types, tiers }).toEqual({ types: SHIPPED_DEPLOYMENT_TYPES, tiers: SHIPPED_TIERS });
  });
});
