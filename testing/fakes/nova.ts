/**
 * A fake of one OpenStack region's Keystone and Nova over real HTTP(S) on loopback, for
 * ComputeService: Keystone v3 tokens for an application credential or a password user, with a service
 * catalog naming Nova; and Nova's os-services at microversion 2.53 (UUID ids, update by id), with
 * Nova's error bodies, its 400 for a disabled reason when enabling and its 403 for a non-admin.
 * Without the microversion header it answers as 2.1 does: integer ids, no update by id.
 *
 * Agents register services as nova-compute does on first start: `register(host)`. Standalone use:
 * `const nova = await new FakeNova().start()`; `nova.authURL` is the provider config's auth URL and
 * `nova.services()` shows what the provider made of them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultPlan } from './faults.js';
import { FakeServer, sendJSON } from './http-server.js';
import { validatedToken } from './keystone-token.js';
import type { SelfSigned } from './tls.js';

/** A Nova service record, as Nova stores it. */
export interface StoredService {
  uuid: string;
  legacyID: number;
  binary: string;
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  state: 'up' | 'down';
  disabled_reason: string | null;
  forced_down: boolean;
  updated_at: string;
}

/** Credentials the fake Keystone accepts; `admin` decides whether Nova lets them manage services. */
export type FakeCredential =
  | { kind: 'applicationCredential'; id: string; secret: string; admin: boolean }
  | {
      kind: 'password';
      username: string;
      password: string;
      projectName: string;
      admin: boolean;
      /** The user's and the project's domain name; `Default` when absent. Compared case-sensitively. */
      domainName?: string;
    };

export interface FakeNovaOptions {
  /** Serve HTTPS with this certificate; plain HTTP without. */
  tls?: SelfSigned;
  region?: string;
  credentials?: FakeCredential[];
  /** How long tokens live; default one hour. */
  tokenLifetimeMs?: number;
  /**
   * A real Keystone (its v3 URL) instead of the fake's own: logins go there, and Nova validates each
   * token with it (GET /v3/auth/tokens, the token as its own subject), the admin role deciding.
   */
  keystoneURL?: string;
}

/** The application credential the fake accepts unless told otherwise. */
export const DEFAULT_APPLICATION_CREDENTIAL = {
  kind: 'applicationCredential' as const,
  id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  secret: 'fake-application-credential-secret',
  admin: true,
};

/** One request as the fake saw it, for tests that count logins or updates. */
export interface SeenRequest {
  method: string;
  path: string;
}

const MICROVERSION = 53;

/** The fake region; `start()` it, then use `authURL` in the provider config. */
export class FakeNova extends FakeServer {
  readonly faults = new FaultPlan();
  readonly requests: SeenRequest[] = [];
  private readonly stored = new Map<string, StoredService>();
  private readonly tokens = new Map<string, { admin: boolean; expiresAt: number }>();
  private nextLegacyID = 1;
  readonly region: string;
  private readonly credentials: FakeCredential[];

  constructor(private readonly options: FakeNovaOptions = {}) {
    super('fake Nova url', options.tls);
    this.region = options.region ?? 'RegionOne';
    this.credentials = [...(options.credentials ?? [DEFAULT_APPLICATION_CREDENTIAL])];
  }

  get url(): string {
    return this.baseURL;
  }

  /** The PEM certificate that verifies the fake (it is its own CA); undefined over plain HTTP. */
  get ca(): string | undefined {
    return this.options.tls?.cert;
  }

  /** The Keystone v3 endpoint: the real Keystone's, or the fake's own. */
  get authURL(): string {
    return this.options.keystoneURL ?? `${this.url}/identity/v3`;
  }

  /** The Nova endpoint the catalog names. */
  get computeURL(): string {
    return `${this.url}/compute/v2.1`;
  }

  /** What nova-compute does when it first starts on `host`: its service record appears, enabled. */
  register(
    host: string,
    options: { binary?: string; zone?: string; state?: 'up' | 'down' } = {},
  ): StoredService {
    const service: StoredService = {
      uuid: randomUUID(),
      legacyID: this.nextLegacyID++,
      binary: options.binary ?? 'nova-compute',
      host,
      zone: options.zone ?? 'nova',
      status: 'enabled',
      state: options.state ?? 'up',
      disabled_reason: null,
      forced_down: false,
      updated_at: new Date().toISOString(),
    };
    this.stored.set(service.uuid, service);
    return service;
  }

