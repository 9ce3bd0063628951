/**
 * A small fake of the OpenStack Identity (Keystone) v3 API over real HTTP on loopback: password
 * authentication (POST /v3/auth/tokens answering X-Subject-Token) and a user's application credentials
 * (create, get, list by name, delete), with Keystone's error bodies and its 409 on a duplicate name.
 * test/provider/keystone-contract.test.ts holds it to Keystone 30.0.0: a project scope needs a role
 * (`revokeRole`), a disabled user (`disableUser`) cannot log in, a user named by name needs its domain
 * (`Default`, case-sensitive), `expires_at` comes back without a zone and must not be past, and a
 * deleted user's earlier token finds no user (404). `adminToken()` acts on every user's credentials.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultPlan } from './faults.js';
import { FakeServer, sendJSON } from './http-server.js';

/** Checks a user's password; the reseller fake's `authenticate` fits. */
export type PasswordCheck = (idOrName: string, password: string) => { id: string; name: string } | undefined;

/** A stored application credential, with its secret. */
export interface StoredApplicationCredential {
  id: string;
  user_id: string;
  project_id: string | null;
  name: string;
  description: string | null;
  expires_at: string | null;
  unrestricted: boolean;
  secret: string;
}

interface Session {
  userID: string;
  projectID: string | undefined;
  admin: boolean;
}

/** Keystone's own user-domain names: the default domain's name, compared case-sensitively. */
const DEFAULT_DOMAIN = { id: 'default', name: 'Default' };

/** The fake Keystone; `start()` it and use `url` (ending in /v3) as the auth URL. */
export class FakeKeystone extends FakeServer {
  private readonly stored = new Map<string, StoredApplicationCredential>();
  readonly faults = new FaultPlan();
  /** Every request, in order, as method and path. */
  readonly requests: Array<{ method: string; path: string }> = [];
  private readonly tokens = new Map<string, Session>();
  private readonly revoked = new Set<string>();
  private readonly disabled = new Set<string>();

  /**
   * userExists: whether Keystone still has the user. Deleting a user deletes its application
   * credentials and revokes its tokens, as Keystone does; the reseller fake's users fit.
   */
  constructor(
    private readonly checkPassword: PasswordCheck,
    private readonly userExists: (id: string) => boolean = () => true,
  ) {
    super('fake Keystone url');
  }

  /** The application credentials Keystone holds: none of a deleted user. */
  get credentials(): Map<string, StoredApplicationCredential> {
    this.forgetDeletedUsers();
    return this.stored;
  }

  get url(): string {
    return `${this.baseURL}/v3`;
  }

  /** The user no longer has a role on the project: its project-scoped logins are refused (401). */
  revokeRole(userID: string, projectID: string): void {
    this.revoked.add(`${userID}/${projectID}`);
  }

  /** The user is disabled: every login of it, and every token it had, is refused (401). */
  disableUser(userID: string): void {
    this.disabled.add(userID);
  }

