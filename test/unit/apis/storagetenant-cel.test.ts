// The StorageTenant schema's API server rules, checked by a real kube-apiserver: its generated
// openAPIV3Schema served as a CRD (what Crossplane makes of the XRD, less Crossplane's own fields).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  kubeApiServerOrSkip,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../testing/kube-apiserver.js';
import { kubeRequest } from '../../support/kube-request.js';

const binaries = kubeApiServerOrSkip('StorageTenant schema rules in a real kube-apiserver');

const PATH = '/apis/storage.stackplane.io/v1alpha1/storagetenants';

async function storageTenantCrd(): Promise<Record<string, unknown>> {
  const xrd = parse(await readFile('apis/xrds/storagetenants.storage.stackplane.io.yaml', 'utf8')) as {
    spec: { group: string; names: unknown; versions: Array<{ name: string; schema: unknown }> };
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'storagetenants.storage.stackplane.io' },
    spec: {
      group: xrd.spec.group,
      names: xrd.spec.names,
      scope: 'Cluster',
      versions: xrd.spec.versions.map((v) => ({
        name: v.name,
        served: true,
        storage: true,
        schema: v.schema,
      })),
    },
  };
}

const tenant = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'storage.stackplane.io/v1alpha1',
  kind: 'StorageTenant',
  metadata: { name },
  spec: { storageClasses: [{ name: 'gold', replicas: 3 }], ...spec },
});

describe.skipIf(!binaries)('StorageTenant rules in a real kube-apiserver', () => {
  let server: KubeApiServer;
  beforeAll(async () => {
    server = await startKubeApiServer(binaries!);
    const created = await kubeRequest(
      server,
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      await storageTenantCrd(),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await kubeRequest(server, 'GET', PATH)).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('storagetenants are not served');
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const creates: Record<string, { reason: string; spec: Record<string, unknown>; refused?: RegExp }> = {
    projectID: { reason: 'the current name', spec: { projectID: 'p1' } },
    'metalProjectID alone': {
      reason: "the replaced controller's resources apply unchanged",
      spec: { metalProjectID: 'p1' },
    },
    'both ids': {
      reason: 'which one is meant is unclear',
      spec: { projectID: 'p1', metalProjectID: 'p1' },
      refused: /set spec.projectID \(metalProjectID is its former name; set one, not both\)/,
    },
    'no id': {
      reason: 'the storage project is named after it',
      spec: {},
      refused: /set spec.projectID/,
    },
    'compression as a string': {
      reason: 'the replaced controller took "true"; the type check names the field',
      spec: { projectID: 'p1', storageClasses: [{ name: 'gold', replicas: 3, compression: 'true' }] },
      refused: /spec.storageClasses\[0\].compression: Invalid value: "string": .*must be of type boolean/,
    },
    'a target': {
      reason: "the tenant's own cluster",
      spec: { projectID: 'p1', target: { namespace: 'shoot--a', providerConfigRef: { name: 'a' } } },
    },
  };
  it.each(Object.entries(creates))('create with %s', async (name, { spec, refused }) => {
    const rsp = await kubeRequest(
      server,
      'POST',
      PATH,
      tenant(`create-${name.replaceAll(' ', '-').toLowerCase()}`, spec),
    );
    if (refused) {
      expect(rsp.status).toBe(422);
      expect(rsp.body['message']).toMatch(refused);
    } else {
      expect(rsp.status, JSON.stringify(rsp.body)).toBe(201);
    }
  });

  const updates: Record<
    string,
    { reason: string; before: Record<string, unknown>; after: Record<string, unknown>; refused?: RegExp }
  > = {
    'metalProjectID renamed to projectID': {
      reason: 'the migration the warning asks for',
      before: { metalProjectID: 'p1' },
      after: { projectID: 'p1' },
    },
    'renamed with another value': {
      reason: 'the storage project cannot change',
      before: { metalProjectID: 'p1' },
      after: { projectID: 'p2' },
      refused: /the project id is immutable/,
    },
    'a target added': {
      reason: 'moving a tenant between clusters would delete its driver and classes',
      before: { projectID: 'p1' },
      after: { projectID: 'p1', target: { namespace: 'shoot--a', providerConfigRef: { name: 'a' } } },
      refused: /spec.target cannot be added or removed/,
    },
    'a target changed': {
      reason: 'the same',
      before: { projectID: 'p1', target: { namespace: 'shoot--a', providerConfigRef: { name: 'a' } } },
      after: { projectID: 'p1', target: { namespace: 'shoot--b', providerConfigRef: { name: 'a' } } },
      refused: /target is immutable/,
    },
  };
  it.each(Object.entries(updates))('update: %s', async (name, { before, after, refused }) => {
    const object = `update-${name.replaceAll(' ', '-').toLowerCase()}`;
    const created = await kubeRequest(server, 'POST', PATH, tenant(object, before));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const metadata = { ...(created.body['metadata'] as object) };
    const rsp = await kubeRequest(server, 'PUT', `${PATH}/${object}`, { ...tenant(object, after), metadata });
    if (refused) {
      expect(rsp.status).toBe(422);
      expect(rsp.body['message']).toMatch(refused);
    } else {
      expect(rsp.status, JSON.stringify(rsp.body)).toBe(200);
    }
  });
});
