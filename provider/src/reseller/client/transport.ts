/**
 * One HTTP exchange with the reseller API over global fetch, and the mapping of its failures to the
 * typed errors of errors.ts. Knows nothing about tokens or paths beyond what it is given.
 */
import { z } from 'zod';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ResellerAPIError,
  RetryableError,
  UnauthorizedError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';

/** What the transport needs from its environment; tests inject their own. */
export interface TransportOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** How long one request may take before it counts as a (retryable) failure. Default 30 s. */
  requestTimeoutMs?: number;
}

/** Which API a transport talks to, as its messages name it. */
export type APIName = 'reseller API' | 'Keystone';

/** A request: JSON body, form body or none; `bearer` adds the Authorization header. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  json?: unknown;
  form?: Record<string, string>;
  bearer?: string;
  /** Further request headers, for example Keystone's X-Auth-Token. */
  headers?: Record<string, string>;
  /** The failure's message prefix, `cannot <verb> <noun>`. */
  operation: string;
}

/** A successful answer: its status and its parsed JSON body (undefined when empty, as for 204). */
export interface TransportResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

const DEFAULT_TIMEOUT_MS = 30_000;

const envelopeMessage = z.object({
  message: z.string().nullish(),
  detail: z.unknown().optional(),
  // Keystone's error body.
  error: z.object({ message: z.string() }).optional(),
});
const validationBody = z.object({
  detail: z.array(
    z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
  ),
});

/** Sends requests to one reseller API endpoint. */
export class ResellerTransport {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    endpoint: string,
    options: TransportOptions = {},
    private readonly api: APIName = 'reseller API',
  ) {
    this.base = endpoint.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Sends the request; resolves for 2xx and throws a ResellerAPIError subclass for anything else. */
  async send(request: TransportRequest): Promise<TransportResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    if (request.bearer !== undefined) headers.authorization = `Bearer ${request.bearer}`;

    let response: Response;
    let text: string;
    try {
      response = await this.fetch(this.base + request.path, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new RetryableError(
        `${request.operation}: ${describeNetworkFailure(error, this.timeoutMs)}`,
        undefined,
        {
          cause: error,
        },
      );
    }

    const parsed = parseJSON(text);
    if (response.ok) {
      if (text !== '' && parsed === undefined) {
        throw new ResellerAPIError(
          `${request.operation}: ${this.api} answered ${response.status} with a body that is not JSON`,
          response.status,
        );
      }
      return { status: response.status, body: parsed, headers: response.headers };
    }
    throw errorFor(this.api, request.operation, response.status, parsed);
  }
}

/** The typed error for a non-2xx answer. */
function errorFor(api: APIName, operation: string, status: number, body: unknown): ResellerAPIError {
  if (status === 422) {
    const issues = parseIssues(body);
    const where = issues.map((issue) => `${issue.loc.join('.')}: ${issue.msg}`).join('; ');
    return new ValidationError(
      `${operation}: ${api} rejected the request (422)${where === '' ? '' : `: ${where}`}`,
      issues,
    );
  }
  const apiMessage = envelopeMessage.safeParse(body);
  const said =
    apiMessage.success && typeof apiMessage.data.message === 'string' && apiMessage.data.message !== ''
      ? `: ${apiMessage.data.message}`
      : apiMessage.success && typeof apiMessage.data.detail === 'string'
        ? `: ${apiMessage.data.detail}`
        : apiMessage.success && apiMessage.data.error !== undefined
          ? `: ${apiMessage.data.error.message}`
          : '';
  const message = `${operation}: ${api} answered ${status}${said}`;
  if (status === 404) return new NotFoundError(message, status);
  if (status === 405) return new NotAllowedError(message, status);
  if (status === 409) return new ConflictError(message, status);
  if (status === 401 || status === 403) return new UnauthorizedError(message, status);
  if (status === 429 || status >= 500) return new RetryableError(message, status);
  return new ResellerAPIError(message, status);
}

/** The 422 detail without the rejected input, which may hold a password. */
function parseIssues(body: unknown): ValidationIssue[] {
  const parsed = validationBody.safeParse(body);
  if (!parsed.success) return [];
  return parsed.data.detail.map((issue) => ({
    loc: issue.loc.map(String),
    msg: issue.msg,
    type: issue.type,
  }));
}

function parseJSON(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short cause for a failure without an answer; never the request. */
function describeNetworkFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause !== undefined && typeof cause.code === 'string') return `connection failed (${cause.code})`;
  return `connection failed (${error instanceof Error ? error.message : String(error)})`;
}