  /** A token of the cloud's admin, which may show and delete any user's application credentials. */
  adminToken(): string {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { userID: 'admin', projectID: 'admin', admin: true });
    return token;
  }

  protected async handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://keystone');
    const method = request.method ?? 'GET';
    this.requests.push({ method, path: url.pathname });
    const fault = this.faults.next(method !== 'GET');
    if (fault?.kind === 'status') return error(response, fault.status, 'Injected fault');
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    const answer: Answer = (status, payload, headers) => {
      if (fault?.kind === 'crash-after-perform') request.socket.destroy();
      else sendJSON(response, status, payload, headers);
    };

    if (url.pathname === '/v3/auth/tokens' && method === 'POST') return this.login(body, response, answer);

    const match = /^\/v3\/users\/([^/]+)\/application_credentials(?:\/([^/]+))?$/.exec(url.pathname);
    if (match === null) return error(response, 404, 'Not Found');
    this.forgetDeletedUsers();
    const session = this.tokens.get(String(request.headers['x-auth-token'] ?? ''));
    if (session === undefined || this.disabled.has(session.userID))
      return error(response, 401, 'The request you have made requires authentication.');
    const [, userID, credentialID] = match;
    // Keystone keeps a deleted user's tokens valid until it looks the user up.
    if (!session.admin && !this.userExists(session.userID))
      return error(response, 404, `Could not find user: ${session.userID}.`);
    if (userID !== session.userID && !session.admin)
      return error(response, 403, 'You are not authorized to perform the requested action.');
    const owned = [...this.stored.values()].filter((c) => c.user_id === userID);

    if (credentialID === undefined && method === 'GET') {
      const name = url.searchParams.get('name');
      const listed = owned.filter((c) => name === null || c.name === name).map(view);
      return answer(200, { application_credentials: listed });
    }
    if (credentialID === undefined && method === 'POST') {
      return this.createCredential(userID!, session.projectID, owned, body, response, answer);
    }
    const stored = owned.find((c) => c.id === credentialID);
    if (stored === undefined)
      return error(response, 404, `Could not find Application Credential: ${credentialID}.`);
    if (method === 'GET') return answer(200, { application_credential: view(stored) });
    if (method === 'DELETE') {
      this.stored.delete(stored.id);
      return answer(204);
    }
    return error(response, 405, 'Method Not Allowed');
  }

  /** POST /v3/auth/tokens with a password: a token, scoped to a project when asked. */
  private login(body: string, response: ServerResponse, answer: Answer): void {
    const auth = (JSON.parse(body || '{}') as { auth?: AuthBody }).auth;
    const user = auth?.identity?.password?.user;
    if (auth?.identity?.methods?.[0] !== 'password' || user?.password === undefined) {
      return error(response, 400, 'Expecting to find identity in auth.');
    }
    // A user named by name is looked up in its domain, by the domain's exact name or id.
    const inDomain =
      user.id !== undefined ||
      user.domain?.name === DEFAULT_DOMAIN.name ||
      user.domain?.id === DEFAULT_DOMAIN.id;
    const found = inDomain ? this.checkPassword(user.id ?? user.name ?? '', user.password) : undefined;
    const projectID = auth.scope?.project?.id;
    if (
      found === undefined ||
      this.disabled.has(found.id) ||
      (projectID !== undefined && this.revoked.has(`${found.id}/${projectID}`))
    )
      return error(response, 401, 'The request you have made requires authentication.');
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { userID: found.id, projectID, admin: false });
    return answer(
      201,
      {
        token: {
          methods: ['password'],
          user: { id: found.id, name: found.name },
          ...(projectID === undefined ? {} : { project: { id: projectID } }),
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        },
      },
      { 'x-subject-token': token },
    );
  }

  /** POST /v3/users/{id}/application_credentials, as the user (or an admin). */
  private createCredential(
    userID: string,
    projectID: string | undefined,
    owned: StoredApplicationCredential[],
    body: string,
    response: ServerResponse,
    answer: Answer,
  ): void {
    const create = (
      JSON.parse(body || '{}') as { application_credential?: Partial<StoredApplicationCredential> }
    ).application_credential;
    if (create?.name === undefined) return error(response, 400, "'name' is a required property");
    const expiresAt = create.expires_at ?? null;
    if (expiresAt !== null && !(Date.parse(expiresAt) > Date.now())) {
      return error(
        response,
        400,
        "The 'expires_at' must not be before now. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
      );
    }
    if (owned.some((c) => c.name === create.name)) {
      return error(
        response,
        409,
        `Conflict occurred attempting to store application_credential - Duplicate entry found with name ${create.name}.`,
      );
    }
    const stored: StoredApplicationCredential = {
      id: randomBytes(16).toString('hex'),
      user_id: userID,
      project_id: projectID ?? null,
      name: create.name,
      description: create.description ?? null,
      expires_at: expiresAt === null ? null : keystoneTime(expiresAt),
      unrestricted: create.unrestricted ?? false,
      secret: randomBytes(24).toString('base64url'),
    };
    this.stored.set(stored.id, stored);
    return answer(201, { application_credential: { ...view(stored), secret: stored.secret } });
  }

  /** Drops the credentials of users deleted since; their tokens find no user. */
  private forgetDeletedUsers(): void {
    for (const [id, credential] of this.stored)
      if (!this.userExists(credential.user_id)) this.stored.delete(id);
  }
}

/** Sends a JSON answer, or drops the connection when a fault says the call crashes after acting. */
type Answer = (status: number, payload?: unknown, headers?: Record<string, string>) => void;

interface AuthBody {
  identity?: {
    methods?: string[];
    password?: {
      user?: { id?: string; name?: string; password?: string; domain?: { id?: string; name?: string } };
    };
  };
  scope?: { project?: { id?: string } };
}

/** A time as Keystone answers it: UTC with microseconds and no zone, `2027-01-01T00:00:00.000000`. */
export function keystoneTime(time: string): string {
  return new Date(time).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

/** A credential as Keystone lists it: without its secret. */
function view(credential: StoredApplicationCredential): Omit<StoredApplicationCredential, 'secret'> {
  const { secret: _secret, ...rest } = credential;
  return rest;
}

function error(response: ServerResponse, code: number, message: string): void {
  const title = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
  }[code];
  sendJSON(response, code, { error: { code, message, title: title ?? 'Error' } });
}
