/**
 * One HTTP(S) exchange over node:http(s), so a provider config's own CA bundle can verify the server.
 * Used for the region's Keystone and Nova, and for webhooks. Knows nothing of either API.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** How to reach a server. */
export interface HttpOptions {
  /** PEM CA bundle that verifies the server; the system roots when absent. */
  ca?: string;
  /** How long one request may take; default 30 s. */
  timeoutMs?: number;
}

/** A request: a JSON body or none. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
}

/** Any answer, whatever its status. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** No answer arrived: refused, reset, timed out or TLS failed. The cause says which. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends the request and resolves with the answer; rejects with NoAnswerError when there is none. */
export function exchange(request: HttpRequest, options: HttpOptions = {}): Promise<HttpAnswer> {
  const url = new URL(request.url);
  const payload = request.json === undefined ? undefined : JSON.stringify(request.json);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown) => reject(new NoAnswerError(describeFailure(cause, timeoutMs), { cause }));
    const req = send(
      url,
      {
        method: request.method,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        headers: {
          accept: 'application/json',
          ...request.headers,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
        },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', fail);
    req.end(payload);
  });
}

/** The parsed JSON body, or undefined when empty or not JSON. */
export function jsonOf(answer: HttpAnswer): unknown {
  if (answer.text === '') return undefined;
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short cause of a failure without an answer; never the request. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms`;
  if (typeof code === 'string') return `connection failed (${code})`;
  return `connection failed (${error instanceof Error ? error.message : String(error)})`;
}
