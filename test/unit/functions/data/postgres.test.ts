import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { WAITING_TTL_SECONDS } from '../../../../functions/requeue.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import {
  dataXR,
  decoded,
  fakeRandom,
  platformFetched,
  readyManaged,
  shippedInput,
  withStatus,
} from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, desiredStatus, summarize, type Summary } from '../../../support/responses.js';

const input = shippedInput('postgres.yaml');
const run = (parts: {
  xr: KubeObject;
  required?: Record<string, KubeObject[]>;
  observed?: Record<string, KubeObject>;
  desired?: Record<string, KubeObject>;
  seed?: number;
}) =>
  new StackplaneFunction(steps, undefined, fakeRandom(parts.seed)).RunFunction(
    runFunctionRequest({
      xr: parts.xr,
      input,
      required: parts.required ?? platformFetched(),
      observed: parts.observed ?? {},
      desired: parts.desired ?? {},
    }),
  );
const postgres = (spec: Record<string, unknown>, ...m: Parameters<typeof dataXR>[2][]) =>
  dataXR('Postgres', spec, ...m);

const placed = (message: string): Summary['conditions'][number] => ({
  type: 'Placement',
  status: 'True',
  reason: 'AsConfigured',
  message,
});
const valid = { type: 'Valid', status: 'True', reason: 'ValidSpec' };
const refused = (reason: string, message: string): Summary => ({
  results: [{ severity: 'Fatal', reason, message }],
  conditions: [{ type: 'Valid', status: 'False', reason, message }],
});

describe('data services: platform requirements', () => {
  it('asks for the platform EnvironmentConfig and the kube-system Namespace before composing', async () => {
    const rsp = await run({ xr: postgres({ type: 'managed', tier: 'development' }), required: {} });
    expect(rsp.requirements?.resources).toEqual({
      'controller-id-config': {
        apiVersion: 'apiextensions.crossplane.io/v1beta1',
        kind: 'EnvironmentConfig',
        matchName: 'stackplane-data',
      },
      'kube-system-namespace': { apiVersion: 'v1', kind: 'Namespace', matchName: 'kube-system' },
    });
    expect(desiredResources(rsp)).toEqual({});
    expect(summarize(rsp).results).toEqual([]);
  });
});

