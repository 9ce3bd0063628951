// The storage kinds end to end: the runtime, the real storage external clients and the fake LightOS
// API over HTTPS (verified with the CA from the provider config's Secret), against a real
// kube-apiserver.
import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, ResourceType, RestKubeClient } from '../../../provider/src/runtime/kube.js';
import type { Manager } from '../../../provider/src/runtime/manager.js';
import { providerConfigTypes } from '../../../provider/src/runtime/providerconfig.js';
import { Annotation, type ManagedResource } from '../../../provider/src/runtime/resource.js';
import { FakeStorageAPI } from '../../../testing/fakes/storage-api.js';
import { selfSignedLoopback } from '../../../testing/fakes/tls.js';
import { kubeApiServerOrSkip } from '../../../testing/kube-apiserver.js';
import {
  startProviderCluster,
  startStackplaneProvider,
  type ProviderCluster,
} from '../../support/provider-cluster.js';
import { eventually, isReady, secretType } from '../../support/runtime-cluster.js';

const binaries = kubeApiServerOrSkip('provider storage integration tests');
const NS = 'tenant-a';
const PROJECT = '6f1c2a9e4b7d4e8f9a0b1c2d3e4f5a6b';
const ADMIN_TOKEN = 'admin-jwt-value';
const storageType = (plural: string): ResourceType => ({
  group: 'storage.m.stackplane.io',
  version: 'v1alpha1',
  plural,
  namespaced: true,
});
const storageMR = (kind: string, name: string, spec: Record<string, unknown>): ManagedResource => ({
  apiVersion: 'storage.m.stackplane.io/v1alpha1',
  kind,
  metadata: { name, namespace: NS },
  spec: { providerConfigRef: { kind: 'ClusterProviderConfig', name: 'lightos' }, ...spec },
});

