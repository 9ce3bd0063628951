/**
 * The provider's one outbound HTTP(S) exchange, used by every external API client. Each call has a
 * total deadline (not only an idle timeout), reads the answer as a stream and stops past a size
 * limit, never follows a redirect (it would re-send credentials wherever the answer points), resolves
 * the host itself and asks an address policy before any connection opens, and connects to exactly
 * the address it checked (so a second DNS answer cannot swap in another). Errors never carry the
 * request's credentials.
 */
import { lookup } from 'node:dns/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { AddressPolicy } from './address-policy.js';
import {
  ExternalAPIError,
  ResponseTooLargeError,
  RetryableError,
  TargetNotAllowedError,
  type ExternalAPI,
} from './errors.js';
import { agentFor, DEFAULT_MAX_SOCKETS_PER_TARGET, type ConnectTarget, type Connector } from './pool.js';
import { redactURL, scrub } from './redact.js';

export type { ConnectTarget, Connector } from './pool.js';

/** How long a call may take and how much it may read; every client takes these. */
export interface OutboundLimits {
  /** The whole call, connecting to the last byte of the answer; default 30 s. */
  deadlineMs?: number;
  /** The largest answer body read; default 16 MiB. */
  maxResponseBytes?: number;
}

/** The addresses of a host name. */
export type Resolver = (hostname: string) => Promise<string[]>;

/** How a client reaches its server: limits, its CA, and the seams tests replace. */
export interface OutboundOptions extends OutboundLimits {
  /** PEM CA bundle that verifies the server; the system roots when absent. */
  ca?: string;
  /** Which resolved addresses may be reached; every address when absent. */
  policy?: AddressPolicy;
  connector?: Connector;
  resolver?: Resolver;
  /**
   * Reuse connections to the same checked target (default true); false opens one per call, for a
   * single delivery, which a kept-alive connection the server closed meanwhile would fail.
   */
  keepAlive?: boolean;
  /** Connections open at once to one target when kept alive; default 32. */
  maxSocketsPerTarget?: number;
}

/** One request: a JSON or form body or none. */
export interface OutboundRequest {
  api: ExternalAPI;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** The failure's message prefix, `cannot <verb> <noun>`. */
  operation: string;
  /** Values sent that must never reach a message (passwords); credential headers are added. */
  secrets?: string[];
}

/** Any answer, whatever its status. */
export interface OutboundAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export const DEFAULT_DEADLINE_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Headers whose values are credentials. */
const CREDENTIAL_HEADERS = ['authorization', 'x-auth-token'];

/** Opens a TCP or TLS connection to the checked address; SNI and the certificate check use the name. */
export const defaultConnector: Connector = (target) =>
  target.tls
    ? tlsConnect({
        host: target.address,
        port: target.port,
        ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
        ...(target.ca === undefined ? {} : { ca: target.ca }),
      })
    : netConnect({ host: target.address, port: target.port });

/** Every address the system resolver knows for the name. */
export const defaultResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** The values of a request that must not reach a message. */
export function secretsOf(request: OutboundRequest): string[] {
  const fromHeaders = Object.entries(request.headers ?? {})
    .filter(([name]) => CREDENTIAL_HEADERS.includes(name.toLowerCase()))
    .flatMap(([, value]) => [value, value.replace(/^Bearer /i, '')]);
  return [...(request.secrets ?? []), ...fromHeaders];
}

/**
 * Sends the request and resolves with the answer, whatever its status (a 3xx is an answer, not
 * followed). Rejects with TargetNotAllowedError before connecting, RetryableError when no answer
 * arrived within the deadline, ResponseTooLargeError past the size limit.
 */
export async function exchange(
  request: OutboundRequest,
  options: OutboundOptions = {},
): Promise<OutboundAnswer> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const fail = (message: string, cause?: unknown) =>
    new RetryableError(scrub(`${request.operation}: ${message}`, secretsOf(request)), undefined, { cause });
  const url = parseURL(request);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const tls = url.protocol === 'https:';
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);

  const started = Date.now();
  let addresses: string[];
  try {
    addresses =
      isIP(hostname) === 0
        ? await withDeadline((options.resolver ?? defaultResolver)(hostname), deadlineMs)
        : [hostname];
  } catch (error) {
    throw fail(`cannot resolve ${hostname} (${describeFailure(error, deadlineMs)})`, error);
  }
  const address = addresses[0];
  if (address === undefined) throw fail(`cannot resolve ${hostname} (no address)`);
  const policy = options.policy;
  const refused = policy === undefined ? undefined : addresses.find((a) => !policy(hostname, a));
  if (refused !== undefined) {
    throw new TargetNotAllowedError(
      `${request.operation}: ${hostname} resolves to ${refused}, which the address policy does not allow`,
    );
  }

  const { headers, payload } = encode(request);
  const connector = options.connector ?? defaultConnector;
  const target: ConnectTarget = {
    address,
    port,
    hostname,
    tls,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  };
  const remainingMs = Math.max(1, deadlineMs - (Date.now() - started));
  return new Promise<OutboundAnswer>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, answer?: OutboundAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error === undefined && answer !== undefined) resolve(answer);
      else reject(error);
    };
    const send = tls ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: request.method,
        headers,
        ...(options.keepAlive === false
          ? { createConnection: () => connector(target) }
          : {
              agent: agentFor(
                target,
                connector,
                options.maxSocketsPerTarget ?? DEFAULT_MAX_SOCKETS_PER_TARGET,
              ),
            }),
      },
      (response) => {
        const declared = Number(response.headers['content-length'] ?? 0);
        const tooLarge = () =>
          new ResponseTooLargeError(
            `${request.operation}: ${request.api} answered more than ${maxBytes} bytes, the limit of one answer`,
            response.statusCode,
          );
        if (declared > maxBytes) {
          settle(tooLarge());
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            settle(tooLarge());
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) =>
          settle(fail(`connection failed (${describeFailure(error, deadlineMs)})`, error)),
        );
        response.on('end', () =>
          settle(undefined, {
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    const deadline = setTimeout(() => {
      settle(fail(`no answer within ${deadlineMs} ms`));
      req.destroy();
    }, remainingMs);
    req.on('error', (error) =>
      settle(fail(`connection failed (${describeFailure(error, deadlineMs)})`, error)),
    );
    req.end(payload);
  });
}

/** The parsed JSON body, or undefined when empty or not JSON. */
export function jsonOf(answer: Pick<OutboundAnswer, 'text'>): unknown {
  if (answer.text === '') return undefined;
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}

/** The URL of a request; one with user info is refused, since node would send it as Basic auth. */
function parseURL(request: OutboundRequest): URL {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new ExternalAPIError(`${request.operation}: the ${request.api} URL is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ExternalAPIError(
      `${request.operation}: the ${request.api} URL must be https, not ${url.protocol.replace(':', '')}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ExternalAPIError(
      `${request.operation}: the ${request.api} URL ${redactURL(request.url)} carries user info; ` +
        'remove it (credentials belong in the Secret)',
    );
  }
  return url;
}

function encode(request: OutboundRequest): { headers: Record<string, string>; payload: string | undefined } {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let payload: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(request.json);
  } else if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(request.form).toString();
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  return { headers, payload };
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A short cause of a failure without an answer; never the request. */
function describeFailure(error: unknown, deadlineMs: number): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ETIMEDOUT') return `no answer within ${deadlineMs} ms`;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