describe('data services: type and tier resolve to a provider and a strategy', () => {
  const cases: Record<
    string,
    {
      reason: string;
      xr: KubeObject;
      overrides?: unknown;
      want: { status: Record<string, unknown>; kinds: string[]; conditions: Summary['conditions'] };
    }
  > = {
    'managed production': {
      reason: 'managed maps postgres to aws',
      xr: postgres({ type: 'managed', tier: 'production' }),
      want: {
        status: {
          provider: 'aws',
          strategy: 'production',
          connectionSecret: 'orders-connection',
          externalName: 'qwerty-team-a-orders-yvwi6skvnu',
          version: '16',
        },
        kinds: ['Instance'],
        conditions: [valid, placed('postgres on aws with strategy "production"')],
      },
    },
    'workshop development': {
      reason: 'workshop maps postgres to in-cluster',
      xr: postgres({ type: 'workshop', tier: 'development' }),
      want: {
        status: {
          provider: 'in-cluster',
          strategy: 'development',
          connectionSecret: 'orders-connection',
          endpoint: 'orders-postgres.team-a.svc:5432',
          version: '16',
        },
        kinds: ['Secret', 'Service', 'StatefulSet'],
        conditions: [valid, placed('postgres on in-cluster with strategy "development"')],
      },
    },
    'EnvironmentConfig moves a type to another provider': {
      reason: 'the platform table is overridden by data.dataServices',
      xr: postgres({ type: 'managed', tier: 'development' }),
      overrides: { deploymentTypes: { managed: { postgres: 'in-cluster' } } },
      want: {
        status: {
          provider: 'in-cluster',
          strategy: 'development',
          connectionSecret: 'orders-connection',
          endpoint: 'orders-postgres.team-a.svc:5432',
          version: '16',
        },
        kinds: ['Secret', 'Service', 'StatefulSet'],
        conditions: [valid, placed('postgres on in-cluster with strategy "development"')],
      },
    },
    'EnvironmentConfig adds a tier': {
      reason: 'platform teams define their own tiers',
      xr: postgres({ type: 'workshop', tier: 'tiny' }),
      overrides: {
        strategies: {
          postgres: {
            'in-cluster': {
              tiny: {
                image: 'docker.io/library/postgres',
                engineVersion: '15',
                allowedVersions: ['15'],
                storageSize: '256Mi',
              },
            },
          },
        },
      },
      want: {
        status: {
          provider: 'in-cluster',
          strategy: 'tiny',
          connectionSecret: 'orders-connection',
          endpoint: 'orders-postgres.team-a.svc:5432',
          version: '15',
        },
        kinds: ['Secret', 'Service', 'StatefulSet'],
        conditions: [valid, placed('postgres on in-cluster with strategy "tiny"')],
      },
    },
    'sticky provider, tier as the user changed it': {
      reason:
        'status records aws/development; the table now maps workshop to in-cluster, the user asks for production',
      xr: postgres(
        { type: 'workshop', tier: 'production' },
        withStatus({ provider: 'aws', strategy: 'development', version: '15' }),
      ),
      want: {
        status: {
          provider: 'aws',
          strategy: 'production',
          connectionSecret: 'orders-connection',
          externalName: 'qwerty-team-a-orders-yvwi6skvnu',
          version: '15',
        },
        kinds: ['Instance'],
        conditions: [
          valid,
          {
            type: 'Placement',
            status: 'False',
            reason: 'Pinned',
            message:
              'postgres on aws with strategy "production": kept provider aws, chosen when this resource was created, ' +
              'although deployment type "workshop" now maps postgres to in-cluster; the provider never changes in ' +
              'place because that would mean moving the data: create a new resource to move',
          },
        ],
      },
    },
    'tier change applies': {
      reason: 'a user changing spec.tier means it: the new strategy applies on the recorded provider',
      xr: postgres(
        { type: 'managed', tier: 'production' },
        withStatus({ provider: 'aws', strategy: 'development', version: '16' }),
      ),
      want: {
        status: {
          provider: 'aws',
          strategy: 'production',
          connectionSecret: 'orders-connection',
          externalName: 'qwerty-team-a-orders-yvwi6skvnu',
          version: '16',
        },
        kinds: ['Instance'],
        conditions: [valid, placed('postgres on aws with strategy "production"')],
      },
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { xr, overrides, want }) => {
    const rsp = await run({ xr, required: platformFetched(overrides) });
    // DeletionProtected has its own table (deletion-protection.test.ts).
    const { results, conditions } = summarize(rsp);
    expect({ results, conditions: conditions.filter((c) => c.type !== 'DeletionProtected') }).toEqual({
      results: [],
      conditions: want.conditions,
    });
    expect(desiredStatus(rsp)).toEqual(want.status);
    expect(
      Object.values(desiredResources(rsp))
        .map((r) => String(r['kind']))
        .sort(),
    ).toEqual(want.kinds);
  });

  it("applies the new tier's strategy when the user changes spec.tier", async () => {
    const rsp = await run({
      xr: postgres(
        { type: 'managed', tier: 'production' },
        withStatus({ provider: 'aws', strategy: 'development', version: '16' }),
      ),
    });
    const forProvider = (
      desiredResources(rsp)['instance']?.['spec'] as { forProvider: Record<string, unknown> }
    ).forProvider;
    expect(forProvider).toMatchObject({
      instanceClass: 'db.m6g.large',
      multiAz: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
    });
  });

  it('deep-merges an override: one strategy field changes, the rest of the tier stays', async () => {
    const rsp = await run({
      xr: postgres({ type: 'managed', tier: 'development' }),
      required: platformFetched({
        strategies: { postgres: { aws: { development: { instanceClass: 'db.t4g.small' } } } },
      }),
    });
    const forProvider = (
      desiredResources(rsp)['instance']?.['spec'] as { forProvider: Record<string, unknown> }
    ).forProvider;
    expect(forProvider).toMatchObject({
      instanceClass: 'db.t4g.small',
      allocatedStorage: 20,
      multiAz: false,
    });
  });
});

describe('data services: bad input is refused with the field and the fix, and nothing changes', () => {
  const kept = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } };
  const cases: Record<string, { reason: string; xr: KubeObject; overrides?: unknown; want: Summary }> = {
    'unknown type': {
      reason: 'the valid types are listed',
      xr: postgres({ type: 'serverless', tier: 'development' }),
      want: refused(
        'UnknownDeploymentType',
        'cannot compose Postgres team-a/orders: spec.type: unknown deployment type "serverless" for postgres; valid types: managed, workshop',
      ),
    },
    'unknown tier': {
      reason: 'the valid tiers of the provider are listed',
      xr: postgres({ type: 'managed', tier: 'gold' }),
      want: refused(
        'UnknownTier',
        'cannot compose Postgres team-a/orders: spec.tier: unknown tier "gold" for postgres on aws; valid tiers: development, production',
      ),
    },
    'version not allowed': {
      reason: 'a version outside the allow-list is refused, never replaced',
      xr: postgres({ type: 'managed', tier: 'production', version: '13' }),
      want: refused(
        'VersionNotAllowed',
        'cannot compose Postgres team-a/orders: spec.version: version "13" is not allowed by strategy "production" on aws; allowed: 15, 16, 17; set one of them, or leave spec.version out for 16',
      ),
    },
    'missing tier': {
      reason: 'tier is required',
      xr: postgres({ type: 'managed' }),
      want: refused(
        'InvalidSpec',
        'invalid Postgres team-a/orders: spec.tier: is required (expected string)',
      ),
    },
    'bad version syntax': {
      reason: 'versions are numbers',
      xr: postgres({ type: 'managed', tier: 'development', version: 'latest' }),
      want: refused(
        'InvalidSpec',
        'invalid Postgres team-a/orders: spec.version: must be a version number, for example 16.4',
      ),
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { xr, overrides, want }) => {
    const rsp = await run({ xr, required: platformFetched(overrides), desired: { kept } });
    expect(summarize(rsp)).toEqual(want);
    expect(desiredResources(rsp)).toEqual({ kept });
    expect(desiredStatus(rsp)).toBeUndefined();
  });

  it('refuses an EnvironmentConfig override the input schema would refuse', async () => {
    const rsp = await run({
      xr: postgres({ type: 'managed', tier: 'development' }),
      required: platformFetched({ deploymentTypes: { managed: { postgres: 'gcp' } } }),
      desired: { kept },
    });
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Fatal',
        reason: 'InvalidPlatformConfig',
        message:
          'cannot compose Postgres team-a/orders: EnvironmentConfig "stackplane-data" data.dataServices is not usable: data.dataServices.deploymentTypes.managed.postgres: Invalid option: expected one of "aws"|"in-cluster"',
      },
    ]);
    expect(desiredResources(rsp)).toEqual({ kept });
  });
});

