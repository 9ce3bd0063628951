// XR status as Crossplane core writes it: server-side apply of the function's desired status, field
// manager apiextensions.crossplane.io/composite, forced. Checked against a real kube-apiserver with
// the CRD Crossplane would make of the generated User XRD.
import { request, type RequestOptions } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RestKubeClient } from '../../provider/src/runtime/kube.js';
import { kubeApiServerOrSkip, startKubeApiServer, type KubeApiServer } from '../../testing/kube-apiserver.js';
import { createNamespace, crdType, eventually } from '../support/runtime-cluster.js';

const binaries = kubeApiServerOrSkip('XR status server-side apply tests');

type Schema = Record<string, unknown>;
const XRD = parse(readFileSync('apis/xrds/users.reseller.stackplane.io.yaml', 'utf8')) as {
  spec: {
    group: string;
    names: { kind: string; plural: string };
    versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }>;
  };
};
const FIELD_MANAGER = 'apiextensions.crossplane.io/composite';

/** The CRD of the XRD in `group`, as Crossplane derives it: the schema, a status subresource, conditions. */
function crdOf(group: string, transform: (schema: Schema) => Schema = (s) => s) {
  const version = XRD.spec.versions[0]!;
  const schema = transform(structuredClone(version.schema.openAPIV3Schema));
  const status = (schema['properties'] as Record<string, Schema>)['status']!;
  (status['properties'] as Record<string, Schema>)['conditions'] = {
    type: 'array',
    items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  };
  const { kind, plural } = XRD.spec.names;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: version.name,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          subresources: { status: {} },
        },
      ],
    },
  };
}

/** A response body: JSON, or the plain text some errors come as. */
const parseBody = (data: string): Record<string, unknown> => {
  try {
    return JSON.parse(data || '{}') as Record<string, unknown>;
  } catch {
    return { message: data };
  }
};

/** The same schema with every map granular, as the XRD was before. */
const granular = (schema: Schema): Schema =>
  JSON.parse(
    JSON.stringify(schema).replaceAll(
      '"x-kubernetes-map-type":"atomic"',
      '"x-kubernetes-map-type":"granular"',
    ),
  ) as Schema;

describe.skipIf(!binaries)('User status applied with server-side apply, as Crossplane core does', () => {
  let server: KubeApiServer;
  let kube: RestKubeClient;
  const GENERATED = XRD.spec.group;
  const BEFORE = 'granular.stackplane.io';

  const call = async (method: string, path: string, body: unknown, contentType: string) => {
    const url = new URL(path, server.url);
    const options: RequestOptions = {
      method,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: { 'Content-Type': contentType, Accept: 'application/json' },
    };
    await server.kubeConfig.applyToHTTPSOptions(options);
    return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request(options, (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => (data += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseBody(data) }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  };
  const base = (group: string) => `/apis/${group}/v1alpha1/namespaces/team/users`;
  const applyStatus = (group: string, name: string, status: Record<string, unknown>) =>
    call(
      'PATCH',
      `${base(group)}/${name}/status?fieldManager=${encodeURIComponent(FIELD_MANAGER)}&force=true`,
      { apiVersion: `${group}/v1alpha1`, kind: 'User', metadata: { name, namespace: 'team' }, status },
      'application/apply-patch+yaml',
    );
  const createUser = async (group: string, name: string) => {
    const created = await call(
      'POST',
      base(group),
      { apiVersion: `${group}/v1alpha1`, kind: 'User', metadata: { name, namespace: 'team' }, spec: {} },
      'application/json',
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  };

  beforeAll(async () => {
    server = await startKubeApiServer(binaries!);
    kube = new RestKubeClient(server.kubeConfig);
    for (const crd of [crdOf(GENERATED), crdOf(BEFORE, granular)]) {
      await kube.create(crdType, crd);
      await eventually(`${crd.metadata.name} served`, async () =>
        (await call('GET', `/apis/${crd.spec.group}/v1alpha1/users`, undefined, 'application/json'))
          .status === 200
          ? true
          : undefined,
      );
    }
    await createNamespace(kube, 'team');
  }, 120_000);
  afterAll(async () => {
    kube?.close();
    await server?.stop();
  });

  const bound = {
    login: 'alice-team@abc.k8s',
    regions: ['prod1'],
    userIDs: { prod1: 'id-1' },
    bindings: ['b1'],
  };

  it('a granular map emptied by apply becomes null and the whole status update is refused (the old schema)', async () => {
    await createUser(BEFORE, 'alice');
    expect((await applyStatus(BEFORE, 'alice', bound)).status).toBe(200);
    const emptied = await applyStatus(BEFORE, 'alice', { ...bound, regions: [], userIDs: {}, bindings: [] });
    expect(emptied.status).toBe(422);
    expect(String(emptied.body['message'])).toContain('status.userIDs: Invalid value: "null"');
  });

  it('the generated schema keeps an applied {} as {}', async () => {
    await createUser(GENERATED, 'bob');
    expect((await applyStatus(GENERATED, 'bob', bound)).status).toBe(200);
    const emptied = await applyStatus(GENERATED, 'bob', { ...bound, regions: [], userIDs: {}, bindings: [] });
    expect(emptied.status, JSON.stringify(emptied.body)).toBe(200);
    expect(emptied.body['status']).toMatchObject({ regions: [], userIDs: {}, bindings: [] });
  });

  it('what the function applies now, the emptied map left out, removes it and updates the rest', async () => {
    await createUser(GENERATED, 'carol');
    expect((await applyStatus(GENERATED, 'carol', bound)).status).toBe(200);
    const { userIDs: _gone, ...rest } = bound;
    const applied = await applyStatus(GENERATED, 'carol', { ...rest, regions: [], bindings: [] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body['status']).toEqual({ login: bound.login, regions: [], bindings: [] });
  });

  it('the function leaving the map out also works with the old schema: it never depended on the schema alone', async () => {
    await createUser(BEFORE, 'dave');
    expect((await applyStatus(BEFORE, 'dave', bound)).status).toBe(200);
    const { userIDs: _gone, ...rest } = bound;
    expect((await applyStatus(BEFORE, 'dave', { ...rest, regions: [], bindings: [] })).status).toBe(200);
  });
});
