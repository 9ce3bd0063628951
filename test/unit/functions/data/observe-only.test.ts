import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { dataXR, decoded, fakeRandom, platformFetched, shippedInput } from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, summarize } from '../../../support/responses.js';

const xr = dataXR('Postgres', { type: 'workshop', tier: 'development', skipCreate: true });
const run = (parts: { required?: Record<string, KubeObject[]>; observed?: Record<string, KubeObject> }) =>
  new StackplaneFunction(steps, undefined, fakeRandom(5)).RunFunction(
    runFunctionRequest({
      xr,
      input: shippedInput('postgres.yaml'),
      required: platformFetched(undefined, parts.required ?? {}),
      observed: parts.observed ?? {},
    }),
  );

const b64 = (value: string) => Buffer.from(value).toString('base64');
/** The objects of an in-cluster Postgres as the API server holds them. */
const existing = {
  credentials: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'orders-postgres-credentials', namespace: 'team-a', uid: 'u1', resourceVersion: '7' },
    type: 'Opaque',
    data: { username: b64('postgres'), password: b64('kept-password') },
  },
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'orders-postgres', namespace: 'team-a', resourceVersion: '8' },
    spec: { ports: [{ name: 'postgres', port: 5432 }], clusterIP: '10.0.0.7' },
    status: { loadBalancer: {} },
  },
  statefulset: {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'orders-postgres', namespace: 'team-a', labels: { app: 'kept' }, generation: 3 },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'postgres', image: 'postgres:15' }] } } },
    status: { readyReplicas: 1 },
  },
} satisfies Record<string, KubeObject>;
const found = {
  'existing-credentials': [existing.credentials],
  'existing-service': [existing.service],
  'existing-statefulset': [existing.statefulset],
};
const nothingFound = { 'existing-credentials': [], 'existing-service': [], 'existing-statefulset': [] };

describe('skipCreate in the cluster: observe only, as the original operator did', () => {
  it('first asks for the objects it would compose, by kind and name', async () => {
    const rsp = await run({});
    expect(rsp.requirements?.resources?.['existing-statefulset']).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      matchName: 'orders-postgres',
      namespace: 'team-a',
    });
    expect(desiredResources(rsp)).toEqual({});
  });

  it('creates nothing that does not exist, and says what is missing', async () => {
    const rsp = await run({ required: nothingFound });
    expect(desiredResources(rsp)).toEqual({});
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Warning',
        reason: 'ObservedOnly',
        message:
          'spec.skipCreate: Postgres team-a/orders only observes; Secret orders-postgres-credentials, Service orders-postgres, StatefulSet orders-postgres do not exist in namespace team-a and are not created',
      },
    ]);
  });

  it('only reads objects it finds by name: never composed, so never changed or deleted with it', async () => {
    const rsp = await run({ required: found });
    expect(Object.keys(desiredResources(rsp))).toEqual(['connection-secret']);
    // The connection carries the password the running database has.
    expect(decoded(desiredResources(rsp)['connection-secret'])).toMatchObject({
      password: 'kept-password',
      host: 'orders-postgres.team-a.svc',
    });
    expect(summarize(rsp).results).toEqual([]);
  });

  it('keeps what it composed before exactly as observed, so nothing is updated or deleted', async () => {
    const rsp = await run({ observed: existing, required: nothingFound });
    const { statefulset, service } = desiredResources(rsp);
    expect(statefulset).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'orders-postgres', namespace: 'team-a', labels: { app: 'kept' } },
      spec: existing.statefulset.spec,
    });
    expect(service?.['spec']).toEqual(existing.service.spec);
    expect(decoded(desiredResources(rsp)['credentials'])['password']).toBe('kept-password');
  });
});
