import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { dataXR, fakeRandom, platformFetched, shippedInput, withStatus } from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, desiredStatus, summarize } from '../../../support/responses.js';

const run = (xr: KubeObject, observed: Record<string, KubeObject> = {}) =>
  new StackplaneFunction(steps, undefined, fakeRandom(3)).RunFunction(
    runFunctionRequest({
      xr,
      input: shippedInput(`${String(xr['kind']).toLowerCase()}.yaml`),
      required: platformFetched(),
      observed,
    }),
  );

/** The credentials Secret an in-cluster Postgres reads its password back from. */
const credentials = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'orders-postgres-credentials', namespace: 'team-a' },
  data: {
    username: Buffer.from('postgres').toString('base64'),
    password: Buffer.from('pw').toString('base64'),
  },
});
const connectionSecretName = (rsp: Awaited<ReturnType<typeof run>>) =>
  (desiredResources(rsp)['connection-secret']?.['metadata'] as { name?: string } | undefined)?.name;

describe("data services: the original operator's spec.secretRef", () => {
  it('names the connection Secret, and condition Deprecated says what to write instead', async () => {
    const xr = dataXR('Postgres', {
      type: 'workshop',
      tier: 'development',
      secretRef: { name: 'orders-db' },
    });
    const rsp = await run(xr, { credentials: credentials() });
    expect(connectionSecretName(rsp)).toBe('orders-db');
    expect(desiredStatus(rsp)?.['connectionSecret']).toBe('orders-db');
    expect(summarize(rsp).conditions).toContainEqual({
      type: 'Deprecated',
      status: 'True',
      reason: 'SecretRefUsed',
      message:
        'spec.secretRef is the original operator\'s field; the connection Secret is "orders-db" as it says. Write spec.writeConnectionSecretToRef.name: orders-db instead and remove spec.secretRef',
    });
  });

  it("accepts the resource's own namespace, as ported manifests often spell it", async () => {
    const xr = dataXR('Redis', {
      type: 'workshop',
      tier: 'development',
      secretRef: { name: 'sessions', namespace: 'team-a' },
    });
    expect(desiredStatus(await run(xr))?.['connectionSecret']).toBe('sessions');
  });

  it.each([
    {
      reason: 'another namespace: the Secret is always written beside the resource',
      spec: { secretRef: { name: 'db', namespace: 'apps' } },
      want: {
        reason: 'SecretNamespaceUnsupported',
        message:
          'cannot compose Postgres team-a/orders: spec.secretRef.namespace: the connection Secret is always written to the resource\'s own namespace "team-a", not "apps"; remove spec.secretRef.namespace, or create the resource in namespace "apps"',
      },
    },
    {
      reason: 'two different names',
      spec: { secretRef: { name: 'db' }, writeConnectionSecretToRef: { name: 'other' } },
      want: {
        reason: 'ConflictingSecretNames',
        message:
          'cannot compose Postgres team-a/orders: spec.secretRef.name "db" and spec.writeConnectionSecretToRef.name "other" name different Secrets; keep only spec.writeConnectionSecretToRef.name',
      },
    },
  ])('refuses $reason', async ({ spec, want }) => {
    const rsp = await run(dataXR('Postgres', { type: 'workshop', tier: 'development', ...spec }));
    expect(summarize(rsp)).toEqual({
      results: [{ severity: 'Fatal', ...want }],
      conditions: [{ type: 'Valid', status: 'False', ...want }],
    });
    expect(desiredResources(rsp)).toEqual({});
  });

  it('turns an earlier Deprecated condition False once the manifest uses writeConnectionSecretToRef', async () => {
    const xr = dataXR(
      'Postgres',
      { type: 'workshop', tier: 'development', writeConnectionSecretToRef: { name: 'orders-db' } },
      withStatus({ conditions: [{ type: 'Deprecated', status: 'True', reason: 'SecretRefUsed' }] }),
    );
    const rsp = await run(xr, { credentials: credentials() });
    expect(connectionSecretName(rsp)).toBe('orders-db');
    expect(summarize(rsp).conditions).toContainEqual({
      type: 'Deprecated',
      status: 'False',
      reason: 'NoDeprecatedFields',
    });
  });

  it('adds no Deprecated condition to a manifest that never used spec.secretRef', async () => {
    const rsp = await run(dataXR('Postgres', { type: 'workshop', tier: 'development' }));
    expect(summarize(rsp).conditions.map((c) => c.type)).not.toContain('Deprecated');
  });
});
