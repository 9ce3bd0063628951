/** A loopback HTTP(S) server on an ephemeral port for the fake APIs. */
import {
  createServer as createHTTPServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHTTPSServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A request's handler; it answers through `response` or destroys the socket. */
export type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => Promise<void>;

/** A started fake server. */
export interface RunningServer {
  /** Base URL, for example http://127.0.0.1:40123. */
  url: string;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 with an ephemeral port; with `tls`, over HTTPS with that key and cert. */
export async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<RunningServer> {
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      handler(request, Buffer.concat(chunks).toString('utf8'), response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ status: 500, message: `fake server failed: ${String(error)}` }));
        }
      });
    });
  };
  const server: Server = tls === undefined ? createHTTPServer(listener) : createHTTPSServer(tls, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

/**
 * What every fake does around its handler: start on 127.0.0.1 (over HTTPS with `tls`), stop, and
 * say where it listens. `start()` it, point a client at it, `stop()` it after the test.
 */
export abstract class FakeServer {
  private running: RunningServer | undefined;

  /** `address` names what a caller asks for before start(), in the error: "fake Nova url". */
  protected constructor(
    private readonly address: string,
    private readonly serverTLS?: { key: string; cert: string },
  ) {}

  /** The base URL, for example http://127.0.0.1:40123; only valid after start(). */
  protected get baseURL(): string {
    if (this.running === undefined) throw new Error(`cannot get the ${this.address}: not started`);
    return this.running.url;
  }

  async start(): Promise<this> {
    this.running = await serve(
      (request, body, response) => this.handle(request, body, response),
      this.serverTLS,
    );
    return this;
  }

  async stop(): Promise<void> {
    await this.running?.close();
    this.running = undefined;
  }

  protected abstract handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void>;
}

/** Answers with a JSON body (none for 204). */
export function sendJSON(
  response: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
