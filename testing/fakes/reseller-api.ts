/**
 * A stateful fake of the reseller API (pco-api-expansion 0.1.2) over real HTTP on loopback. Requests
 * are validated against the vendored OpenAPI description; the API's rules are enforced: bearer tokens
 * from the password login, the customer prefix before every project name, the quota defaults, and 405
 * when a project that still has members is deleted. Faults come from a FaultPlan.
 *
 * Where the contract is silent the fake chooses, and says so: wrong login credentials answer 400 with
 * FastAPI's `{detail}`; a missing or expired token answers 401 with `{detail}`; names need not be unique.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Project, Quotas, User } from '../../provider/src/reseller/client/types.js';
import { FaultPlan, seededRandom, type FaultRates } from './faults.js';
import { serve, sendJSON, sleep, type RunningServer } from './http-server.js';
import { OpenAPISchemas, type SchemaIssue } from './openapi-schemas.js';

/** A customer account the fake accepts at its login. */
export interface ResellerAccount {
  username: string;
  password: string;
  /** What the API puts before every project name of this customer. */
  projectPrefix: string;
  domainID: string;
}

export interface FakeResellerOptions {
  accounts?: ResellerAccount[];
  /** Lifetime of issued tokens; their JWT `exp` says it too. Default one hour. */
  tokenLifetimeMs?: number;
  /** The fake's clock. */
  now?: () => number;
  faults?: FaultRates;
}

/** A stored project: the API's answer plus what only the fake knows. */
export interface StoredProject extends Project {
  enabled: boolean;
  owner: string;
  network_preconfigure: boolean;
}

/** A stored user, with the password Keystone checks. */
export interface StoredUser extends User {
  owner: string;
  password: string;
}

/** One request as the fake saw it, without headers or body (which hold credentials). */
export interface SeenRequest {
  method: string;
  path: string;
  /** The status answered; undefined when the connection was dropped. */
  status: number | undefined;
}

/** The default account of a FakeResellerAPI. */
export const DEFAULT_ACCOUNT: ResellerAccount = {
  username: 'reseller@example.com',
  password: 'correct horse battery staple',
  projectPrefix: 'c0042-',
  domainID: 'd0000000000000000000000000000042',
};

/**
 * The quota fields the schemas require without a default get these values in a new project; the
 * defaulted fields get the API's defaults from the OpenAPI description.
 */
/** The vendored contract the fake validates against. */
export const RESELLER_OPENAPI_PATH = fileURLToPath(
  new URL('../../provider/src/reseller/client/reseller-api.openapi.yaml', import.meta.url),
);

const INITIAL_REQUIRED_QUOTAS = {
  compute: { instances: 10, key_pairs: 100, metadata_items: 128, server_groups: 10 },
  volume: { volumes: 10, backups: 10, backup_gigabytes: 1000 },
  network: { network: 10, subnet: 10, router: 10, security_group: 10, security_group_rule: 100 },
};

/** The fake reseller API; `start()` it, point a client at `url`, `stop()` it after the test. */
export class FakeResellerAPI {
  readonly projects = new Map<string, StoredProject>();
  readonly users = new Map<string, StoredUser>();
  /** Memberships as `${projectID}/${userID}`. */
  readonly memberships = new Set<string>();
  readonly quotas = new Map<string, Required<Quotas>>();
  readonly requests: SeenRequest[] = [];
  readonly faults: FaultPlan;
  /** How many logins succeeded. */
  logins = 0;

  private readonly accounts: ResellerAccount[];
  private readonly schemas = new OpenAPISchemas(RESELLER_OPENAPI_PATH);
  private readonly tokenLifetimeMs: number;
  private readonly now: () => number;
  private readonly signingKey = randomBytes(32);
  private readonly ids: () => number;
  private readonly revokedBefore = { at: 0 };
  private server: RunningServer | undefined;

  constructor(options: FakeResellerOptions = {}) {
    this.accounts = options.accounts ?? [DEFAULT_ACCOUNT];
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
    this.faults = new FaultPlan(options.faults);
    this.ids = seededRandom(options.faults?.seed ?? 7);
  }

