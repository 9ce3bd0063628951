/**
 * The reseller API client: the calls the provider needs, over real HTTP, with one bearer token per set
 * of credentials. Answers are unwrapped from the API's `{status, data, message}` envelope.
 */
import { z } from 'zod';
import { TokenSource, type ResellerCredentials } from './auth.js';
import { ExternalAPIError, UnauthorizedError } from '../../transport/errors.js';
import { ResellerTransport, type TransportOptions, type TransportRequest } from './transport.js';
import type {
  Project,
  ProjectCreate,
  ProjectUpdate,
  ProjectUser,
  Quotas,
  User,
  UserCreate,
  UserUpdate,
  VaultUser,
} from './types.js';

/** Where and as whom the client talks to the reseller API. */
export interface ResellerClientConfig extends ResellerCredentials {
  /** Base URL, for example https://reseller.example.com (paths start with /api/v1). */
  endpoint: string;
}

/** Injected dependencies; every one has a production default. */
export interface ResellerClientOptions extends TransportOptions {
  /** The clock for token expiry. */
  now?: () => number;
}

const envelope = z.object({
  status: z.number(),
  data: z.unknown().optional(),
  message: z.string().nullish(),
});
const vaultUser = z.object({ domain_id: z.string(), project_prefix: z.string(), username: z.string() });

type Request = Omit<TransportRequest, 'bearer'>;

/** The calls to the reseller API the provider's managed kinds need. */
export class ResellerClient {
  private readonly transport: ResellerTransport;
  /** The login shared by every call of this client. */
  readonly tokens: TokenSource;

  constructor(config: ResellerClientConfig, options: ResellerClientOptions = {}) {
    this.transport = new ResellerTransport(config.endpoint, options);
    this.tokens = new TokenSource(
      this.transport,
      { username: config.username, password: config.password },
      options.now,
    );
  }

  /** Who the credentials belong to; `project_prefix` is what the API puts before every project name. */
  async testToken(): Promise<VaultUser> {
    const operation = 'cannot test the reseller API token';
    const body = await this.call({ method: 'POST', path: '/api/v1/auth/login/test-token', operation });
    const parsed = vaultUser.safeParse(body);
    if (!parsed.success) throw new ExternalAPIError(`${operation}: the answer is not a VaultUser`);
    return parsed.data;
  }

  /** Every project of the customer. */
  async listProjects(): Promise<Project[]> {
    return this.list<Project>({ method: 'GET', path: '/api/v1/project/', operation: 'cannot list projects' });
  }

  /** Creates a project; the API puts the customer's prefix before `name`. */
  async createProject(project: ProjectCreate): Promise<Project> {
    return this.one<Project>({
      method: 'POST',
      path: '/api/v1/project/',
      json: project,
      operation: `cannot create project "${project.name}"`,
    });
  }

  /** The project with this id; NotFoundError when there is none. */
  async getProject(id: string): Promise<Project> {
    return this.one<Project>({
      method: 'GET',
      path: projectPath(id),
      operation: `cannot get project "${id}"`,
    });
  }

  async updateProject(id: string, update: ProjectUpdate): Promise<Project> {
    return this.one<Project>({
      method: 'PUT',
      path: projectPath(id),
      json: update,
      operation: `cannot update project "${id}"`,
    });
  }

  /** Deletes a project; NotAllowedError while users are still members. */
  async deleteProject(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: projectPath(id), operation: `cannot delete project "${id}"` });
  }

  async getQuotas(projectID: string): Promise<Quotas> {
    return this.one<Quotas>({
      method: 'GET',
      path: `${projectPath(projectID)}/quota`,
      operation: `cannot get quotas of project "${projectID}"`,
    });
  }

  /** Sets the quotas of the services given; the others stay as they are. */
  async updateQuotas(projectID: string, quotas: Quotas): Promise<Quotas> {
    return this.one<Quotas>({
      method: 'PUT',
      path: `${projectPath(projectID)}/quota`,
      json: quotas,
      operation: `cannot update quotas of project "${projectID}"`,
    });
  }

  /** The memberships of a project. */
  async listProjectUsers(projectID: string): Promise<ProjectUser[]> {
    return this.list<ProjectUser>({
      method: 'GET',
      path: `${projectPath(projectID)}/user`,
      operation: `cannot list users of project "${projectID}"`,
    });
  }

  async addProjectUser(projectID: string, userID: string): Promise<void> {
    await this.call({
      method: 'POST',
      path: `${projectPath(projectID)}/user/${segment(userID)}`,
      operation: `cannot add user "${userID}" to project "${projectID}"`,
    });
  }

  async removeProjectUser(projectID: string, userID: string): Promise<void> {
    await this.call({
      method: 'DELETE',
      path: `${projectPath(projectID)}/user/${segment(userID)}`,
      operation: `cannot remove user "${userID}" from project "${projectID}"`,
    });
  }

  async listUsers(): Promise<User[]> {
    return this.list<User>({ method: 'GET', path: '/api/v1/user/', operation: 'cannot list users' });
  }

  /** Creates a user; `name` is the e-mail address. */
  async createUser(user: UserCreate): Promise<User> {
    return this.one<User>({
      method: 'POST',
      path: '/api/v1/user/',
      json: user,
      operation: `cannot create user "${user.name}"`,
    });
  }

  async getUser(id: string): Promise<User> {
    return this.one<User>({ method: 'GET', path: userPath(id), operation: `cannot get user "${id}"` });
  }

  async updateUser(id: string, update: UserUpdate): Promise<User> {
    return this.one<User>({
      method: 'PUT',
      path: userPath(id),
      json: update,
      operation: `cannot update user "${id}"`,
    });
  }

  async deleteUser(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: userPath(id), operation: `cannot delete user "${id}"` });
  }

  /** An enveloped answer whose data is one object. */
  private async one<T>(request: Request): Promise<T> {
    const data = unwrap(request.operation, await this.call(request));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new ExternalAPIError(`${request.operation}: the answer's data is not an object`);
    }
    return data as T;
  }

  /** An enveloped answer whose data is a list. */
  private async list<T>(request: Request): Promise<T[]> {
    const data = unwrap(request.operation, await this.call(request));
    if (!Array.isArray(data))
      throw new ExternalAPIError(`${request.operation}: the answer's data is not a list`);
    return data as T[];
  }

  /**
   * Sends the request with the current token. When the API answers 401 the token is dropped, the
   * client logs in once more and repeats the request once; a second 401 is the caller's error.
   */
  private async call(request: Request): Promise<unknown> {
    const token = await this.tokens.token();
    try {
      return (await this.transport.send({ ...request, bearer: token })).body;
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || error.status !== 401) throw error;
      this.tokens.invalidate(token);
    }
    const fresh = await this.tokens.token();
    return (await this.transport.send({ ...request, bearer: fresh })).body;
  }
}

/** The data of a `{status, data, message}` envelope. */
function unwrap(operation: string, body: unknown): unknown {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) throw new ExternalAPIError(`${operation}: the answer is not a reseller API envelope`);
  return parsed.data.data;
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

function projectPath(id: string): string {
  return `/api/v1/project/${segment(id)}`;
}

function userPath(id: string): string {
  return `/api/v1/user/${segment(id)}`;
}
