/** Waiting for processes to become ready, and free loopback ports. */
import { createServer } from 'node:net';
import { tail, type RunningProcess } from './processes.js';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls check until it returns true; fails early when the process exits, with its log's tail. */
export async function waitFor(
  what: string,
  process: RunningProcess | undefined,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exit = process?.exit();
    if (exit !== undefined) throw new Error(`${what} exited (${exit}):\n${tail(process!.logFile)}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms${process ? `:\n${tail(process.logFile)}` : ''}`);
}