  /** The agent stops (down) or reports again (up). */
  setState(host: string, state: 'up' | 'down', binary = 'nova-compute'): void {
    const service = this.service(host, binary);
    if (service === undefined) throw new Error(`the fake Nova has no ${binary} on ${host}`);
    service.state = state;
  }

  /** The record of a host's service, as Nova has it now. */
  service(host: string, binary = 'nova-compute'): StoredService | undefined {
    return [...this.stored.values()].find((s) => s.host === host && s.binary === binary);
  }

  /** Every service record. */
  services(): StoredService[] {
    return [...this.stored.values()];
  }

  /** Logins so far. */
  get logins(): number {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/identity/v3/auth/tokens').length;
  }

  /** Service updates so far. */
  get updates(): number {
    return this.requests.filter((r) => r.method === 'PUT').length;
  }

  /** Keystone accepts these credentials from now on, as after an application credential's creation. */
  accept(credential: FakeCredential): void {
    this.credentials.push(credential);
  }

  /** Keystone no longer knows the application credential: it was deleted. */
  forget(id: string): void {
    const index = this.credentials.findIndex((c) => c.kind === 'applicationCredential' && c.id === id);
    if (index >= 0) this.credentials.splice(index, 1);
  }

  /** Keystone revokes every token, as on a credential rotation. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  protected async handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    this.requests.push({ method, path: url.pathname });
    const fault = this.faults.next(method !== 'GET');
    if (fault?.kind === 'status') return novaError(response, fault.status, 'Injected fault');
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    const answer = (status: number, payload?: unknown, headers?: Record<string, string>): void => {
      if (fault?.kind === 'crash-after-perform') request.socket.destroy();
      else sendJSON(response, status, payload, headers);
    };
    if (url.pathname === '/identity/v3/auth/tokens' && method === 'POST' && !this.options.keystoneURL)
      return this.authenticate(body, answer);
    if (!url.pathname.startsWith('/compute/v2.1/')) return keystoneError(response, 404, 'Not Found');

    const session = await this.session(String(request.headers['x-auth-token'] ?? ''));
    if (session === undefined || session.expiresAt <= Date.now())
      return keystoneError(response, 401, 'The request you have made requires authentication.');
    const version = microversion(request.headers['openstack-api-version']);
    if (version === undefined) return novaError(response, 406, 'Version not supported');
    const path = url.pathname.slice('/compute/v2.1'.length);
    if (!session.admin) {
      const action = method === 'GET' ? 'list' : 'update';
      return novaError(
        response,
        403,
        `Policy doesn't allow os_compute_api:os-services:${action} to be performed.`,
      );
    }
    if (path === '/os-services' && method === 'GET') {
      const host = url.searchParams.get('host');
      const binary = url.searchParams.get('binary');
      const listed = this.services()
        .filter((s) => (host === null || s.host === host) && (binary === null || s.binary === binary))
        .map((s) => view(s, version));
      return answer(200, { services: listed });
    }
    const match = /^\/os-services\/([^/]+)$/.exec(path);
    if (match !== null && method === 'PUT') {
      // Before 2.53 a service is updated through /enable, /disable and /disable-log-reason only.
      const service = version >= MICROVERSION ? this.stored.get(decodeURIComponent(match[1]!)) : undefined;
      if (service === undefined) return novaError(response, 404, `Service ${match[1]} not found.`);
      return this.update(service, body, response, answer);
    }
    return novaError(response, 404, 'The resource could not be found.');
  }

  /** Who a token is: the fake's own, or what the real Keystone says of it. */
  private async session(token: string): Promise<{ admin: boolean; expiresAt: number } | undefined> {
    const keystone = this.options.keystoneURL;
    return keystone === undefined ? this.tokens.get(token) : validatedToken(keystone, token);
  }

