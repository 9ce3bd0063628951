/**
 * Loopback servers that misbehave the way a broken or hostile API does, for the outbound transport's
 * limits: an answer far larger than any real one, an answer that drips a byte at a time, a redirect,
 * an error that echoes the request. Each records what it received.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serve, type RunningServer } from './http-server.js';
import type { SelfSigned } from './tls.js';

/** One request a hostile server received. */
export interface Received {
  method: string;
  path: string;
  body: string;
}

/** How a hostile server answers every request. */
export type Behaviour =
  /** 200 with `bytes` of JSON-ish filler in 64 KiB chunks, without content-length. */
  | { kind: 'oversized'; bytes: number }
  /** 200 with `declared` in content-length, then a few bytes. */
  | { kind: 'declared-oversized'; declared: number }
  /** 200, then one byte every `everyMs` for `bytes` bytes. */
  | { kind: 'drip'; everyMs: number; bytes: number }
  /** A redirect with this status to `location`. */
  | { kind: 'redirect'; status: number; location: string }
  /** `status` with this JSON body. */
  | { kind: 'answer'; status: number; body: unknown; headers?: Record<string, string> };

/** A started hostile server. */
export interface HostileServer extends RunningServer {
  received: Received[];
}

/** Starts a server on 127.0.0.1 that answers every request as `behaviour` says. */
export async function hostile(behaviour: Behaviour, tls?: SelfSigned): Promise<HostileServer> {
  const received: Received[] = [];
  const handler = async (request: IncomingMessage, body: string, response: ServerResponse) => {
    received.push({ method: request.method ?? '', path: request.url ?? '', body });
    await answer(behaviour, response);
  };
  const server = await serve(handler, tls);
  return { ...server, received };
}

async function answer(behaviour: Behaviour, response: ServerResponse): Promise<void> {
  switch (behaviour.kind) {
    case 'oversized': {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let sent = 0; sent < behaviour.bytes && !response.destroyed; sent += chunk.length) {
        if (!response.write(chunk))
          await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
      }
      response.end();
      return;
    }
    case 'declared-oversized':
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(behaviour.declared),
      });
      response.write('{"x":');
      return;
    case 'drip': {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let sent = 0; sent < behaviour.bytes && !response.destroyed; sent++) {
        response.write(' ');
        await new Promise((resolve) => setTimeout(resolve, behaviour.everyMs));
      }
      response.end('{}');
      return;
    }
    case 'redirect':
      response.writeHead(behaviour.status, { location: behaviour.location });
      response.end();
      return;
    case 'answer':
      response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      response.end(JSON.stringify(behaviour.body));
      return;
  }
}
