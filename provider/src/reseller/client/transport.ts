/**
 * One exchange with the reseller API (or its Keystone) over the provider's outbound transport, and the
 * mapping of its answers to the typed errors of transport/errors.ts. Knows nothing about tokens or
 * paths beyond what it is given.
 */
import { ExternalAPIError } from '../../transport/errors.js';
import { failureOf, succeeded } from '../../transport/failure.js';
import { exchange, jsonOf, type OutboundOptions, type OutboundRequest } from '../../transport/http.js';

/** What the transport needs from its environment: limits, and the seams tests replace. */
export type TransportOptions = Omit<OutboundOptions, 'ca' | 'policy'>;

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
  /** Values sent that must never reach a message, for example the login password. */
  secrets?: string[];
}

/** A successful answer: its status and its parsed JSON body (undefined when empty, as for 204). */
export interface TransportResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Sends requests to one reseller API endpoint. */
export class ResellerTransport {
  private readonly base: string;

  constructor(
    endpoint: string,
    private readonly options: TransportOptions = {},
    private readonly api: APIName = 'reseller API',
  ) {
    this.base = endpoint.replace(/\/+$/, '');
  }

  /** Sends the request; resolves for 2xx and throws an ExternalAPIError subclass for anything else. */
  async send(request: TransportRequest): Promise<TransportResponse> {
    const outbound: OutboundRequest = {
      api: this.api,
      method: request.method,
      url: this.base + request.path,
      headers: {
        ...request.headers,
        ...(request.bearer === undefined ? {} : { authorization: `Bearer ${request.bearer}` }),
      },
      operation: request.operation,
      ...(request.json === undefined ? {} : { json: request.json }),
      ...(request.form === undefined ? {} : { form: request.form }),
      ...(request.secrets === undefined ? {} : { secrets: request.secrets }),
    };
    const answer = await exchange(outbound, this.options);
    if (!succeeded(answer)) throw failureOf(outbound, answer);
    const parsed = jsonOf(answer);
    if (answer.text !== '' && parsed === undefined) {
      throw new ExternalAPIError(
        `${request.operation}: ${this.api} answered ${answer.status} with a body that is not JSON`,
        answer.status,
      );
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    return { status: answer.status, body: parsed, headers };
  }
}
