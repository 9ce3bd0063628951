import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StorageProviderConfig } from '../../../provider/src/storage/config.js';
import { StorageCredentialConnector } from '../../../provider/src/storage/credential.js';
import { RetryableError, UnauthorizedError } from '../../../provider/src/transport/errors.js';
import { StorageProjectNotEmptyError } from '../../../provider/src/storage/errors.js';
import type { ManagedView } from '../../../provider/src/runtime/external.js';
import { parseAdminKey } from '../../../provider/src/storage/keys.js';
import { StorageProjectConnector } from '../../../provider/src/storage/project.js';
import { FakeStorageAPI, type StoredVolume } from '../../support/fakes/storage-api.js';
import { selfSignedLoopback, type SelfSigned } from '../../support/fakes/tls.js';
import { managed, rejection } from '../../support/provider/managed.js';

const ADMIN_TOKEN = 'admin-jwt-value';
const PROJECT = '6f1c2a9e4b7d4e8f9a0b1c2d3e4f5a6b';
const pem = (bits = 2048) =>
  generateKeyPairSync('rsa', { modulusLength: bits })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
const adminKey = pem();

let tls: SelfSigned;
let fake: FakeStorageAPI;

beforeAll(() => {
  tls = selfSignedLoopback();
});
beforeEach(async () => {
  fake = await new FakeStorageAPI(ADMIN_TOKEN, tls).start();
});
afterEach(async () => {
  await fake.stop();
});

function config(change: Partial<StorageProviderConfig> = {}): StorageProviderConfig {
  return {
    id: 'ClusterProviderConfig/default',
    endpoints: [fake.endpoint],
    adminToken: ADMIN_TOKEN,
    adminPrivateKey: adminKey,
    ca: tls.cert,
    ...change,
  };
}