describe.skipIf(!binaries)('provider-stackplane against the fake storage API', () => {
  let cluster: ProviderCluster;
  let kube: RestKubeClient;
  let provider: Manager | undefined;
  let fake: FakeStorageAPI;
  const tls = selfSignedLoopback();
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePEM = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPEM = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  beforeAll(async () => {
    cluster = await startProviderCluster(binaries!, [NS]);
    kube = cluster.kube;
    fake = await new FakeStorageAPI(ADMIN_TOKEN, tls).start();
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    await kube.create(secretType, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'lightos-admin', namespace: 'crossplane-system' },
      data: { token: base64(ADMIN_TOKEN), 'key.pem': base64(privatePEM), 'ca.crt': base64(tls.cert) },
    } as KubeObject);
    const ref = (k: string) => ({ name: 'lightos-admin', key: k });
    await kube.create(providerConfigTypes.ClusterProviderConfig, {
      apiVersion: 'm.stackplane.io/v1alpha1',
      kind: 'ClusterProviderConfig',
      metadata: { name: 'lightos' },
      spec: {
        storage: {
          endpoints: [fake.endpoint],
          adminTokenSecretRef: ref('token'),
          adminPrivateKeySecretRef: ref('key.pem'),
          caSecretRef: ref('ca.crt'),
        },
      },
    } as KubeObject);
    provider = await startStackplaneProvider(cluster.server.kubeConfig, kube, { namespace: NS });
  }, 120_000);
  afterAll(async () => {
    await provider?.stop();
    await fake?.stop();
    await cluster?.stop();
  });

  it('creates the project, its root credential and a token, then deletes them', async () => {
    await kube.create(
      storageType('projects'),
      storageMR('Project', 'p', { forProvider: { name: PROJECT, deletionPolicy: 'DeleteWhenEmpty' } }),
    );
    await kube.create(
      storageType('credentials'),
      storageMR('Credential', 'root', { forProvider: { projectName: PROJECT } }),
    );
    await kube.create(
      storageType('tokens'),
      storageMR('Token', 'csi', {
        forProvider: { projectName: PROJECT, subject: 'tenant-a' },
        writeConnectionSecretToRef: { name: 'csi-token' },
      }),
    );
    const ready = (plural: string, name: string) =>
      eventually(`${plural}/${name} Ready`, async () => {
        const mr = await kube.get<ManagedResource>(storageType(plural), name, NS);
        return isReady(mr) ? mr : undefined;
      });
    const project = await ready('projects', 'p');
    await ready('credentials', 'root');
    await ready('tokens', 'csi');

    const secret = await kube.get<KubeObject & { data: Record<string, string> }>(secretType, 'csi-token', NS);
    const jwt = Buffer.from(secret?.data['jwt'] ?? '', 'base64').toString();
    const { payload } = await jwtVerify(jwt, await importSPKI(publicPEM, 'RS256'));
    expect({
      externalName: project.metadata.annotations?.[Annotation.ExternalName],
      projects: [...fake.projects.keys()],
      credentials: [...fake.credentials.values()].map((c) => [c.projectName, c.ID, c.type]),
      header: decodeProtectedHeader(jwt),
      claims: [payload.sub, payload.roles],
    }).toEqual({
      externalName: PROJECT,
      projects: [PROJECT],
      credentials: [[PROJECT, `${PROJECT}:root`, 'RS256PubKey']],
      header: { alg: 'RS256', typ: 'JWT', kid: `${PROJECT}:root` },
      claims: ['tenant-a', [`${PROJECT}:admin`]],
    });

    // Dependents first, each gone before the next, as Usages order them: a credential is reached
    // through its project, so once the project is gone the credential can no longer be deleted.
    for (const [plural, name] of [
      ['tokens', 'csi'],
      ['credentials', 'root'],
      ['projects', 'p'],
    ] as const) {
      await kube.delete(storageType(plural), name, NS);
      await eventually(`${plural}/${name} gone`, async () =>
        (await kube.get(storageType(plural), name, NS)) ? undefined : true,
      );
    }
    expect({ projects: fake.projects.size, credentials: fake.credentials.size }).toEqual({
      projects: 0,
      credentials: 0,
    });
  });
  const conditionOf = (mr: ManagedResource | undefined, type: string) =>
    (
      mr?.status?.['conditions'] as Array<{ type: string; status: string; message?: string }> | undefined
    )?.find((c) => c.type === type);

  it('DeleteWhenEmpty keeps the finalizer while volumes remain, saying how many, then deletes the project', async () => {
    const project = 'ffff0000ffff0000ffff0000ffff0001';
    await kube.create(
      storageType('projects'),
      storageMR('Project', 'guarded', { forProvider: { name: project, deletionPolicy: 'DeleteWhenEmpty' } }),
    );
    await eventually('projects/guarded Ready', async () =>
      isReady(await kube.get<ManagedResource>(storageType('projects'), 'guarded', NS)) ? true : undefined,
    );
    fake.volumes.set('uuid-1', {
      UUID: 'uuid-1',
      name: 'pvc-1',
      projectName: project,
      state: 'Available',
      replicaCount: 3,
      size: '1073741824',
    });
    await kube.delete(storageType('projects'), 'guarded', NS);
    const blocked = await eventually('projects/guarded refuses to delete', async () => {
      const mr = await kube.get<ManagedResource>(storageType('projects'), 'guarded', NS);
      return conditionOf(mr, 'Synced')?.status === 'False' ? mr : undefined;
    });
    expect(conditionOf(blocked, 'Synced')?.message).toBe(
      `cannot delete external resource: cannot delete storage project "${project}": 1 volume remains (pvc-1); ` +
        'delete them first, or keep the project with deletionPolicy: Orphan (retrying)',
    );
    expect(blocked?.metadata.finalizers).toContain('finalizer.managedresource.crossplane.io');
    expect(fake.projects.has(project)).toBe(true);

    fake.volumes.delete('uuid-1');
    await eventually('projects/guarded gone', async () =>
      (await kube.get(storageType('projects'), 'guarded', NS)) ? undefined : true,
    );
    expect(fake.projects.has(project)).toBe(false);
  });

  it('Orphan, the default, keeps the storage project and its volumes when the resource is deleted', async () => {
    const project = 'ffff0000ffff0000ffff0000ffff0002';
    await kube.create(
      storageType('projects'),
      storageMR('Project', 'kept', { forProvider: { name: project } }),
    );
    await eventually('projects/kept Ready', async () =>
      isReady(await kube.get<ManagedResource>(storageType('projects'), 'kept', NS)) ? true : undefined,
    );
    await kube.delete(storageType('projects'), 'kept', NS);
    await eventually('projects/kept gone', async () =>
      (await kube.get(storageType('projects'), 'kept', NS)) ? undefined : true,
    );
    expect(fake.projects.has(project)).toBe(true);
    expect(fake.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(project))).toBe(false);
  });
});
