// An AWS Postgres or Redis adopted from the cloud-resource-operator (stackplane migrate): observe-only,
// its connection Secret the original's, kept with its values.
import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
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
  type DataXR,
} from '../../../support/data.js';
import type { Modifier } from '../../../support/requests.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredReadiness, desiredResources, desiredStatus } from '../../../support/responses.js';

const RDS_ADDRESS = 'qwertyx7k2pteamaexamplepostgres.c9akciq32.eu-west-1.rds.amazonaws.com';
const CACHE_ADDRESS = 'master.qwertyx7k2pteamaexampleredis.abc123.euw1.cache.amazonaws.com';

/** A Secret in team-a holding `values`, as the API server returns it. */
const secretOf = (name: string, values: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'team-a' },
  data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

/** What the cloud-resource-operator wrote for its Postgres sample (aws-rds). */
const ORIGINAL_POSTGRES = {
  username: 'postgres',
  password: 'Zx4-original/pass+word',
  host: RDS_ADDRESS,
  port: '5432',
  database: 'postgres',
};
/** What it wrote for a Redis (aws-elasticache): the host and the port, no credentials. */
const ORIGINAL_REDIS = { uri: CACHE_ADDRESS, port: '6379' };

/** The composite `stackplane migrate` applies: observe-only, the Secret's name kept, its status seeded. */
const adopted = (kind: string, secret: string, externalName: string, ...m: Modifier<DataXR>[]) =>
  dataXR(
    kind,
    { type: 'managed', tier: 'development', skipCreate: true, writeConnectionSecretToRef: { name: secret } },
    (xr) => {
      xr.metadata.name = secret.replace(/-sec$/, '');
    },
    withStatus({ provider: 'aws', strategy: 'development', externalName }),
    ...m,
  );

const run = (
  file: string,
  xr: KubeObject,
  observed: Record<string, KubeObject>,
  required: Record<string, KubeObject[]>,
) =>
  new StackplaneFunction(steps, undefined, fakeRandom(7)).RunFunction(
    runFunctionRequest({
      xr,
      input: shippedInput(file),
      required: platformFetched(undefined, required),
      observed,
    }),
  );

