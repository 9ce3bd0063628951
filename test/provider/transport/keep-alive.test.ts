// The outbound transport keeps connections alive per checked target: calls to one API reuse a
// connection (and over HTTPS its TLS handshake) instead of opening one each, up to a bound per target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultConnector,
  exchange,
  type ConnectTarget,
  type OutboundOptions,
} from '../../../provider/src/transport/http.js';
import { hostile, type HostileServer } from '../../../testing/fakes/hostile.js';
import { selfSignedLoopback } from '../../../testing/fakes/tls.js';

const tls = selfSignedLoopback();
let plain: HostileServer;
let secure: HostileServer;
beforeAll(async () => {
  plain = await hostile({ kind: 'answer', status: 200, body: { ok: true } });
  secure = await hostile({ kind: 'answer', status: 200, body: { ok: true } }, tls);
});
afterAll(async () => {
  await plain.close();
  await secure.close();
});

/** Makes calls GETs, `atOnce` at a time, through a connector that counts the connections it opens. */
async function connectionsFor(
  server: () => HostileServer,
  calls: number,
  atOnce: number,
  options: OutboundOptions = {},
): Promise<{ connections: number; statuses: number[] }> {
  const opened: ConnectTarget[] = [];
  const counting = (target: ConnectTarget) => {
    opened.push(target);
    return defaultConnector(target);
  };
  const statuses: number[] = [];
  for (let done = 0; done < calls; done += atOnce) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(atOnce, calls - done) }, () =>
        exchange(
          {
            api: 'reseller API',
            method: 'GET',
            url: `${server().url}/api/v1/project`,
            operation: 'cannot list projects',
          },
          { ...options, ca: tls.cert, connector: counting },
        ),
      ),
    );
    statuses.push(...answers.map((a) => a.status));
  }
  return { connections: opened.length, statuses };
}

describe('outbound connections', () => {
  it.each<{
    reason: string;
    server: () => HostileServer;
    atOnce: number;
    options: OutboundOptions;
    want: number;
  }>([
    {
      reason: 'HTTP calls one after another share one connection',
      server: () => plain,
      atOnce: 1,
      options: {},
      want: 1,
    },
    {
      reason: 'HTTPS calls one after another share one connection and its handshake',
      server: () => secure,
      atOnce: 1,
      options: {},
      want: 1,
    },
    {
      reason: 'calls at once open no more than the bound per target',
      server: () => secure,
      atOnce: 6,
      options: { maxSocketsPerTarget: 2 },
      want: 2,
    },
    {
      reason: 'without keep-alive every call opens its own',
      server: () => secure,
      atOnce: 1,
      options: { keepAlive: false },
      want: 6,
    },
  ])('$reason', async ({ server, atOnce, options, want }) => {
    expect(await connectionsFor(server, 6, atOnce, options)).toEqual({
      connections: want,
      statuses: [200, 200, 200, 200, 200, 200],
    });
  });
});
