/**
 * The paths of the fake reseller API: each answers as the vendored OpenAPI contract says, after
 * validating its path parameters and body against the contract's schemas.
 */
import type { SchemaIssue } from './openapi-schemas.js';
import {
  projectView,
  userView,
  type ResellerAccount,
  type ResellerStore,
  type StoredProject,
  type StoredUser,
} from './reseller-store.js';

/** The status and body the API answers to `method` on `path` for `account`. */
export async function route(
  store: ResellerStore,
  account: ResellerAccount,
  method: string,
  path: string,
  body: string,
): Promise<[number, unknown]> {
  const parts = path.split('/').filter((part) => part !== '');
  // Every API path starts with api/v1.
  if (parts[0] !== 'api' || parts[1] !== 'v1') return notFound('path');
  const [resource, id, sub, subID] = parts.slice(2);
  const key = `${method} ${resource ?? ''}${id === undefined ? '' : '/{id}'}${sub === undefined ? '' : `/${sub}`}${subID === undefined ? '' : '/{id}'}`;
  const parsedBody = (): unknown => (body === '' ? undefined : (JSON.parse(body) as unknown));
  const pathIssues = [
    ...(id === undefined || resource === 'auth'
      ? []
      : store.schemas.validate('Id32', id, ['path', resource === 'user' ? 'user_id' : 'project_id'])),
    ...(subID === undefined ? [] : store.schemas.validate('Id32', subID, ['path', 'user_id'])),
  ];
  if (pathIssues.length > 0) return [422, { detail: pathIssues }];

  switch (key) {
    case 'POST auth/{id}/test-token':
      if (id !== 'login') return notFound('path');
      return [
        200,
        { domain_id: account.domainID, project_prefix: account.projectPrefix, username: account.username },
      ];
    case 'GET project':
      return ok(
        200,
        [...store.projects.values()].filter((p) => p.owner === account.username).map(projectView),
      );
    case 'POST project':
      return createProject(store, account, parsedBody());
    case 'GET project/{id}':
      return withProject(store, account, id!, (project) => ok(200, projectView(project)));
    case 'PUT project/{id}':
      return withProject(store, account, id!, (project) =>
        updateProject(store, account, project, parsedBody()),
      );
    case 'DELETE project/{id}':
      return withProject(store, account, id!, async (project) => {
        const members = [...store.memberships].filter((m) => m.startsWith(`${project.id}/`));
        if (members.length > 0) {
          return [405, { status: 405, message: `Project ${project.id} still has ${members.length} user(s)` }];
        }
        await store.identity.deleteProject(project.id);
        store.projects.delete(project.id);
        store.quotas.delete(project.id);
        return [204, undefined];
      });
    case 'GET project/{id}/user':
      return withProject(store, account, id!, (project) =>
        ok(
          200,
          [...store.memberships]
            .filter((m) => m.startsWith(`${project.id}/`))
            .map((m) => ({ project: project.id, user: m.slice(33) })),
        ),
      );
    case 'POST project/{id}/user/{id}':
      return withProject(store, account, id!, (project) =>
        withUser(store, account, subID!, async (user) => {
          if (!store.memberships.has(`${project.id}/${user.id}`))
            await store.identity.addMember(project.id, user.id);
          store.memberships.add(`${project.id}/${user.id}`);
          return ok(200, { project: project.id, user: user.id }, 'User added to project');
        }),
      );
    case 'DELETE project/{id}/user/{id}':
      return withProject(store, account, id!, (project) =>
        withUser(store, account, subID!, async (user) => {
          if (!store.memberships.has(`${project.id}/${user.id}`)) return notFound('membership');
          await store.identity.removeMember(project.id, user.id);
          store.memberships.delete(`${project.id}/${user.id}`);
          return [204, undefined];
        }),
      );
    case 'GET project/{id}/quota':
      return withProject(store, account, id!, (project) => ok(200, store.quotas.get(project.id)));
    case 'PUT project/{id}/quota':
      return withProject(store, account, id!, (project) => {
        const update = parsedBody();
        const issues = store.schemas.validate('UpdateQuota', update);
        if (issues.length > 0) return [422, { detail: issues }];
        const quotas = store.quotas.get(project.id)!;
        Object.assign(quotas, update);
        return ok(200, quotas);
      });
    case 'GET user':
      return ok(200, [...store.users.values()].filter((u) => u.owner === account.username).map(userView));
    case 'POST user':
      return createUser(store, account, parsedBody());
    case 'GET user/{id}':
      return withUser(store, account, id!, (user) => ok(200, userView(user)));
    case 'PUT user/{id}':
      return withUser(store, account, id!, async (user) => {
        const update = parsedBody() as Record<string, unknown>;
        const issues = store.schemas.validate('UpdateOpenStackUser', update);
        if (issues.length > 0) return [422, { detail: issues }];
        await store.identity.updateUser(user.id, update);
        Object.assign(user, update);
        return ok(200, userView(user));
      });
    case 'DELETE user/{id}':
      return withUser(store, account, id!, async (user) => {
        // Keystone deletes the user's role assignments and application credentials with it.
        await store.identity.deleteUser(user.id);
        store.users.delete(user.id);
        for (const m of [...store.memberships]) if (m.endsWith(`/${user.id}`)) store.memberships.delete(m);
        return [204, undefined];
      });
    default:
      return notFound('path');
  }
}