  /** The base URL; only valid after start(). */
  get url(): string {
    if (this.server === undefined) throw new Error('cannot get the fake reseller API url: not started');
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await serve((request, body, response) => this.handle(request, body, response));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  /** Makes every token issued so far answer 401, as after a restart of the API or a key rotation. */
  revokeTokens(): void {
    this.revokedBefore.at = this.now() + 1;
  }

  /** Stores a project directly, as if created earlier (by someone else, or by a crashed create). */
  seedProject(fields: Partial<StoredProject> & { name: string }): StoredProject {
    const account = this.accounts[0]!;
    const project: StoredProject = {
      id: this.newID(),
      description: 'seeded',
      enabled: true,
      network_preconfigure: false,
      owner: account.username,
      ...fields,
    };
    this.projects.set(project.id, project);
    this.quotas.set(project.id, this.defaultQuotas());
    return project;
  }

  /** Stores a user directly. */
  seedUser(fields: Partial<StoredUser> & { name: string }): StoredUser {
    const user: StoredUser = {
      id: this.newID(),
      description: 'seeded',
      enabled: true,
      owner: this.accounts[0]!.username,
      password: 'seeded-password',
      ...fields,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** The user with this id or name and password, for the Keystone fake. */
  authenticate(idOrName: string, password: string): StoredUser | undefined {
    for (const user of this.users.values()) {
      if ((user.id === idOrName || user.name === idOrName) && user.password === password) return user;
    }
    return undefined;
  }

  private newID(): string {
    let id = '';
    while (id.length < 32) id += Math.floor(this.ids() * 16).toString(16);
    return id;
  }

  private defaultQuotas(): Required<Quotas> {
    const quotas = structuredClone(INITIAL_REQUIRED_QUOTAS);
    // Validation fills in the API's defaults for every optional quota.
    this.schemas.validate('UpdateQuota', quotas);
    return quotas as unknown as Required<Quotas>;
  }

  private async handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const seen: SeenRequest = { method, path, status: undefined };
    this.requests.push(seen);
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);

    const answer = (status: number, payload?: unknown): void => {
      seen.status = status;
      sendJSON(response, status, payload);
    };
    const drop = (): void => {
      request.socket.destroy();
    };

    if (path === '/api/v1/auth/login/access-token' && method === 'POST') {
      answer(...this.login(request, body));
      return;
    }
    const account = this.authorize(request);
    if (account === undefined) {
      answer(401, { detail: 'Could not validate credentials' });
      return;
    }
    const fault = this.faults.next(method !== 'GET');
    if (fault?.kind === 'status') {
      // 401 answers as an expired token does; every other status carries the envelope.
      answer(
        fault.status,
        fault.status === 401
          ? { detail: 'Could not validate credentials' }
          : { status: fault.status, message: STATUS_CODES[fault.status] ?? 'Error' },
      );
      return;
    }
    if (fault?.kind === 'drop') {
      drop();
      return;
    }
    const [status, payload] = this.route(account, method, path, body);
    if (fault?.kind === 'crash-after-perform') {
      drop();
      return;
    }
    answer(status, payload);
  }

  private login(request: IncomingMessage, body: string): [number, unknown] {
    if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return [
        422,
        {
          detail: [{ loc: ['body'], msg: 'must be application/x-www-form-urlencoded', type: 'value_error' }],
        },
      ];
    }
    const form = Object.fromEntries(new URLSearchParams(body));
    const issues = this.schemas.validate('LoginForm', form);
    if (issues.length > 0) return [422, { detail: issues }];
    const account = this.accounts.find((a) => a.username === form.username && a.password === form.password);
    if (account === undefined) return [400, { detail: 'Incorrect email or password' }];
    this.logins++;
    return [200, { access_token: this.issueToken(account), token_type: 'bearer' }];
  }