const instance = readyManaged(
  { apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Instance' },
  { address: RDS_ADDRESS, port: 5432 },
);
/** provider-upjet-aws's connection details of an observe-only instance: no master password. */
const rdsDetails = secretOf('example-postgres-postgres-rds', {
  address: RDS_ADDRESS,
  host: RDS_ADDRESS,
  port: '5432',
  username: 'postgres',
});
const group = (atProvider: Record<string, unknown>) =>
  readyManaged({ apiVersion: 'elasticache.aws.m.upbound.io/v1beta1', kind: 'ReplicationGroup' }, atProvider);

describe('an adopted AWS data service keeps the original connection Secret and becomes Ready', () => {
  const cases: Record<
    string,
    {
      reason: string;
      file: string;
      xr: KubeObject;
      observed: Record<string, KubeObject>;
      required: Record<string, KubeObject[]>;
      want: { connection: Record<string, string>; readiness: Record<string, string> };
    }
  > = {
    'Postgres, first run': {
      reason:
        'the master password is read from the kept Secret: the provider writes none for an observed instance',
      file: 'postgres.yaml',
      xr: adopted('Postgres', 'example-postgres-sec', 'qwertyx7k2pteamaexamplepostgres'),
      observed: { instance },
      required: {
        'rds-connection': [rdsDetails],
        'kept-connection': [secretOf('example-postgres-sec', ORIGINAL_POSTGRES)],
      },
      want: {
        connection: {
          ...ORIGINAL_POSTGRES,
          uri: `postgresql://postgres:Zx4-original%2Fpass%2Bword@${RDS_ADDRESS}:5432/postgres`,
        },
        readiness: { instance: 'True', 'connection-secret': 'False' },
      },
    },
    'Postgres, once the Secret is composed': {
      reason: 'the composed Secret is the kept one: its values stay as they are, and everything is ready',
      file: 'postgres.yaml',
      xr: adopted('Postgres', 'example-postgres-sec', 'qwertyx7k2pteamaexamplepostgres'),
      observed: {
        instance,
        'connection-secret': secretOf('example-postgres-sec', ORIGINAL_POSTGRES),
      },
      required: {
        'rds-connection': [rdsDetails],
        'kept-connection': [secretOf('example-postgres-sec', ORIGINAL_POSTGRES)],
      },
      want: {
        connection: {
          ...ORIGINAL_POSTGRES,
          uri: `postgresql://postgres:Zx4-original%2Fpass%2Bword@${RDS_ADDRESS}:5432/postgres`,
        },
        readiness: { instance: 'True', 'connection-secret': 'True' },
      },
    },
    'Redis without a token': {
      reason:
        'the original group has neither AUTH token nor TLS: no token is composed, and the Secret says so',
      file: 'redis.yaml',
      xr: adopted('Redis', 'example-redis-sec', 'qwertyx7k2pteamaexampleredis'),
      observed: {
        'replication-group': group({
          primaryEndpointAddress: CACHE_ADDRESS,
          port: 6379,
          transitEncryptionEnabled: false,
        }),
        'connection-secret': secretOf('example-redis-sec', ORIGINAL_REDIS),
      },
      required: { 'kept-connection': [secretOf('example-redis-sec', ORIGINAL_REDIS)] },
      want: {
        connection: { ...ORIGINAL_REDIS, tls: 'false', url: `redis://${CACHE_ADDRESS}:6379` },
        readiness: { 'replication-group': 'True', 'connection-secret': 'True' },
      },
    },
    'Redis with a token and TLS': {
      reason: 'a group created with a token: the kept Secret holds it, and the observed group speaks TLS',
      file: 'redis.yaml',
      xr: adopted('Redis', 'example-redis-sec', 'qwertyx7k2pteamaexampleredis'),
      observed: {
        'replication-group': group({
          primaryEndpointAddress: CACHE_ADDRESS,
          port: 6379,
          transitEncryptionEnabled: true,
        }),
      },
      required: {
        'kept-connection': [secretOf('example-redis-sec', { ...ORIGINAL_REDIS, password: 'kept token/1' })],
      },
      want: {
        connection: {
          ...ORIGINAL_REDIS,
          password: 'kept token/1',
          auth: 'kept token/1',
          tls: 'true',
          url: `rediss://:kept%20token%2F1@${CACHE_ADDRESS}:6379`,
        },
        readiness: { 'replication-group': 'True', 'connection-secret': 'False' },
      },
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { file, xr, observed, required, want }) => {
    const rsp = await run(file, xr, observed, required);
    expect(decoded(desiredResources(rsp)['connection-secret'])).toEqual(want.connection);
    expect(desiredReadiness(rsp)).toEqual(want.readiness);
  });

  it.each([
    ['Postgres', 'postgres.yaml', 'example-postgres-sec'],
    ['Redis', 'redis.yaml', 'example-redis-sec'],
  ])(
    '%s asks for the kept Secret by the composite’s Secret name, in its namespace only',
    async (kind, file, secret) => {
      const rsp = await run(file, adopted(kind, secret, 'x'), {}, {});
      expect(rsp.requirements?.resources?.['kept-connection']).toEqual({
        apiVersion: 'v1',
        kind: 'Secret',
        matchName: secret,
        namespace: 'team-a',
      });
    },
  );

  it('a composite that manages its cloud object reads no other Secret', async () => {
    const rsp = await run(
      'postgres.yaml',
      dataXR('Postgres', { type: 'managed', tier: 'development' }),
      {},
      {},
    );
    expect(Object.keys(rsp.requirements?.resources ?? {})).not.toContain('kept-connection');
  });
});

describe("an AWS Redis's status.version is the version its replication group runs", () => {
  const redis = adopted('Redis', 'example-redis-sec', 'qwertyx7k2pteamaexampleredis');
  const cases: Record<string, { reason: string; observed: Record<string, KubeObject>; want: string }> = {
    'adopted group': {
      reason:
        "the group the original made runs 6.2.6, not the tier's 7.1: ElastiCache's engineVersionActual says so",
      observed: {
        'replication-group': group({ primaryEndpointAddress: CACHE_ADDRESS, engineVersionActual: '6.2.6' }),
      },
      want: '6.2.6',
    },
    'patch version pulled in': {
      reason: 'ElastiCache runs the latest patch of the version asked for, and that is what runs',
      observed: {
        'replication-group': group({ primaryEndpointAddress: CACHE_ADDRESS, engineVersionActual: '7.1.0' }),
      },
      want: '7.1.0',
    },
    'group not observed yet': {
      reason: "nothing runs yet: the tier's version is the one asked for",
      observed: {},
      want: '7.1',
    },
    'no running version reported': {
      reason: "an empty engineVersionActual is no version: the tier's stays",
      observed: {
        'replication-group': group({ primaryEndpointAddress: CACHE_ADDRESS, engineVersionActual: '' }),
      },
      want: '7.1',
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { observed, want }) => {
    const rsp = await run('redis.yaml', redis, observed, {});
    expect(desiredStatus(rsp)?.['version']).toBe(want);
  });
});
