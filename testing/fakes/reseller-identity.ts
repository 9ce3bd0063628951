/**
 * Where the fake reseller API keeps its projects, users and memberships in identity: nowhere of its own
 * (its ids from a seeded sequence, for the FakeKeystone to read back), or a real Keystone, as the real
 * reseller API does: each project and user is made there first and the API answers with Keystone's
 * id, a user's password and enabled flag are Keystone's, and a membership is the `member` role on the
 * project, so the users' logins and application credentials work against that Keystone.
 */
import { MEMBER_ROLE, type KeystoneAdmin } from '../keystone-admin.js';

/** A project's fields as the reseller API takes them. */
export interface IdentityProject {
  name: string;
  description: string;
  enabled: boolean;
}

/** A user's fields as the reseller API takes them. */
export interface IdentityUser {
  name: string;
  description: string;
  enabled: boolean;
  password: string;
  default_project?: string;
}

/** The identity side of the reseller API: a new id for each create, the changes made in Keystone. */
export interface ResellerIdentity {
  createProject(project: IdentityProject): Promise<string>;
  updateProject(id: string, change: Partial<IdentityProject>): Promise<void>;
  deleteProject(id: string): Promise<void>;
  createUser(user: IdentityUser): Promise<string>;
  updateUser(id: string, change: Partial<IdentityUser>): Promise<void>;
  deleteUser(id: string): Promise<void>;
  addMember(projectID: string, userID: string): Promise<void>;
  removeMember(projectID: string, userID: string): Promise<void>;
}

/** No identity service: ids from the fake's own sequence, nothing else to do. */
export function ownIdentity(newID: () => string): ResellerIdentity {
  const none = async (): Promise<void> => {};
  return {
    createProject: async () => newID(),
    updateProject: none,
    deleteProject: none,
    createUser: async () => newID(),
    updateUser: none,
    deleteUser: none,
    addMember: none,
    removeMember: none,
  };
}

/** Projects and users in the default domain of a real Keystone, as its admin. */
export function keystoneIdentity(admin: KeystoneAdmin): ResellerIdentity {
  const created = async (path: string, key: string, body: Record<string, unknown>): Promise<string> => {
    const answer = await admin.call<Record<string, { id: string }>>('POST', path, { [key]: body });
    return answer[key]!.id;
  };
  const userFields = (user: Partial<IdentityUser>) => ({
    ...(user.name === undefined ? {} : { name: user.name }),
    ...(user.description === undefined ? {} : { description: user.description }),
    ...(user.enabled === undefined ? {} : { enabled: user.enabled }),
    ...(user.password === undefined ? {} : { password: user.password }),
    ...(user.default_project === undefined ? {} : { default_project_id: user.default_project }),
  });
  const rolePath = async (projectID: string, userID: string): Promise<string> =>
    `/projects/${projectID}/users/${userID}/roles/${await admin.roleID(MEMBER_ROLE)}`;
  return {
    createProject: (project) => created('/projects', 'project', { ...project, domain_id: 'default' }),
    updateProject: async (id, change) =>
      void (await admin.call('PATCH', `/projects/${id}`, { project: change })),
    deleteProject: (id) => admin.delete(`/projects/${id}`),
    createUser: (user) => created('/users', 'user', { ...userFields(user), domain_id: 'default' }),
    updateUser: async (id, change) =>
      void (await admin.call('PATCH', `/users/${id}`, { user: userFields(change) })),
    deleteUser: (id) => admin.delete(`/users/${id}`),
    addMember: async (projectID, userID) => void (await admin.call('PUT', await rolePath(projectID, userID))),
    removeMember: async (projectID, userID) => admin.delete(await rolePath(projectID, userID)),
  };
}
