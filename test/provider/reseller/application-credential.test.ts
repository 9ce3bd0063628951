import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApplicationCredentialConnector,
  errNoKeystone,
  rfc3339,
  type ApplicationCredentialForProvider,
} from '../../../provider/src/reseller/application-credential.js';
import { RetryableError, UnauthorizedError } from '../../../provider/src/reseller/client/errors.js';
import type { ExternalClient } from '../../../provider/src/runtime/external.js';
import { FakeKeystone } from '../../../testing/fakes/keystone.js';
import { FakeResellerAPI, type StoredProject, type StoredUser } from '../../../testing/fakes/reseller-api.js';
import { managed, rejection, withExternalName } from '../../support/provider/managed.js';
import { resellerConfig } from '../../support/provider/reseller.js';
import { ResellerSessions } from '../../../provider/src/reseller/sessions.js';

const PASSWORD = 'user-password-for-keystone';

let reseller: FakeResellerAPI;
let keystone: FakeKeystone;
let external: ExternalClient<ApplicationCredentialForProvider>;
let user: StoredUser;
let project: StoredProject;
let base: ApplicationCredentialForProvider;

beforeEach(async () => {
  reseller = await new FakeResellerAPI().start();
  keystone = await new FakeKeystone(
    (id, password) => reseller.authenticate(id, password),
    (id) => reseller.users.has(id),
  ).start();
  project = reseller.seedProject({ name: 'c0042-team' });
  user = reseller.seedUser({ name: 'dev@example.com', password: PASSWORD });
  base = { userID: user.id, projectID: project.id, name: 'ci', unrestricted: false, password: PASSWORD };
  external = await new ApplicationCredentialConnector(new ResellerSessions()).connect(
    resellerConfig(reseller, { keystone: { authURL: keystone.url, userDomainName: 'Default' } }),
  );
});
afterEach(async () => {
  await keystone.stop();
  await reseller.stop();
});

