import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../../../provider/src/reseller/client/errors.js';
import { markedDescription } from '../../../provider/src/reseller/ownership.js';
import { ResellerSessions } from '../../../provider/src/reseller/sessions.js';
import { userConnectionDetails } from '../../../provider/src/reseller/user-connection.js';
import {
  AmbiguousUserError,
  UserConnector,
  type UserForProvider,
} from '../../../provider/src/reseller/user.js';
import type { ConnectionDetails, ExternalClient } from '../../../provider/src/runtime/external.js';
import { FakeResellerAPI } from '../../support/fakes/reseller-api.js';
import { managed, rejection, withExternalName, withForProvider } from '../../support/provider/managed.js';
import { resellerConfig } from '../../support/provider/reseller.js';

const PASSWORD = 'user-secret-password-1';
const base: UserForProvider = {
  email: 'dev@example.com',
  description: 'Developer',
  enabled: true,
  password: PASSWORD,
};
/** The description the provider writes for the resource `managed()` builds. */
const marked = (description: string) => markedDescription(description, managed(base));
const keystone = { authURL: 'https://identity.example.com:5000/v3', userDomainName: 'reseller-domain' };

let fake: FakeResellerAPI;
let external: ExternalClient<UserForProvider>;

beforeEach(async () => {
  fake = await new FakeResellerAPI().start();
  external = await new UserConnector(new ResellerSessions()).connect(
    resellerConfig(fake, { keystone, regionName: 'RegionOne' }),
  );
});
afterEach(async () => {
  await fake.stop();
});

function strings(details: ConnectionDetails | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(details ?? {}).map(([key, value]) => [key, value.toString()]));
}

describe('userConnectionDetails', () => {
  it('publishes the login, the OpenStack variables and a clouds.yaml', () => {
    const details = strings(
      userConnectionDetails(
        { keystone, regionName: 'RegionOne' },
        { ...base, defaultProjectID: 'a'.repeat(32) },
      ),
    );
    const { 'clouds.yaml': clouds, ...rest } = details;
    expect(rest).toEqual({
      username: 'dev@example.com',
      password: PASSWORD,
      OS_AUTH_URL: 'https://identity.example.com:5000/v3',
      OS_USERNAME: 'dev@example.com',
      OS_PASSWORD: PASSWORD,
      OS_USER_DOMAIN_NAME: 'reseller-domain',
      OS_REGION_NAME: 'RegionOne',
      OS_IDENTITY_API_VERSION: '3',
    });
    expect(parse(clouds!)).toEqual({
      clouds: {
        openstack: {
          auth: {
            auth_url: 'https://identity.example.com:5000/v3',
            username: 'dev@example.com',
            password: PASSWORD,
            user_domain_name: 'reseller-domain',
            project_id: 'a'.repeat(32),
          },
          region_name: 'RegionOne',
          identity_api_version: 3,
        },
      },
    });
  });

  it('publishes only username and password without keystone in the provider config', () => {
    expect(strings(userConnectionDetails({}, base))).toEqual({
      username: 'dev@example.com',
      password: PASSWORD,
    });
  });
});

