/**
 * One Keystone for the contract scenarios, fake or real, behind one interface: where the provider's two
 * sides log in, and the cloud admin's hand on users, roles and application credentials.
 */
import { randomBytes } from 'node:crypto';
import { FakeKeystone } from './fakes/keystone.js';
import { FakeNova } from './fakes/nova.js';
import { startKeystone, type KeystoneInstall } from './keystone.js';

/** A user with a password and a role on its own project. */
export interface Member {
  userID: string;
  name: string;
  password: string;
  projectID: string;
  projectName: string;
}

/** A Keystone the scenarios run against. */
export interface KeystoneCloud {
  /** The identity endpoint (…/v3) of the ApplicationCredential side. */
  identityURL: string;
  /** The identity endpoint (…/v3) the ComputeService side logs in at. */
  computeIdentityURL: string;
  region: string;
  /** The compute endpoint the catalog names in the region. */
  computeURL: string;
  /** A new user with a role on a new project, in the default domain. */
  member(): Promise<Member>;
  revokeRole(member: Member): Promise<void>;
  disableUser(member: Member): Promise<void>;
  deleteUser(member: Member): Promise<void>;
  /** A token of the cloud's admin. */
  adminToken(): Promise<string>;
  /** An application credential the compute side can log in with (its user is a member). */
  computeCredential(): Promise<{ id: string; secret: string }>;
  /** A password user of the compute side: names in the default domain. */
  computeUser(): Promise<{ username: string; password: string; projectName: string }>;
  stop(): Promise<void>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** The fakes: FakeKeystone for the ApplicationCredential side, FakeNova's Keystone for the compute side. */
export async function fakeCloud(): Promise<KeystoneCloud> {
  const users = new Map<string, Member>();
  const keystone = await new FakeKeystone(
    (idOrName, password) => {
      const user = [...users.values()].find(
        (u) => (u.userID === idOrName || u.name === idOrName) && u.password === password,
      );
      return user && { id: user.userID, name: user.name };
    },
    (id) => users.has(id),
  ).start();
  const nova = await new FakeNova({ credentials: [] }).start();
  const member = async (): Promise<Member> => {
    const user = { userID: hex(16), name: `user-${hex(4)}`, password: hex(12), projectID: hex(16) };
    const created = { ...user, projectName: `project-${hex(4)}` };
    users.set(user.userID, created);
    return created;
  };
  return {
    identityURL: keystone.url,
    computeIdentityURL: nova.authURL,
    region: nova.region,
    computeURL: nova.computeURL,
    member,
    revokeRole: async (m) => keystone.revokeRole(m.userID, m.projectID),
    disableUser: async (m) => keystone.disableUser(m.userID),
    deleteUser: async (m) => void users.delete(m.userID),
    adminToken: async () => keystone.adminToken(),
    computeCredential: async () => {
      const credential = { id: hex(16), secret: hex(24) };
      nova.accept({ kind: 'applicationCredential', ...credential, admin: true });
      return credential;
    },
    computeUser: async () => {
      const user = { username: `user-${hex(4)}`, password: hex(12), projectName: `project-${hex(4)}` };
      nova.accept({ kind: 'password', ...user, admin: true });
      return user;
    },
    stop: async () => {
      await keystone.stop();
      await nova.stop();
    },
  };
}

/** An admin's call to a real Keystone; throws on any answer but the expected one. */
async function adminCall(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, { id: string }>> {
  const answer = await fetch(url + path, {
    method,
    headers: { 'x-auth-token': token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`cannot ${method} ${path}: Keystone answered ${answer.status}: ${text}`);
  return text === '' ? {} : (JSON.parse(text) as Record<string, { id: string }>);
}

/** A password login; the token, or an error naming the status. */
export async function passwordToken(
  url: string,
  user: Record<string, unknown>,
  scope?: Record<string, unknown>,
): Promise<string> {
  const answer = await fetch(`${url}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user } },
        ...(scope === undefined ? {} : { scope }),
      },
    }),
  });
  const token = answer.headers.get('x-subject-token');
  if (answer.status !== 201 || token === null)
    throw new Error(`cannot log in to Keystone: answered ${answer.status}: ${await answer.text()}`);
  return token;
}

/** A real Keystone started for the test file, with a compute service and endpoint in its catalog. */
export async function realCloud(install: KeystoneInstall): Promise<KeystoneCloud> {
  const keystone = await startKeystone(install);
  const url = keystone.url;
  const admin = () =>
    passwordToken(
      url,
      { name: keystone.admin.name, domain: { id: 'default' }, password: keystone.admin.password },
      { project: { name: keystone.admin.projectName, domain: { id: 'default' } } },
    );
  const token = await admin();
  const call = (method: string, path: string, body?: unknown) => adminCall(url, token, method, path, body);
  const computeURL = 'http://127.0.0.1:9/compute/v2.1';
  const service = (await call('POST', '/services', { service: { type: 'compute', name: 'nova' } }))[
    'service'
  ]!;
  for (const iface of ['public', 'internal']) {
    await call('POST', '/endpoints', {
      endpoint: { service_id: service.id, interface: iface, url: computeURL, region_id: keystone.region },
    });
  }
  const memberRole = (
    (await call('GET', '/roles?name=member')) as unknown as { roles: Array<{ id: string }> }
  ).roles[0]!.id;
  const member = async (): Promise<Member> => {
    const projectName = `project-${hex(4)}`;
    const name = `user-${hex(4)}`;
    const password = hex(12);
    const project = (
      await call('POST', '/projects', { project: { name: projectName, domain_id: 'default' } })
    )['project']!;
    const user = (await call('POST', '/users', { user: { name, password, domain_id: 'default' } }))['user']!;
    await call('PUT', `/projects/${project.id}/users/${user.id}/roles/${memberRole}`);
    return { userID: user.id, name, password, projectID: project.id, projectName };
  };
  return {
    identityURL: url,
    computeIdentityURL: url,
    region: keystone.region,
    computeURL,
    member,
    revokeRole: async (m) =>
      void (await call('DELETE', `/projects/${m.projectID}/users/${m.userID}/roles/${memberRole}`)),
    disableUser: async (m) => void (await call('PATCH', `/users/${m.userID}`, { user: { enabled: false } })),
    deleteUser: async (m) => void (await call('DELETE', `/users/${m.userID}`)),
    adminToken: admin,
    computeCredential: async () => {
      const m = await member();
      const userToken = await passwordToken(
        url,
        { id: m.userID, password: m.password },
        { project: { id: m.projectID } },
      );
      const answer = await adminCall(url, userToken, 'POST', `/users/${m.userID}/application_credentials`, {
        application_credential: { name: 'compute' },
      });
      const created = answer['application_credential'] as unknown as { id: string; secret: string };
      return { id: created.id, secret: created.secret };
    },
    computeUser: async () => {
      const m = await member();
      return { username: m.name, password: m.password, projectName: m.projectName };
    },
    stop: () => keystone.stop(),
  };
}
