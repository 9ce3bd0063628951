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
import type { Quotas } from '../../provider/src/reseller/client/types.js';
import { FaultPlan, type FaultRates } from './faults.js';
import { FakeServer, sendJSON, sleep } from './http-server.js';
import type { ResellerIdentity } from './reseller-identity.js';
import { route } from './reseller-routes.js';
import {
  DEFAULT_ACCOUNT,
  ResellerStore,
  type ResellerAccount,
  type StoredProject,
  type StoredUser,
} from './reseller-store.js';

export {
  DEFAULT_ACCOUNT,
  RESELLER_OPENAPI_PATH,
  type ResellerAccount,
  type StoredProject,
  type StoredUser,
} from './reseller-store.js';

export interface FakeResellerOptions {
  accounts?: ResellerAccount[];
  /** Lifetime of issued tokens; their JWT `exp` says it too. Default one hour. */
  tokenLifetimeMs?: number;
  /** The fake's clock. */
  now?: () => number;
  faults?: FaultRates;
  /** Where projects, users and memberships are made (keystoneIdentity: a real Keystone); none by default. */
  identity?: ResellerIdentity;
}

/** One request as the fake saw it, without headers or body (which hold credentials). */
export interface SeenRequest {
  method: string;
  path: string;
  /** The status answered; undefined when the connection was dropped. */
  status: number | undefined;
}

/** The fake reseller API; `start()` it, point a client at `url`, `stop()` it after the test. */
export class FakeResellerAPI extends FakeServer {
  readonly projects: Map<string, StoredProject>;
  readonly users: Map<string, StoredUser>;
  /** Memberships as `${projectID}/${userID}`. */
  readonly memberships: Set<string>;
  readonly quotas: Map<string, Required<Quotas>>;
  readonly requests: SeenRequest[] = [];
  readonly faults: FaultPlan;
  /** How many logins succeeded. */
  logins = 0;

  private readonly accounts: ResellerAccount[];
  private readonly store: ResellerStore;
  private readonly tokenLifetimeMs: number;
  private readonly now: () => number;
  private readonly signingKey = randomBytes(32);
  private readonly revokedBefore = { at: 0 };

  constructor(options: FakeResellerOptions = {}) {
    super('fake reseller API url');
    this.accounts = options.accounts ?? [DEFAULT_ACCOUNT];
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
    this.faults = new FaultPlan(options.faults);
    this.store = new ResellerStore(this.accounts[0]!, options.faults?.seed ?? 7, options.identity);
    this.projects = this.store.projects;
    this.users = this.store.users;
    this.memberships = this.store.memberships;
    this.quotas = this.store.quotas;
  }

  /** The base URL; only valid after start(). */
  get url(): string {
    return this.baseURL;
  }

  /** Makes every token issued so far answer 401, as after a restart of the API or a key rotation. */
  revokeTokens(): void {
    this.revokedBefore.at = this.now() + 1;
  }

  /** Stores a project directly, as if created earlier (by someone else, or by a crashed create). */
  seedProject(fields: Partial<StoredProject> & { name: string }): StoredProject {
    return this.store.seedProject(fields);
  }

  /** Makes a project as if created earlier, in the identity service too (a real Keystone's id). */
  addProject(fields: Partial<StoredProject> & { name: string }): Promise<StoredProject> {
    return this.store.addProject(fields);
  }

  /** Stores a user directly. */
  seedUser(fields: Partial<StoredUser> & { name: string }): StoredUser {
    return this.store.seedUser(fields);
  }

  /** Makes a user as if created earlier, in the identity service too. */
  addUser(fields: Partial<StoredUser> & { name: string; password: string }): Promise<StoredUser> {
    return this.store.addUser(fields);
  }

  /** Makes a membership as if granted earlier, in the identity service too. */
  addMembership(projectID: string, userID: string): Promise<void> {
    return this.store.addMembership(projectID, userID);
  }

  /** The user with this id or name and password, for the Keystone fake. */
  authenticate(idOrName: string, password: string): StoredUser | undefined {
    return this.store.authenticate(idOrName, password);
  }

  protected async handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
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
    const [status, payload] = await route(this.store, account, method, path, body);
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
    const issues = this.store.schemas.validate('LoginForm', form);
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
}
