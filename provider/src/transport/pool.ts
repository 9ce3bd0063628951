/**
 * Kept-alive connections for the outbound transport: one agent per checked target (the address the
 * policy allowed, its port, the certificate's host name, TLS and CA) and connector, so a connection is
 * only ever reused for the address it was opened to. Without it every call opened a TCP connection and,
 * for HTTPS, paid a TLS handshake; at thousands of resources on a poll that was most of a call's CPU.
 */
import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';

/** Where a connection goes: the checked address, and the host name the certificate must match. */
export interface ConnectTarget {
  address: string;
  port: number;
  hostname: string;
  tls: boolean;
  ca?: string;
}

/** Opens the socket of one call; tests wrap the default to count connections. */
export type Connector = (target: ConnectTarget) => Socket;

/**
 * Connections open at once to one target; calls beyond wait for a free one (within their deadline).
 * The reconciles of one kind run --max-reconcile-rate at once, and most reach one endpoint.
 */
export const DEFAULT_MAX_SOCKETS_PER_TARGET = 32;

/**
 * How long an idle connection is kept: under gunicorn's 2 s keep-alive (Keystone behind it), Node.js
 * servers' 5 s and nginx's 75 s, so the server rarely closes a connection the provider is about to
 * reuse. A busy provider calls far more often than once a second, so reuse is not lost.
 */
export const IDLE_SOCKET_TIMEOUT_MS = 1_000;

const agents = new WeakMap<Connector, Map<string, HttpAgent>>();

/** The kept-alive agent of target through connector, created on first use. */
export function agentFor(target: ConnectTarget, connector: Connector, maxSockets: number): HttpAgent {
  let byTarget = agents.get(connector);
  if (byTarget === undefined) {
    byTarget = new Map();
    agents.set(connector, byTarget);
  }
  const ca = target.ca === undefined ? '' : createHash('sha256').update(target.ca).digest('hex');
  const key = [target.address, target.port, target.hostname, target.tls, ca, maxSockets].join(' ');
  let agent = byTarget.get(key);
  if (agent === undefined) {
    const options = { keepAlive: true, maxSockets, timeout: IDLE_SOCKET_TIMEOUT_MS };
    agent = target.tls ? new HttpsAgent(options) : new HttpAgent(options);
    // Every socket of this agent goes to the checked address, never one the agent would resolve.
    agent.createConnection = (() => connector(target)) as HttpAgent['createConnection'];
    byTarget.set(key, agent);
  }
  return agent;
}
