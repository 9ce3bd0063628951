// --timeout bounds the whole render, as the CLI's does: a function that never answers ends it.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFiles } from '../../render/render.js';

let server: Server;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Accepts connections and never says a word: no HTTP/2 settings, no response.
  server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('renderFiles with a timeout', () => {
  it('stops when the function does not answer in time, naming the XR and the flag', async () => {
    const { port } = server.address() as { port: number };
    const started = Date.now();
    await expect(
      renderFiles({
        xrPath: 'examples/postgres/aws/xr.yaml',
        requiredPaths: ['examples/postgres/aws/prerequisites.yaml'],
        functionAddress: `127.0.0.1:${port}`,
        timeoutMs: 300,
      }),
    ).rejects.toThrow('cannot render Postgres "orders": timed out after 0.3s (--timeout)');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
