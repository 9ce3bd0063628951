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
} from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, summarize } from '../../../support/responses.js';

const input = shippedInput('redis.yaml');
const run = (xr: KubeObject, observed: Record<string, KubeObject> = {}, seed = 3) =>
  new StackplaneFunction(steps, undefined, fakeRandom(seed)).RunFunction(
    runFunctionRequest({ xr, input, required: platformFetched(), observed }),
  );
const forProvider = (object: KubeObject | undefined) =>
  (object?.['spec'] as { forProvider: Record<string, unknown> }).forProvider;

describe('Redis on AWS', () => {
  it('encrypts in transit and at rest and authenticates with a token kept in a composed Secret', async () => {
    const rsp = await run(dataXR('Redis', { type: 'managed', tier: 'development' }));
    const resources = desiredResources(rsp);
    const token = fakeRandom(3)(24).toString('base64url');
    expect(decoded(resources['auth-token'])).toEqual({ token });
    expect(forProvider(resources['replication-group'])).toEqual({
      region: 'eu-west-1',
      description: 'Redis team-a/orders',
      engine: 'redis',
      engineVersion: '7.1',
      nodeType: 'cache.t4g.micro',
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      port: 6379,
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      authTokenSecretRef: { name: 'orders-redis-auth', key: 'token' },
      snapshotRetentionLimit: 1,
      snapshotWindow: '02:00-03:00',
      maintenanceWindow: 'sun:03:30-sun:04:30',
      applyImmediately: false,
      tags: {
        'stackplane.io/cluster-id': 'qwerty',
        'stackplane.io/resource-type': 'redis',
        'stackplane.io/resource-name': 'team-a/orders',
        'stackplane.io/deployment-type': 'managed',
      },
    });
  });

  it.each([
    ['spec.size overrides the node type', { size: 'cache.r7g.large' }, { nodeType: 'cache.r7g.large' }],
    [
      'the maintenance window and applyImmediately are the user’s, never rewritten',
      { maintenance: { window: 'mon:01:00-mon:02:00', applyImmediately: true } },
      { maintenanceWindow: 'mon:01:00-mon:02:00', applyImmediately: true },
    ],
  ])('%s', async (_reason, spec, want) => {
    const rsp = await run(dataXR('Redis', { type: 'managed', tier: 'development', ...spec }));
    expect(forProvider(desiredResources(rsp)['replication-group'])).toMatchObject(want);
  });

  it('fills uri and port as the original did, and tells clients about the TLS and the token it requires', async () => {
    const first = desiredResources(await run(dataXR('Redis', { type: 'managed', tier: 'development' })));
    const rsp = await run(
      dataXR('Redis', { type: 'managed', tier: 'development' }),
      {
        'auth-token': first['auth-token']!,
        'replication-group': readyManaged(first['replication-group']!, {
          primaryEndpointAddress: 'master.example.cache.amazonaws.com',
          port: 6379,
        }),
      },
      42,
    );
    const token = fakeRandom(3)(24).toString('base64url');
    expect(decoded(desiredResources(rsp)['connection-secret'])).toEqual({
      uri: 'master.example.cache.amazonaws.com',
      port: '6379',
      password: token,
      auth: token,
      tls: 'true',
      url: `rediss://:${token}@master.example.cache.amazonaws.com:6379`,
    });
  });
});

describe('Redis in the cluster', () => {
  it('says the server speaks plain Redis with a password', async () => {
    const xr = dataXR('Redis', { type: 'workshop', tier: 'development' });
    const first = desiredResources(await run(xr));
    const secret = decoded(
      desiredResources(await run(xr, { credentials: first['credentials']! }))['connection-secret'],
    );
    expect(secret).toMatchObject({ uri: 'orders-redis.team-a.svc', port: '6379', tls: 'false' });
    expect(secret['url']).toBe(`redis://:${secret['password']}@orders-redis.team-a.svc:6379`);
  });

  it('warns that spec.size does not apply', async () => {
    const rsp = await run(
      dataXR('Redis', { type: 'workshop', tier: 'development', size: 'cache.r7g.large' }),
    );
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Warning',
        reason: 'Ignored',
        message: 'spec.size "cache.r7g.large" selects a cloud node type; in-cluster Redis ignores it',
      },
    ]);
  });
});
