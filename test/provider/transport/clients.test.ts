// Every external API client goes through the one outbound transport: each rule is proven here for
// each client against a real loopback server that misbehaves (testing/fakes/hostile.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '../../../provider/src/compute/keystone.js';
import { NovaClient } from '../../../provider/src/compute/nova.js';
import { ResellerClient } from '../../../provider/src/reseller/client/client.js';
import { KeystoneClient } from '../../../provider/src/reseller/keystone/client.js';
import { StorageClient } from '../../../provider/src/storage/client.js';
import {
  ExternalAPIError,
  ResponseTooLargeError,
  RetryableError,
  UnauthorizedError,
} from '../../../provider/src/transport/errors.js';
import type { OutboundLimits } from '../../../provider/src/transport/http.js';
import { hostile, type Behaviour, type HostileServer } from '../../../testing/fakes/hostile.js';
import { rejection } from '../../support/provider/managed.js';

const PASSWORD = 'correct-horse-battery-staple';
const TOKEN = 'gAAAAABtoken-of-the-admin';

/** One call of each client to the server at `base`. */
const clients: Record<string, (base: string, limits: OutboundLimits) => Promise<unknown>> = {
  'reseller API': (base, limits) =>
    new ResellerClient({ endpoint: base, username: 'admin', password: PASSWORD }, limits).listProjects(),
  'Keystone of the reseller': (base, limits) =>
    new KeystoneClient(base, limits).authenticate({ userID: 'u1', password: PASSWORD, projectID: 'p1' }),
  'Keystone of the region': (base, limits) =>
    issueToken(
      base,
      {
        kind: 'password',
        username: 'nova-admin',
        password: PASSWORD,
        projectName: 'admin',
        userDomainName: 'Default',
        projectDomainName: 'Default',
      },
      limits,
    ),
  Nova: (base, limits) =>
    new NovaClient(base, async () => TOKEN, limits).findServices('compute-0', 'nova-compute'),
  'storage API': (base, limits) =>
    new StorageClient({
      endpoints: [new URL(base).host],
      adminToken: TOKEN,
      scheme: 'http',
      outbound: limits,
    }).getProject('p1'),
};
const names = Object.keys(clients);
/** The credential each client sends: a login password, or a token. */
const sent: Record<string, string> = {
  'reseller API': PASSWORD,
  'Keystone of the reseller': PASSWORD,
  'Keystone of the region': PASSWORD,
  Nova: TOKEN,
  'storage API': TOKEN,
};

const servers: HostileServer[] = [];
async function start(behaviour: Behaviour): Promise<HostileServer> {
  const server = await hostile(behaviour);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function call(name: string, base: string, limits: OutboundLimits = {}): Promise<unknown> {
  const client = clients[name];
  if (client === undefined) throw new Error(`no client ${name}`);
  return client(base, limits);
}

describe.each(names)('the %s client', (name) => {
  it('stops reading an answer past the size limit', async () => {
    const server = await start({ kind: 'oversized', bytes: 8 * 1024 * 1024 });
    const error = await rejection(call(name, server.url, { maxResponseBytes: 256 * 1024 }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toMatch(/ answered more than 262144 bytes, the limit of one answer$/);
  });

  it('refuses an answer whose declared length is past the limit without reading it', async () => {
    const server = await start({ kind: 'declared-oversized', declared: 1024 * 1024 * 1024 });
    const error = await rejection(call(name, server.url, { maxResponseBytes: 1024 }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toMatch(/ answered more than 1024 bytes, the limit of one answer$/);
  });

  it('gives up at the total deadline on a server that drips a byte at a time', async () => {
    // Each byte arrives well within any idle timeout; the whole answer would take 10 s.
    const server = await start({ kind: 'drip', everyMs: 20, bytes: 500 });
    const error = await rejection(call(name, server.url, { deadlineMs: 300 }));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toMatch(/: no answer within 300 ms( at 127\.0\.0\.1:\d+)?$/);
  });

  it.each([307, 308, 302])('does not follow a %d redirect to another scheme and host', async (status) => {
    const elsewhere = await start({ kind: 'answer', status: 200, body: {} });
    const server = await start({ kind: 'redirect', status, location: `${elsewhere.url}/stolen` });
    const error = await rejection(call(name, server.url));
    expect(error).toBeInstanceOf(ExternalAPIError);
    expect(error.message).toMatch(new RegExp(` answered ${status}, a redirect, which is not followed$`));
    expect(server.received).toHaveLength(1);
    // Nothing, and so neither the password nor the token, was sent where the redirect points.
    expect(elsewhere.received).toEqual([]);
  });

  it('scrubs the password or token the API echoes from the error', async () => {
    const secret = sent[name] ?? '';
    const server = await start({
      kind: 'answer',
      status: 401,
      body: { message: `invalid credentials "${secret}"`, error: { message: secret } },
    });
    const error = await rejection(call(name, server.url));
    expect(error).toBeInstanceOf(UnauthorizedError);
    // The region's Keystone adds what to fix after the API's words (compute/keystone.ts).
    expect(error.message).toMatch(/ answered 401: invalid credentials "\[redacted\]"(;|$)/);
    expect(error.message).not.toContain(secret);
  });
});

describe.each(names.filter((name) => name !== 'storage API'))('the %s client with a URL', (name) => {
  it('refuses user info in the URL and never names it', async () => {
    const server = await start({ kind: 'answer', status: 200, body: {} });
    const base = server.url.replace('http://', `http://admin:${PASSWORD}@`);
    const error = await rejection(call(name, base));
    expect(error.message).toMatch(
      / URL http:\/\/\*\*\*@127\.0\.0\.1:\d+ carries user info; remove it \(credentials belong in the Secret\)$/,
    );
    expect(error.message).not.toContain(PASSWORD);
    expect(server.received).toEqual([]);
  });
});
