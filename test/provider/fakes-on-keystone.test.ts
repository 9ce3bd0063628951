// The fakes the end-to-end control plane stands on a real Keystone: the reseller API makes in Keystone
// the projects, users and memberships it is asked for (the users' logins then work there), and Nova
// takes the tokens Keystone issues, its admin role deciding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeystoneAdmin, loginToken } from '../../testing/keystone-admin.js';
import { keystoneOrSkip, startKeystone, type RealKeystone } from '../../testing/keystone.js';
import { DEFAULT_ACCOUNT, FakeResellerAPI } from '../../testing/fakes/reseller-api.js';
import { keystoneIdentity } from '../../testing/fakes/reseller-identity.js';
import { FakeNova } from '../../testing/fakes/nova.js';

const install = keystoneOrSkip('the fakes on a real Keystone');

describe.skipIf(install === undefined)('the fakes on the real Keystone 30.0.0', () => {
  let keystone: RealKeystone;
  let admin: KeystoneAdmin;
  let reseller: FakeResellerAPI;
  let bearer: string;

  beforeAll(async () => {
    keystone = await startKeystone(install!);
    admin = new KeystoneAdmin(keystone);
    reseller = await new FakeResellerAPI({ identity: keystoneIdentity(admin) }).start();
    const login = await fetch(`${reseller.url}/api/v1/auth/login/access-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: DEFAULT_ACCOUNT.username, password: DEFAULT_ACCOUNT.password }),
    });
    bearer = ((await login.json()) as { access_token: string }).access_token;
  }, 180_000);
  afterAll(async () => {
    await reseller?.stop();
    await keystone?.stop();
  });

  /** A reseller API call: its status and `data`. */
  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${reseller.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const data = text === '' ? undefined : (JSON.parse(text) as { data?: { id: string } }).data;
    return { status: response.status, data };
  }

  /** The status of a password login of the user, scoped to the project when given. */
  const login = (userID: string, password: string, projectID?: string) =>
    loginToken(keystone.url, {
      identity: { methods: ['password'], password: { user: { id: userID, password } } },
      ...(projectID === undefined ? {} : { scope: { project: { id: projectID } } }),
    }).then(
      () => 201,
      (error: Error) => Number(/answered (\d+)/.exec(error.message)?.[1]),
    );

  it('makes projects, users and memberships in Keystone with its ids; the user logs in there, scoped once a member; deletes them there', async () => {
    const project = await call('POST', '/project/', { name: 'web', description: 'team web' });
    const user = await call('POST', '/user/', {
      name: 'alice@example.com',
      description: 'alice',
      password: 'first-password',
    });
    expect([project.status, user.status]).toEqual([201, 201]);
    const projectID = project.data!.id;
    const userID = user.data!.id;
    const shown = await admin.call<{ project: { name: string } }>('GET', `/projects/${projectID}`);
    expect(shown.project.name).toBe(`${DEFAULT_ACCOUNT.projectPrefix}web`);

    expect(await login(userID, 'first-password')).toBe(201);
    expect(await login(userID, 'first-password', projectID)).toBe(401);
    expect((await call('POST', `/project/${projectID}/user/${userID}`)).status).toBe(200);
    expect(await login(userID, 'first-password', projectID)).toBe(201);

    // A changed password is Keystone's.
    expect((await call('PUT', `/user/${userID}`, { password: 'second-password' })).status).toBe(200);
    expect(await login(userID, 'first-password', projectID)).toBe(401);
    expect(await login(userID, 'second-password', projectID)).toBe(201);

    // The membership is the role: without it the project-scoped login is refused.
    expect((await call('DELETE', `/project/${projectID}/user/${userID}`)).status).toBe(204);
    expect(await login(userID, 'second-password', projectID)).toBe(401);

    expect((await call('DELETE', `/user/${userID}`)).status).toBe(204);
    expect((await call('DELETE', `/project/${projectID}`)).status).toBe(204);
    expect(await admin.holdings()).toEqual({ projects: [], users: [], applicationCredentials: [] });
  }, 120_000);

  it('deletes a project, a user and a membership Keystone no longer has, as the retry of a delete whose answer was lost', async () => {
    const project = await call('POST', '/project/', { name: 'lost', description: 'answer lost' });
    const user = await call('POST', '/user/', {
      name: 'bob@example.com',
      description: 'bob',
      password: 'pw-1',
    });
    const projectID = project.data!.id;
    const userID = user.data!.id;
    expect((await call('POST', `/project/${projectID}/user/${userID}`)).status).toBe(200);
    // Keystone deleted them, but its answers never reached the reseller API (a 500 under load).
    const roleID = await admin.roleID('member');
    await admin.call('DELETE', `/projects/${projectID}/users/${userID}/roles/${roleID}`);
    await admin.call('DELETE', `/users/${userID}`);
    await admin.call('DELETE', `/projects/${projectID}`);
    expect([
      (await call('DELETE', `/project/${projectID}/user/${userID}`)).status,
      (await call('DELETE', `/user/${userID}`)).status,
      (await call('DELETE', `/project/${projectID}`)).status,
    ]).toEqual([204, 204, 204]);
    expect(await admin.holdings()).toEqual({ projects: [], users: [], applicationCredentials: [] });
  }, 120_000);

  it('adds a project as if made earlier, in Keystone too', async () => {
    const added = await reseller.addProject({ name: `${DEFAULT_ACCOUNT.projectPrefix}earlier` });
    const shown = await admin.call<{ project: { name: string } }>('GET', `/projects/${added.id}`);
    expect(shown.project.name).toBe(`${DEFAULT_ACCOUNT.projectPrefix}earlier`);
    expect((await call('DELETE', `/project/${added.id}`)).status).toBe(204);
  }, 120_000);

  it.each([
    { who: 'an application credential of the admin', role: 'admin', want: 200 },
    { who: 'an application credential of a member', role: 'member', want: 403 },
    { who: 'a token Keystone never issued', role: undefined, want: 401 },
  ])(
    'Nova on Keystone answers $want to $who',
    async ({ role, want }) => {
      const nova = await new FakeNova({ keystoneURL: keystone.url }).start();
      try {
        expect(nova.authURL).toBe(keystone.url);
        let token = 'not-a-keystone-token';
        let cleanUp = async (): Promise<void> => {};
        if (role !== undefined) {
          const { project } = await admin.call<{ project: { id: string } }>('POST', '/projects', {
            project: { name: `nova-${role}`, domain_id: 'default' },
          });
          const { user } = await admin.call<{ user: { id: string } }>('POST', '/users', {
            user: { name: `nova-${role}`, password: 'nova-password', domain_id: 'default' },
          });
          await admin.call(
            'PUT',
            `/projects/${project.id}/users/${user.id}/roles/${await admin.roleID(role)}`,
          );
          const scoped = await loginToken(keystone.url, {
            identity: {
              methods: ['password'],
              password: { user: { id: user.id, password: 'nova-password' } },
            },
            scope: { project: { id: project.id } },
          });
          const created = await fetch(`${keystone.url}/users/${user.id}/application_credentials`, {
            method: 'POST',
            headers: { 'x-auth-token': scoped, 'content-type': 'application/json' },
            body: JSON.stringify({ application_credential: { name: 'compute' } }),
          });
          const credential = (
            (await created.json()) as { application_credential: { id: string; secret: string } }
          ).application_credential;
          token = await loginToken(keystone.url, {
            identity: {
              methods: ['application_credential'],
              application_credential: { id: credential.id, secret: credential.secret },
            },
          });
          cleanUp = async () => {
            await admin.call('DELETE', `/users/${user.id}`);
            await admin.call('DELETE', `/projects/${project.id}`);
          };
        }
        const services = await fetch(`${nova.computeURL}/os-services`, {
          headers: { 'x-auth-token': token, 'openstack-api-version': 'compute 2.53' },
        });
        await cleanUp();
        expect(services.status).toBe(want);
      } finally {
        await nova.stop();
      }
    },
    120_000,
  );
});