async function createProject(
  store: ResellerStore,
  account: ResellerAccount,
  body: unknown,
): Promise<[number, unknown]> {
  const issues: SchemaIssue[] = store.schemas.validate('ProjectCreate', body);
  if (issues.length > 0) return [422, { detail: issues }];
  const create = body as {
    name: string;
    description: string;
    enabled: boolean;
    network_preconfigure: boolean;
  };
  const name = account.projectPrefix + create.name;
  const project: StoredProject = {
    id: await store.identity.createProject({
      name,
      description: create.description,
      enabled: create.enabled,
    }),
    name,
    description: create.description,
    enabled: create.enabled,
    network_preconfigure: create.network_preconfigure,
    owner: account.username,
  };
  store.projects.set(project.id, project);
  store.quotas.set(project.id, store.defaultQuotas());
  return ok(201, projectView(project));
}

async function updateProject(
  store: ResellerStore,
  account: ResellerAccount,
  project: StoredProject,
  body: unknown,
): Promise<[number, unknown]> {
  const issues = store.schemas.validate('ProjectUpdate', body);
  if (issues.length > 0) return [422, { detail: issues }];
  const update = body as { name?: string; description?: string; enabled?: boolean };
  if (update.description !== undefined) {
    const descriptionIssues = store.schemas.validate('Description', update.description, [
      'body',
      'description',
    ]);
    if (descriptionIssues.length > 0) return [422, { detail: descriptionIssues }];
  }
  const name = update.name === undefined ? undefined : account.projectPrefix + update.name;
  await store.identity.updateProject(project.id, {
    ...(name === undefined ? {} : { name }),
    ...(update.description === undefined ? {} : { description: update.description }),
    ...(update.enabled === undefined ? {} : { enabled: update.enabled }),
  });
  if (update.description !== undefined) project.description = update.description;
  if (name !== undefined) project.name = name;
  if (update.enabled !== undefined) project.enabled = update.enabled;
  return ok(200, projectView(project));
}

async function createUser(
  store: ResellerStore,
  account: ResellerAccount,
  body: unknown,
): Promise<[number, unknown]> {
  const issues = store.schemas.validate('CreateOpenStackUser', body);
  if (issues.length > 0) return [422, { detail: issues }];
  const create = body as {
    name: string;
    description: string;
    enabled: boolean;
    password: string;
    default_project?: string;
  };
  const user: StoredUser = {
    id: await store.identity.createUser(create),
    name: create.name,
    description: create.description,
    enabled: create.enabled,
    owner: account.username,
    password: create.password,
    ...(create.default_project === undefined ? {} : { default_project: create.default_project }),
  };
  store.users.set(user.id, user);
  return ok(201, userView(user));
}

function withProject(
  store: ResellerStore,
  account: ResellerAccount,
  id: string,
  then: (project: StoredProject) => Reply,
): Reply {
  const project = store.projects.get(id);
  if (project === undefined || project.owner !== account.username) return notFound(`Project ${id}`);
  return then(project);
}

function withUser(
  store: ResellerStore,
  account: ResellerAccount,
  id: string,
  then: (user: StoredUser) => Reply,
): Reply {
  const user = store.users.get(id);
  if (user === undefined || user.owner !== account.username) return notFound(`User ${id}`);
  return then(user);
}

/** A route's answer, now or once identity has been changed. */
type Reply = [number, unknown] | Promise<[number, unknown]>;

function ok(status: number, data: unknown, message = 'Success'): [number, unknown] {
  return [status, { status, data, message }];
}

function notFound(what: string): [number, unknown] {
  return [404, { status: 404, message: `${what} not found` }];
}
