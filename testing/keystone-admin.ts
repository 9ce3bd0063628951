/**
 * The cloud admin's hand on a real Keystone (testing/keystone.ts): its calls with a token of the
 * bootstrap admin, renewed when Keystone refuses it, and what Keystone holds beyond its bootstrap.
 */
import type { RealKeystone } from './keystone.js';

/** What a Keystone holds beyond its bootstrap admin, by name. */
export interface KeystoneHoldings {
  projects: string[];
  users: string[];
  /** `<user name>/<credential name>`. */
  applicationCredentials: string[];
}

/** The role the reseller API gives a user on a project it adds the user to. */
export const MEMBER_ROLE = 'member';

/** An admin client of a real Keystone. */
export class KeystoneAdmin {
  private token: Promise<string> | undefined;
  private readonly roleIDs = new Map<string, Promise<string>>();

  constructor(readonly keystone: RealKeystone) {}

  get url(): string {
    return this.keystone.url;
  }

  /** A project-scoped token of the bootstrap admin. */
  adminToken(): Promise<string> {
    this.token ??= loginToken(this.url, {
      identity: {
        methods: ['password'],
        password: {
          user: {
            name: this.keystone.admin.name,
            domain: { id: 'default' },
            password: this.keystone.admin.password,
          },
        },
      },
      scope: { project: { name: this.keystone.admin.projectName, domain: { id: 'default' } } },
    }).catch((error: unknown) => {
      this.token = undefined;
      throw error;
    });
    return this.token;
  }

  /** An admin call; its JSON answer, or an error naming the status. */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    let answer = await this.send(method, path, body);
    if (answer.status === 401) {
      this.token = undefined;
      answer = await this.send(method, path, body);
    }
    const text = await answer.text();
    if (!answer.ok) throw new Error(`cannot ${method} ${path}: Keystone answered ${answer.status}: ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  /**
   * Deletes what `path` names; one Keystone no longer has counts as deleted, as it must for the
   * retry of a delete Keystone carried out but whose answer was lost (a 500 under load).
   */
  async delete(path: string): Promise<void> {
    let answer = await this.send('DELETE', path, undefined);
    if (answer.status === 401) {
      this.token = undefined;
      answer = await this.send('DELETE', path, undefined);
    }
    if (answer.ok || answer.status === 404) return;
    throw new Error(`cannot DELETE ${path}: Keystone answered ${answer.status}: ${await answer.text()}`);
  }

  /** The id of a role by name (Keystone's bootstrap makes admin, manager, member and reader). */
  roleID(name: string): Promise<string> {
    let id = this.roleIDs.get(name);
    if (id === undefined) {
      id = this.call<{ roles: Array<{ id: string }> }>('GET', `/roles?name=${name}`).then((answer) => {
        const role = answer.roles[0];
        if (role === undefined) throw new Error(`cannot find role ${name} in Keystone`);
        return role.id;
      });
      this.roleIDs.set(name, id);
    }
    return id;
  }

  /** Projects, users and application credentials, less the bootstrap admin and its project. */
  async holdings(): Promise<KeystoneHoldings> {
    const { projects } = await this.call<{ projects: Array<{ name: string }> }>('GET', '/projects');
    const { users } = await this.call<{ users: Array<{ id: string; name: string }> }>('GET', '/users');
    const applicationCredentials: string[] = [];
    for (const user of users) {
      const listed = await this.call<{ application_credentials: Array<{ name: string }> }>(
        'GET',
        `/users/${user.id}/application_credentials`,
      );
      applicationCredentials.push(...listed.application_credentials.map((c) => `${user.name}/${c.name}`));
    }
    return {
      projects: projects.map((p) => p.name).filter((name) => name !== this.keystone.admin.projectName),
      users: users.map((u) => u.name).filter((name) => name !== this.keystone.admin.name),
      applicationCredentials,
    };
  }

  private async send(method: string, path: string, body: unknown): Promise<Response> {
    return fetch(this.url + path, {
      method,
      headers: { 'x-auth-token': await this.adminToken(), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}

/** POST /auth/tokens: the token, or an error naming the status. */
export async function loginToken(url: string, auth: Record<string, unknown>): Promise<string> {
  const answer = await fetch(`${url}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth }),
  });
  const token = answer.headers.get('x-subject-token');
  if (answer.status !== 201 || token === null)
    throw new Error(`cannot log in to Keystone: answered ${answer.status}: ${await answer.text()}`);
  return token;
}