  private authenticate(
    body: string,
    answer: (status: number, payload?: unknown, headers?: Record<string, string>) => void,
  ): void {
    const auth = (JSON.parse(body || '{}') as { auth?: AuthBody }).auth;
    const identity = auth?.identity;
    // Keystone answers 404 for an application credential id it does not know, 401 for a wrong secret.
    const givenID = identity?.application_credential?.id;
    if (
      identity?.methods?.[0] === 'application_credential' &&
      !this.credentials.some((c) => c.kind === 'applicationCredential' && c.id === givenID)
    ) {
      return answer(404, {
        error: {
          code: 404,
          title: 'Not Found',
          message: `Could not find Application Credential: ${givenID ?? ''}.`,
        },
      });
    }
    const found = this.credentials.find((c) => {
      if (c.kind === 'applicationCredential') {
        const given = identity?.application_credential;
        return (
          identity?.methods?.[0] === 'application_credential' &&
          given?.id === c.id &&
          given.secret === c.secret
        );
      }
      const user = identity?.password?.user;
      return (
        identity?.methods?.[0] === 'password' &&
        user?.name === c.username &&
        user.password === c.password &&
        user.domain?.name === (c.domainName ?? 'Default') &&
        auth?.scope?.project?.name === c.projectName &&
        auth.scope.project.domain?.name === (c.domainName ?? 'Default')
      );
    });
    if (found === undefined) {
      return answer(401, {
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      });
    }
    const token = randomBytes(16).toString('hex');
    const expiresAt = Date.now() + (this.options.tokenLifetimeMs ?? 3_600_000);
    this.tokens.set(token, { admin: found.admin, expiresAt });
    const endpoint = (iface: string) => ({
      id: randomBytes(8).toString('hex'),
      interface: iface,
      region: this.region,
      region_id: this.region,
      url: this.computeURL,
    });
    return answer(
      201,
      {
        token: {
          methods: [identity?.methods?.[0]],
          expires_at: new Date(expiresAt).toISOString(),
          catalog: [
            { type: 'identity', name: 'keystone', endpoints: [{ ...endpoint('public'), url: this.authURL }] },
            { type: 'compute', name: 'nova', endpoints: [endpoint('public'), endpoint('internal')] },
          ],
        },
      },
      { 'x-subject-token': token },
    );
  }

  private update(
    service: StoredService,
    body: string,
    response: ServerResponse,
    answer: (status: number, payload?: unknown) => void,
  ): void {
    const change = JSON.parse(body || '{}') as {
      status?: unknown;
      disabled_reason?: unknown;
      forced_down?: unknown;
    };
    if (change.status === undefined && change.forced_down === undefined) {
      return novaError(
        response,
        400,
        "At least one of 'status' or 'forced_down' must be specified in the request body.",
      );
    }
    if (change.status !== undefined && change.status !== 'enabled' && change.status !== 'disabled') {
      return novaError(
        response,
        400,
        `Invalid input for field/attribute status. Value: ${String(change.status)}.`,
      );
    }
    if (change.disabled_reason !== undefined) {
      if (change.status !== 'disabled')
        return novaError(response, 400, "Specifying 'disabled_reason' with status 'enabled' is invalid.");
      if (typeof change.disabled_reason !== 'string' || change.disabled_reason.length > 255)
        return novaError(response, 400, 'Invalid input for field/attribute disabled_reason.');
    }
    if (change.status === 'enabled') {
      service.status = 'enabled';
      service.disabled_reason = null;
    } else if (change.status === 'disabled') {
      service.status = 'disabled';
      service.disabled_reason = (change.disabled_reason as string | undefined) ?? null;
    }
    return answer(200, { service: view(service, MICROVERSION) });
  }
}

interface AuthBody {
  identity?: {
    methods?: string[];
    application_credential?: { id?: string; secret?: string };
    password?: { user?: { name?: string; password?: string; domain?: { name?: string } } };
  };
  scope?: { project?: { name?: string; domain?: { name?: string } } };
}

/** `compute 2.53` → 53; absent → 1 (2.1); a version beyond what the fake serves → undefined. */
function microversion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return 1;
  const match = /^compute 2\.(\d+)$/.exec(String(header).trim());
  if (match === null) return undefined;
  const minor = Number(match[1]);
  return minor <= MICROVERSION ? minor : undefined;
}

/** A service as os-services shows it at a microversion (keys in Nova's order). */
function view(s: StoredService, version: number): Record<string, unknown> {
  return {
    id: version >= MICROVERSION ? s.uuid : s.legacyID,
    binary: s.binary,
    disabled_reason: s.disabled_reason,
    host: s.host,
    state: s.state,
    status: s.status,
    updated_at: s.updated_at,
    forced_down: s.forced_down,
    zone: s.zone,
  };
}

const NOVA_FAULTS: Record<number, string> = {
  400: 'badRequest',
  403: 'forbidden',
  404: 'itemNotFound',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  429: 'overLimit',
};

function novaError(response: ServerResponse, code: number, message: string): void {
  sendJSON(response, code, { [NOVA_FAULTS[code] ?? 'computeFault']: { code, message } });
}

function keystoneError(response: ServerResponse, code: number, message: string): void {
  sendJSON(response, code, { error: { code, message, title: code === 401 ? 'Unauthorized' : 'Not Found' } });
}