describe('storage Project over HTTPS', () => {
  it('creates the project named after the cloud project, observes and deletes it', async () => {
    const external = await new StorageProjectConnector().connect(config());
    const mr = managed({ name: PROJECT, deletionPolicy: 'DeleteWhenEmpty' as const });
    expect(await external.observe(mr)).toEqual({ resourceExists: false, resourceUpToDate: false });
    expect(await external.create(mr)).toEqual({ externalName: PROJECT });
    expect(await external.observe(mr)).toEqual({
      resourceExists: true,
      resourceUpToDate: true,
      available: true,
      atProvider: { name: PROJECT },
    });
    await external.delete(mr);
    await external.delete(mr);
    expect(fake.projects.size).toBe(0);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /api/v2/projects/${PROJECT} 404`,
      'POST /api/v2/projects 200',
      `GET /api/v2/projects/${PROJECT} 200`,
      `GET /api/v2/projects/${PROJECT}/volumes 200`,
      `DELETE /api/v2/projects/${PROJECT} 200`,
      `GET /api/v2/projects/${PROJECT}/volumes 404`,
    ]);
  });

  const volume = (name: string, state: StoredVolume['state'] = 'Available'): StoredVolume => ({
    UUID: `uuid-${name}`,
    name,
    projectName: PROJECT,
    state,
    replicaCount: 3,
    size: '10737418240',
  });
  const deleting = <P>(mr: ManagedView<P>) => {
    mr.deleting = true;
  };

  it.each<{
    reason: string;
    deletionPolicy: 'Orphan' | 'DeleteWhenEmpty' | undefined;
    volumes: StoredVolume[];
    want: { observed: boolean; refused?: string; projectKept: boolean };
  }>([
    {
      reason: 'Orphan (the default) keeps the project: a deleting resource observes it gone, without a call',
      deletionPolicy: undefined,
      volumes: [],
      want: { observed: false, projectKept: true },
    },
    {
      reason: 'DeleteWhenEmpty keeps a project that holds volumes and says how many',
      deletionPolicy: 'DeleteWhenEmpty',
      volumes: [volume('pvc-a'), volume('pvc-b', 'Deleting'), volume('pvc-c', 'Deleted')],
      want: {
        observed: true,
        refused: `cannot delete storage project "${PROJECT}": 2 volumes remain (pvc-a, pvc-b); delete them first, or keep the project with deletionPolicy: Orphan (retrying)`,
        projectKept: true,
      },
    },
    {
      reason: 'DeleteWhenEmpty deletes a project whose volumes are all gone',
      deletionPolicy: 'DeleteWhenEmpty',
      volumes: [volume('pvc-c', 'Deleted')],
      want: { observed: true, projectKept: false },
    },
  ])('deletion policy: $reason', async ({ deletionPolicy, volumes, want }) => {
    fake.projects.set(PROJECT, { name: PROJECT });
    for (const v of volumes) fake.volumes.set(v.UUID, v);
    const external = await new StorageProjectConnector().connect(config());
    const mr = managed({ name: PROJECT, ...(deletionPolicy ? { deletionPolicy } : {}) }, deleting);
    expect((await external.observe(mr)).resourceExists).toBe(want.observed);
    if (want.observed) {
      const error = await rejection(external.delete(mr)).catch(() => undefined);
      if (want.refused) {
        expect(error).toBeInstanceOf(StorageProjectNotEmptyError);
        expect(error?.message).toBe(want.refused);
      } else {
        expect(error).toBeUndefined();
      }
    }
    expect(fake.projects.has(PROJECT)).toBe(want.projectKept);
    expect(fake.requests.some((r) => r.method === 'DELETE')).toBe(!want.projectKept);
  });

  it('deletes the project once its last volume is gone', async () => {
    fake.projects.set(PROJECT, { name: PROJECT });
    fake.volumes.set('uuid-pvc-a', volume('pvc-a'));
    const external = await new StorageProjectConnector().connect(config());
    const mr = managed({ name: PROJECT, deletionPolicy: 'DeleteWhenEmpty' as const }, deleting);
    expect(await rejection(external.delete(mr))).toBeInstanceOf(StorageProjectNotEmptyError);
    fake.volumes.delete('uuid-pvc-a');
    await external.delete(mr);
    expect(fake.projects.has(PROJECT)).toBe(false);
  });

  it('takes a project that exists already (409) as created, once', async () => {
    fake.faults.script({ kind: 'crash-after-perform' });
    const external = await new StorageProjectConnector().connect(config());
    expect(await rejection(external.create(managed({ name: PROJECT })))).toBeInstanceOf(RetryableError);
    expect(await external.create(managed({ name: PROJECT }))).toEqual({ externalName: PROJECT });
    expect([...fake.projects.keys()]).toEqual([PROJECT]);
  });

  it('passes a call to the next endpoint when one does not answer or answers 5xx', async () => {
    fake.faults.script({ kind: 'status', status: 503 });
    const external = await new StorageProjectConnector().connect(
      config({ endpoints: ['127.0.0.1:1', fake.endpoint, fake.endpoint] }),
    );
    await external.create(managed({ name: PROJECT }));
    expect(fake.projects.has(PROJECT)).toBe(true);
  });

  it.each<{
    reason: string;
    change: Partial<StorageProviderConfig>;
    type: abstract new (...args: never[]) => Error;
    message: RegExp;
  }>([
    {
      reason: 'a certificate the CA does not sign is refused',
      change: { ca: selfSignedLoopback().cert },
      type: RetryableError,
      message:
        /^cannot get storage project "6f1c2a9e4b7d4e8f9a0b1c2d3e4f5a6b": connection failed \(.+\) at 127\.0\.0\.1:\d+$/,
    },
    {
      reason: 'a wrong admin token is UnauthorizedError without the token',
      change: { adminToken: 'wrong-token-value' },
      type: UnauthorizedError,
      message:
        /^cannot get storage project "6f1c2a9e4b7d4e8f9a0b1c2d3e4f5a6b": storage API answered 401: Unauthorized: authentication failed$/,
    },
  ])('$reason', async ({ change, type, message }) => {
    const external = await new StorageProjectConnector().connect(config(change));
    const error = await rejection(external.observe(managed({ name: PROJECT })));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('wrong-token-value');
  });
});

describe('storage root Credential over HTTPS', () => {
  it('uploads the admin public key as <project>:root and finds it up to date', async () => {
    fake.projects.set(PROJECT, { name: PROJECT });
    const external = await new StorageCredentialConnector().connect(config());
    const mr = managed({ projectName: PROJECT });
    expect(await external.create(mr)).toEqual({ externalName: `${PROJECT}:root` });
    const stored = fake.credentials.get(`${PROJECT}/${PROJECT}:root`)!;
    expect(stored).toEqual({
      projectName: PROJECT,
      ID: `${PROJECT}:root`,
      type: 'RS256PubKey',
      payload: Buffer.from(parseAdminKey(adminKey).publicKeyPEM).toString('base64'),
    });
    expect(await external.observe(mr)).toEqual({
      resourceExists: true,
      resourceUpToDate: true,
      available: true,
      atProvider: { id: `${PROJECT}:root`, keyFingerprint: parseAdminKey(adminKey).fingerprint },
    });
  });

  it('replaces the credential when the admin key changed', async () => {
    fake.projects.set(PROJECT, { name: PROJECT });
    const mr = managed({ projectName: PROJECT });
    await (await new StorageCredentialConnector().connect(config())).create(mr);
    const rotated = pem();
    const external = await new StorageCredentialConnector().connect(config({ adminPrivateKey: rotated }));
    expect(await external.observe(mr)).toMatchObject({ resourceExists: true, resourceUpToDate: false });
    await external.update(mr);
    expect(await external.observe(mr)).toMatchObject({ resourceExists: true, resourceUpToDate: true });
    expect(
      Buffer.from(fake.credentials.get(`${PROJECT}/${PROJECT}:root`)!.payload, 'base64').toString(),
    ).toBe(parseAdminKey(rotated).publicKeyPEM);
  });

  it('deletes the credential, and one already gone is fine', async () => {
    fake.projects.set(PROJECT, { name: PROJECT });
    const external = await new StorageCredentialConnector().connect(config());
    const mr = managed({ projectName: PROJECT });
    await external.create(mr);
    await external.delete(mr);
    await external.delete(mr);
    expect(fake.credentials.size).toBe(0);
  });
});