describe('ApplicationCredential', () => {
  it('creates the credential as the user, scoped to the project, and publishes id and secret', async () => {
    const created = await external.create(
      managed({ ...base, description: 'CI pipeline', expiresAt: '2027-01-01T00:00:00Z' }),
    );
    const [stored] = [...keystone.credentials.values()];
    expect(stored).toMatchObject({
      id: created.externalName,
      user_id: user.id,
      project_id: project.id,
      name: 'ci',
      description: 'CI pipeline',
      expires_at: '2027-01-01T00:00:00.000000',
      unrestricted: false,
    });
    expect(created.connectionDetails).toEqual({
      'application-credential-id': Buffer.from(stored!.id),
      'application-credential-secret': Buffer.from(stored!.secret),
    });
  });

  it.each<{ reason: string; exists: boolean; want: object }>([
    {
      reason: 'an existing credential is up to date',
      exists: true,
      want: { resourceExists: true, resourceUpToDate: true, available: true },
    },
    {
      reason: 'a deleted credential does not exist',
      exists: false,
      want: { resourceExists: false, resourceUpToDate: false },
    },
  ])('observe: $reason', async ({ exists, want }) => {
    const created = await external.create(managed(base));
    if (!exists) keystone.credentials.clear();
    const observation = await external.observe(managed(base, withExternalName(created.externalName!)));
    expect(observation).toEqual(exists ? { ...want, atProvider: { id: created.externalName } } : want);
  });

  it('reports an expired credential not Ready, saying it expired and what to do', async () => {
    const created = await external.create(managed({ ...base, expiresAt: '2027-01-01T00:00:00Z' }));
    // Time passed: Keystone's record is past its expiry.
    keystone.credentials.get(created.externalName!)!.expires_at = '2021-03-04T05:06:07.000000';
    expect(await external.observe(managed(base, withExternalName(created.externalName!)))).toEqual({
      resourceExists: true,
      resourceUpToDate: true,
      available: false,
      unavailableBecause:
        `application credential "${created.externalName}" expired at 2021-03-04T05:06:07Z: Keystone refuses ` +
        'it; create a new ApplicationCredential with a later spec.forProvider.expiresAt, or none',
      atProvider: { id: created.externalName, expiresAt: '2021-03-04T05:06:07Z' },
    });
  });

  it.each([
    { keystone: '2027-01-01T00:00:00.000000', want: '2027-01-01T00:00:00Z' },
    { keystone: '2027-01-01T00:00:00.250000', want: '2027-01-01T00:00:00.250Z' },
    { keystone: '2027-01-01T00:00:00Z', want: '2027-01-01T00:00:00Z' },
    { keystone: '2027-01-01T02:00:00+02:00', want: '2027-01-01T00:00:00Z' },
  ])('shows Keystone expiry $keystone as $want', ({ keystone: time, want }) => {
    expect(rfc3339(time)).toBe(want);
  });

  it.each<{ reason: string; published: Record<string, Buffer> | undefined }>([
    { reason: 'its connection Secret was deleted', published: undefined },
    { reason: 'its secret was never published', published: {} },
  ])('reports a credential missing when $reason, so it is replaced', async ({ published }) => {
    const created = await external.create(managed(base));
    const observation = await external.observe({
      ...managed(base, withExternalName(created.externalName!)),
      published: async () => published,
    });
    expect(observation).toEqual({ resourceExists: false, resourceUpToDate: false });
  });

  it('keeps a credential whose secret is published', async () => {
    const created = await external.create(managed(base));
    const observation = await external.observe({
      ...managed(base, withExternalName(created.externalName!)),
      published: async () => created.connectionDetails,
    });
    expect(observation.resourceExists).toBe(true);
  });

  it('replaces a credential whose create answer was lost, so the published secret works', async () => {
    // Authentication and the lookup by name answer; the create is performed and its answer lost.
    keystone.faults.script({ kind: 'pass' }, { kind: 'pass' }, { kind: 'crash-after-perform' });
    const mr = managed(base);
    expect(await rejection(external.create(mr))).toBeInstanceOf(RetryableError);
    const [lost] = [...keystone.credentials.keys()];
    expect(lost).toBeDefined();
    expect(await external.observe(mr)).toEqual({ resourceExists: false, resourceUpToDate: false });
    const again = await external.create(mr);
    expect([...keystone.credentials.keys()]).toEqual([again.externalName]);
    expect(again.externalName).not.toBe(lost);
    expect(again.connectionDetails?.['application-credential-secret']?.toString()).toBe(
      keystone.credentials.get(again.externalName!)!.secret,
    );
  });

  it('deletes the credential, and one already gone is fine', async () => {
    const created = await external.create(managed(base));
    await external.delete(managed(base, withExternalName(created.externalName!)));
    await external.delete(managed(base, withExternalName(created.externalName!)));
    expect(keystone.credentials.size).toBe(0);
  });

  it('is gone with its user: Keystone deleted it, and a password Secret deleted too does not block', async () => {
    const created = await external.create(managed(base));
    const deleting = (password: string) =>
      managed({ ...base, password }, withExternalName(created.externalName!), (mr) => {
        mr.deleting = true;
      });
    reseller.users.delete(user.id);
    expect(await external.observe(deleting(''))).toEqual({ resourceExists: false, resourceUpToDate: false });
    await external.delete(deleting(''));
    expect(keystone.credentials.size).toBe(0);
  });

  it('says what to do when its user still exists but the password Secret is gone', async () => {
    const created = await external.create(managed(base));
    const deleting = managed({ ...base, password: '' }, withExternalName(created.externalName!), (mr) => {
      mr.deleting = true;
    });
    const err = await rejection(external.delete(deleting));
    expect(err.message).toContain('passwordSecretRef is gone while the user still exists');
    expect(keystone.credentials.size).toBe(1);
  });

  it('refuses a wrong user password without putting it into the error', async () => {
    const error = await rejection(external.create(managed({ ...base, password: 'wrong-password-value' })));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe(
      `cannot authenticate to Keystone as user "${user.id}": Keystone answered 401: The request you have made requires authentication.`,
    );
    expect(JSON.stringify(error) + error.message).not.toContain('wrong-password-value');
  });

  it('needs keystone in the provider config', async () => {
    const error = await rejection(
      new ApplicationCredentialConnector(new ResellerSessions()).connect(resellerConfig(reseller)),
    );
    expect(error.message).toBe(errNoKeystone);
  });
});
