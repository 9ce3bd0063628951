import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { dataXR, decoded, fakeRandom, platformFetched, shippedInput } from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources } from '../../../support/responses.js';

const input = shippedInput('blobstorage.yaml');
const run = (xr: KubeObject, required = platformFetched(), observed: Record<string, KubeObject> = {}) =>
  new StackplaneFunction(steps, undefined, fakeRandom(5)).RunFunction(
    runFunctionRequest({ xr, input, required, observed }),
  );

describe('BlobStorage on AWS', () => {
  it('observes only with skipCreate: the bucket, its settings and the IAM objects all get Observe', async () => {
    const rsp = await run(dataXR('BlobStorage', { type: 'managed', tier: 'development', skipCreate: true }));
    expect(
      Object.fromEntries(
        Object.entries(desiredResources(rsp)).map(([name, r]) => [
          name,
          (r['spec'] as { managementPolicies?: string[] }).managementPolicies,
        ]),
      ),
    ).toEqual({
      bucket: ['Observe'],
      'public-access-block': ['Observe'],
      encryption: ['Observe'],
      'iam-user': ['Observe'],
      'iam-policy': ['Observe'],
      'iam-policy-attachment': ['Observe'],
      'access-key': ['Observe'],
    });
  });

  it('fills the original keys from the access key the provider writes', async () => {
    const key = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'orders-blobstorage-key', namespace: 'team-a' },
      data: { username: btoa('AKIDEXAMPLE'), password: btoa('secret/key+value') },
    };
    const rsp = await run(
      dataXR('BlobStorage', { type: 'managed', tier: 'development' }),
      platformFetched(undefined, { 'access-key-connection': [key] }),
    );
    expect(decoded(desiredResources(rsp)['connection-secret'])).toEqual({
      bucketName: 'qwerty-team-a-orders-yvwi6skvnu',
      bucketRegion: 'eu-west-1',
      credentialKeyID: 'AKIDEXAMPLE',
      credentialSecretKey: 'secret/key+value',
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
    });
  });
});

describe('BlobStorage on AWS: names are sticky', () => {
  const userName = (rsp: Awaited<ReturnType<typeof run>>) =>
    (desiredResources(rsp)['iam-user']!['metadata'] as { annotations: Record<string, string> }).annotations[
      'crossplane.io/external-name'
    ];

  it.each([
    [
      'a new BlobStorage ending like a hash gets a hashed IAM user',
      {},
      /^qwerty-team-a-production-[a-z2-7]{10}$/,
    ],
    [
      'an existing one keeps the IAM user it observes (named before names ending like a hash were hashed)',
      { 'iam-user': iamUser('qwerty-team-a-production') },
      /^qwerty-team-a-production$/,
    ],
  ] as const)('%s', async (_reason, observed, want) => {
    const xr = dataXR('BlobStorage', { type: 'managed', tier: 'development' }, (x) => {
      x.metadata.name = 'production';
    });
    expect(userName(await run(xr, platformFetched(), observed))).toMatch(want);
  });
});

function iamUser(name: string): KubeObject {
  return {
    apiVersion: 'iam.aws.m.upbound.io/v1beta1',
    kind: 'User',
    metadata: {
      name: 'production-blobstorage',
      namespace: 'team-a',
      annotations: { 'crossplane.io/external-name': name },
    },
  };
}

describe('BlobStorage in the cluster', () => {
  it('keeps its generated credentials across runs', async () => {
    const xr = dataXR('BlobStorage', { type: 'workshop', tier: 'development' });
    const first = desiredResources(await run(xr))['credentials']!;
    const again = desiredResources(await run(xr, platformFetched(), { credentials: first }));
    expect(again['credentials']).toEqual(first);
    expect(Object.keys(decoded(again['connection-secret'])).sort()).toEqual([
      'bucketName',
      'bucketRegion',
      'credentialKeyID',
      'credentialSecretKey',
      'endpoint',
    ]);
  });
});