describe('User', () => {
  it('creates the user with its password and publishes its connection details', async () => {
    const created = await external.create(managed(base));
    const stored = fake.users.get(created.externalName!);
    expect(stored).toMatchObject({
      name: 'dev@example.com',
      description: marked('Developer'),
      enabled: true,
      password: PASSWORD,
    });
    expect(strings(created.connectionDetails)).toMatchObject({
      username: 'dev@example.com',
      OS_PASSWORD: PASSWORD,
    });
  });

  it.each<{ reason: string; change: Partial<UserForProvider>; upToDate: boolean }>([
    { reason: 'the same user is up to date', change: {}, upToDate: true },
    { reason: 'another description needs an update', change: { description: 'Lead' }, upToDate: false },
    { reason: 'disabling needs an update', change: { enabled: false }, upToDate: false },
    {
      reason: 'a default project needs an update',
      change: { defaultProjectID: 'b'.repeat(32) },
      upToDate: false,
    },
  ])('observe: $reason', async ({ change, upToDate }) => {
    const user = fake.seedUser({
      name: 'dev@example.com',
      description: marked('Developer'),
      password: PASSWORD,
    });
    const observation = await external.observe(
      managed(base, withExternalName(user.id), withForProvider(change)),
    );
    expect(observation).toMatchObject({
      resourceExists: true,
      resourceUpToDate: upToDate,
      atProvider: { id: user.id, enabled: true },
    });
  });

  it('pushes a changed password to the API before it is published, never the other way round', async () => {
    const user = fake.seedUser({
      name: 'dev@example.com',
      description: marked('Developer'),
      password: PASSWORD,
    });
    const published = userConnectionDetails({ keystone, regionName: 'RegionOne' }, base);
    const changed = { ...managed({ ...base, password: 'rotated-password-2' }, withExternalName(user.id)) };
    const view = { ...changed, published: async () => published };
    const observation = await external.observe(view);
    const before = fake.users.get(user.id)?.password;
    const update = await external.update(view);
    expect({
      upToDate: observation.resourceUpToDate,
      publishedOnObserve: observation.connectionDetails,
      apiBeforeUpdate: before,
      apiAfterUpdate: fake.users.get(user.id)?.password,
      publishedOnUpdate: strings(update.connectionDetails)['password'],
    }).toEqual({
      upToDate: false,
      publishedOnObserve: undefined,
      apiBeforeUpdate: PASSWORD,
      apiAfterUpdate: 'rotated-password-2',
      publishedOnUpdate: 'rotated-password-2',
    });
  });

  it('treats the published password as the one the API has', async () => {
    const user = fake.seedUser({
      name: 'dev@example.com',
      description: marked('Developer'),
      password: PASSWORD,
    });
    const published = userConnectionDetails({}, base);
    const observation = await external.observe({
      ...managed(base, withExternalName(user.id)),
      published: async () => published,
    });
    expect(observation.resourceUpToDate).toBe(true);
  });

  it('observes a deleted user as missing', async () => {
    expect(await external.observe(managed(base, withExternalName('c'.repeat(32))))).toEqual({
      resourceExists: false,
      resourceUpToDate: false,
    });
  });

  it('updates the fields that differ', async () => {
    const user = fake.seedUser({ name: 'dev@example.com', description: marked('Old'), password: PASSWORD });
    await external.update(managed({ ...base, enabled: false }, withExternalName(user.id)));
    expect(fake.users.get(user.id)).toMatchObject({ description: marked('Developer'), enabled: false });
  });

  it('adopts its own user with exactly its e-mail address and sets the password it publishes', async () => {
    fake.seedUser({ name: 'xdev@example.com' });
    const existing = fake.seedUser({
      name: 'dev@example.com',
      description: marked('Old'),
      password: 'old-password',
    });
    expect((await external.create(managed(base))).externalName).toBe(existing.id);
    expect(fake.users.get(existing.id)).toMatchObject({
      password: PASSWORD,
      description: marked('Developer'),
    });
    expect(fake.users.size).toBe(2);
  });

  it('refuses to guess between two users with the e-mail address', async () => {
    const first = fake.seedUser({ name: 'dev@example.com' });
    const second = fake.seedUser({ name: 'dev@example.com' });
    const error = await rejection(external.create(managed(base)));
    expect(error).toBeInstanceOf(AmbiguousUserError);
    expect(error.message).toBe(
      `cannot create user "dev@example.com": 2 users have this e-mail address (${first.id}, ${second.id}); ` +
        'set the external name to the one to manage',
    );
  });

  it('creates once when the answer to the create is lost', async () => {
    fake.faults.script({ kind: 'crash-after-perform' });
    const mr = managed(base);
    expect(await rejection(external.create(mr))).toBeInstanceOf(RetryableError);
    expect(await external.observe(mr)).toEqual({ resourceExists: false, resourceUpToDate: false });
    const again = await external.create(mr);
    expect([...fake.users.keys()]).toEqual([again.externalName]);
  });

  it('deletes the user, and a user already gone is fine', async () => {
    const user = fake.seedUser({ name: 'dev@example.com', description: marked('Developer') });
    await external.delete(managed(base, withExternalName(user.id)));
    await external.delete(managed(base, withExternalName(user.id)));
    expect(fake.users.size).toBe(0);
  });

  it('never puts the password into an error', async () => {
    fake.faults.script({ kind: 'status', status: 500 });
    const error = await rejection(external.create(managed({ ...base, email: 'not-an-email' })));
    expect(error.message + JSON.stringify(error)).not.toContain(PASSWORD);
  });
});