  /** A JWT-shaped token (HS256 over a key only the fake knows) with `sub`, `iat` and `exp`. */
  private issueToken(account: ResellerAccount): string {
    const now = this.now();
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
      sub: account.username,
      iat: now / 1000,
      exp: Math.floor((now + this.tokenLifetimeMs) / 1000),
    })}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }

  private authorize(request: IncomingMessage): ResellerAccount | undefined {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return undefined;
    const token = header.slice('Bearer '.length);
    const [head, payload, signature] = token.split('.');
    if (head === undefined || payload === undefined || signature === undefined) return undefined;
    const expected = createHmac('sha256', this.signingKey).update(`${head}.${payload}`).digest('base64url');
    if (expected !== signature) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      sub: string;
      iat: number;
      exp: number;
    };
    if (claims.exp * 1000 <= this.now() || claims.iat * 1000 < this.revokedBefore.at) return undefined;
    return this.accounts.find((account) => account.username === claims.sub);
  }

  private route(account: ResellerAccount, method: string, path: string, body: string): [number, unknown] {
    const parts = path.split('/').filter((part) => part !== '');
    // Every API path starts with api/v1.
    if (parts[0] !== 'api' || parts[1] !== 'v1') return notFound('path');
    const [resource, id, sub, subID] = parts.slice(2);
    const key = `${method} ${resource ?? ''}${id === undefined ? '' : '/{id}'}${sub === undefined ? '' : `/${sub}`}${subID === undefined ? '' : '/{id}'}`;
    const parsedBody = (): unknown => (body === '' ? undefined : (JSON.parse(body) as unknown));
    const pathIssues = [
      ...(id === undefined || resource === 'auth'
        ? []
        : this.schemas.validate('Id32', id, ['path', resource === 'user' ? 'user_id' : 'project_id'])),
      ...(subID === undefined ? [] : this.schemas.validate('Id32', subID, ['path', 'user_id'])),
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
          [...this.projects.values()].filter((p) => p.owner === account.username).map(projectView),
        );
      case 'POST project':
        return this.createProject(account, parsedBody());
      case 'GET project/{id}':
        return this.withProject(account, id!, (project) => ok(200, projectView(project)));
      case 'PUT project/{id}':
        return this.withProject(account, id!, (project) =>
          this.updateProject(account, project, parsedBody()),
        );
      case 'DELETE project/{id}':
        return this.withProject(account, id!, (project) => {
          const members = [...this.memberships].filter((m) => m.startsWith(`${project.id}/`));
          if (members.length > 0) {
            return [
              405,
              { status: 405, message: `Project ${project.id} still has ${members.length} user(s)` },
            ];
          }
          this.projects.delete(project.id);
          this.quotas.delete(project.id);
          return [204, undefined];
        });
      case 'GET project/{id}/user':
        return this.withProject(account, id!, (project) =>
          ok(
            200,
            [...this.memberships]
              .filter((m) => m.startsWith(`${project.id}/`))
              .map((m) => ({ project: project.id, user: m.slice(33) })),
          ),
        );
      case 'POST project/{id}/user/{id}':
        return this.withProject(account, id!, (project) =>
          this.withUser(account, subID!, (user) => {
            this.memberships.add(`${project.id}/${user.id}`);
            return ok(200, { project: project.id, user: user.id }, 'User added to project');
          }),
        );
      case 'DELETE project/{id}/user/{id}':
        return this.withProject(account, id!, (project) =>
          this.withUser(account, subID!, (user) => {
            if (!this.memberships.delete(`${project.id}/${user.id}`)) return notFound('membership');
            return [204, undefined];
          }),
        );
      case 'GET project/{id}/quota':
        return this.withProject(account, id!, (project) => ok(200, this.quotas.get(project.id)));
      case 'PUT project/{id}/quota':
        return this.withProject(account, id!, (project) => {
          const update = parsedBody();
          const issues = this.schemas.validate('UpdateQuota', update);
          if (issues.length > 0) return [422, { detail: issues }];
          const quotas = this.quotas.get(project.id)!;
          Object.assign(quotas, update);
          return ok(200, quotas);
        });
      case 'GET user':
        return ok(200, [...this.users.values()].filter((u) => u.owner === account.username).map(userView));
      case 'POST user':
        return this.createUser(account, parsedBody());
      case 'GET user/{id}':
        return this.withUser(account, id!, (user) => ok(200, userView(user)));
      case 'PUT user/{id}':
        return this.withUser(account, id!, (user) => {
          const update = parsedBody() as Record<string, unknown>;
          const issues = this.schemas.validate('UpdateOpenStackUser', update);
          if (issues.length > 0) return [422, { detail: issues }];
          Object.assign(user, update);
          return ok(200, userView(user));
        });
      case 'DELETE user/{id}':
        return this.withUser(account, id!, (user) => {
          this.users.delete(user.id);
          for (const m of [...this.memberships]) if (m.endsWith(`/${user.id}`)) this.memberships.delete(m);
          return [204, undefined];
        });
      default:
        return notFound('path');
    }
  }

  private createProject(account: ResellerAccount, body: unknown): [number, unknown] {
    const issues: SchemaIssue[] = this.schemas.validate('ProjectCreate', body);
    if (issues.length > 0) return [422, { detail: issues }];
    const create = body as {
      name: string;
      description: string;
      enabled: boolean;
      network_preconfigure: boolean;
    };
    const project: StoredProject = {
      id: this.newID(),
      name: account.projectPrefix + create.name,
      description: create.description,
      enabled: create.enabled,
      network_preconfigure: create.network_preconfigure,
      owner: account.username,
    };
    this.projects.set(project.id, project);
    this.quotas.set(project.id, this.defaultQuotas());
    return ok(201, projectView(project));
  }

  private updateProject(account: ResellerAccount, project: StoredProject, body: unknown): [number, unknown] {
    const issues = this.schemas.validate('ProjectUpdate', body);
    if (issues.length > 0) return [422, { detail: issues }];
    const update = body as { name?: string; description?: string; enabled?: boolean };
    if (update.description !== undefined) {
      const descriptionIssues = this.schemas.validate('Description', update.description, [
        'body',
        'description',
      ]);
      if (descriptionIssues.length > 0) return [422, { detail: descriptionIssues }];
      project.description = update.description;
    }
    if (update.name !== undefined) project.name = account.projectPrefix + update.name;
    if (update.enabled !== undefined) project.enabled = update.enabled;
    return ok(200, projectView(project));
  }

  private createUser(account: ResellerAccount, body: unknown): [number, unknown] {
    const issues = this.schemas.validate('CreateOpenStackUser', body);
    if (issues.length > 0) return [422, { detail: issues }];
    const create = body as {
      name: string;
      description: string;
      enabled: boolean;
      password: string;
      default_project?: string;
    };
    const user: StoredUser = {
      id: this.newID(),
      name: create.name,
      description: create.description,
      enabled: create.enabled,
      owner: account.username,
      password: create.password,
      ...(create.default_project === undefined ? {} : { default_project: create.default_project }),
    };
    this.users.set(user.id, user);
    return ok(201, userView(user));
  }

  private withProject(
    account: ResellerAccount,
    id: string,
    then: (project: StoredProject) => [number, unknown],
  ): [number, unknown] {
    const project = this.projects.get(id);
    if (project === undefined || project.owner !== account.username) return notFound(`Project ${id}`);
    return then(project);
  }

  private withUser(
    account: ResellerAccount,
    id: string,
    then: (user: StoredUser) => [number, unknown],
  ): [number, unknown] {
    const user = this.users.get(id);
    if (user === undefined || user.owner !== account.username) return notFound(`User ${id}`);
    return then(user);
  }
}

function ok(status: number, data: unknown, message = 'Success'): [number, unknown] {
  return [status, { status, data, message }];
}

function notFound(what: string): [number, unknown] {
  return [404, { status: 404, message: `${what} not found` }];
}

function projectView(project: StoredProject): Project {
  return { id: project.id, name: project.name, description: project.description, enabled: project.enabled };
}

function userView(user: StoredUser): User {
  const { owner: _owner, password: _password, ...view } = user;
  return view;
}