describe('Postgres on AWS', () => {
  it('observes only with skipCreate: every managed resource gets management policy Observe', async () => {
    const rsp = await run({
      xr: postgres({ type: 'managed', tier: 'development', skipCreate: true }),
      required: platformFetched({
        strategies: { postgres: { aws: { development: { subnetIds: ['subnet-1'] } } } },
      }),
    });
    const policies = Object.entries(desiredResources(rsp)).map(([name, r]) => [
      name,
      (r['spec'] as { managementPolicies?: string[] }).managementPolicies,
    ]);
    expect(policies).toEqual([
      ['subnet-group', ['Observe']],
      ['instance', ['Observe']],
    ]);
  });

  it('fills the connection Secret from the Secret the provider writes, with the original keys', async () => {
    const details = {
      host: 'db.example.eu-west-1.rds.amazonaws.com',
      port: '5432',
      username: 'postgres',
      password: 'p@ss/word',
    };
    const rsp = await run({
      xr: postgres({ type: 'managed', tier: 'development' }),
      observed: {
        instance: readyManaged({ apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Instance' }),
      },
      required: platformFetched(undefined, {
        'rds-connection': [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'orders-postgres-rds', namespace: 'team-a' },
            data: Object.fromEntries(
              Object.entries(details).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
          },
        ],
      }),
    });
    expect(decoded(desiredResources(rsp)['connection-secret'])).toEqual({
      ...details,
      database: 'postgres',
      uri: 'postgresql://postgres:p%40ss%2Fword@db.example.eu-west-1.rds.amazonaws.com:5432/postgres',
    });
    expect(desiredStatus(rsp)?.['endpoint']).toBe('db.example.eu-west-1.rds.amazonaws.com:5432');
    expect(rsp.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
  });

  it('looks again soon while the instance is ready but the provider has not written its Secret', async () => {
    // The Secret is read, not composed: its appearing re-runs nothing.
    const rsp = await run({
      xr: postgres({ type: 'managed', tier: 'development' }),
      observed: {
        instance: readyManaged({ apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Instance' }),
      },
    });
    expect(desiredResources(rsp)['connection-secret']).toBeUndefined();
    expect(rsp.meta?.ttl).toEqual({ seconds: WAITING_TTL_SECONDS, nanos: 0 });
  });
});

describe('Postgres in the cluster: the password is generated once and kept', () => {
  const xr = postgres({ type: 'workshop', tier: 'development' });

  it('generates from the entropy source on the first run and composes no connection Secret yet', async () => {
    const rsp = await run({ xr, seed: 7 });
    expect(decoded(desiredResources(rsp)['credentials'])).toEqual({
      username: 'postgres',
      password: fakeRandom(7)(24).toString('base64url'),
    });
    expect(desiredResources(rsp)['connection-secret']).toBeUndefined();
  });

  it('reads the password back on every later run, whatever the entropy source says', async () => {
    const first = desiredResources(await run({ xr, seed: 7 }))['credentials']!;
    const again = desiredResources(await run({ xr, seed: 99, observed: { credentials: first } }));
    expect(again['credentials']).toEqual(first);
    expect(decoded(again['connection-secret'])).toEqual({
      username: 'postgres',
      password: fakeRandom(7)(24).toString('base64url'),
      host: 'orders-postgres.team-a.svc',
      port: '5432',
      database: 'postgres',
      uri: `postgresql://postgres:${fakeRandom(7)(24).toString('base64url')}@orders-postgres.team-a.svc:5432/postgres`,
    });
  });

  it('names the connection Secret as spec.writeConnectionSecretToRef says', async () => {
    const first = desiredResources(await run({ xr }))['credentials']!;
    const rsp = await run({
      xr: postgres({
        type: 'workshop',
        tier: 'development',
        writeConnectionSecretToRef: { name: 'db-creds' },
      }),
      observed: { credentials: first },
    });
    expect((desiredResources(rsp)['connection-secret']?.['metadata'] as { name: string }).name).toBe(
      'db-creds',
    );
  });
});
