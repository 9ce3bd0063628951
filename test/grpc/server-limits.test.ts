import * as http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { to, type FunctionHandler } from '@crossplane-org/function-sdk-typescript';
import { pino } from 'pino';
import { functionRunnerService, newFunctionServer } from '../../functions/codec/service.js';
import { DEFAULT_SERVER_LIMITS, serverOptions, type ServerLimits } from '../../functions/server-limits.js';

// A caller that opens RunFunction streams by hand, over HTTP/2, and sends only part of a message:
// what a gRPC client library never does and a hostile one can.

const answer: FunctionHandler = { RunFunction: async (req) => to(req) };

let server: grpc.Server | undefined;
let session: http2.ClientHttp2Session | undefined;

afterEach(async () => {
  session?.destroy();
  session = undefined;
  if (server) await new Promise<void>((resolve) => server!.tryShutdown(() => resolve()));
  server = undefined;
});

async function start(
  limits: Partial<ServerLimits>,
  handler: FunctionHandler = answer,
): Promise<http2.ClientHttp2Session> {
  server = newFunctionServer(handler, pino({ level: 'silent' }), { ...DEFAULT_SERVER_LIMITS, ...limits });
  const port = await new Promise<number>((resolve, reject) =>
    server!.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  session = http2.connect(`http://127.0.0.1:${port}`);
  await new Promise<void>((resolve) => session!.once('remoteSettings', () => resolve()));
  return session;
}

interface Ended {
  grpcStatus: number | undefined;
  grpcMessage: string | undefined;
  rstCode: number;
}

/** A handler that holds every call until the test releases it, counting the calls it holds. */
function handlerGate() {
  const waiting: Array<() => void> = [];
  const watchers: Array<{ count: number; resolve: () => void }> = [];
  let total = 0;
  const gate = {
    running: 0,
    mostAtOnce: 0,
    handler: {
      RunFunction: async (req) => {
        gate.running++;
        total++;
        gate.mostAtOnce = Math.max(gate.mostAtOnce, gate.running);
        for (const w of watchers.filter((w) => total >= w.count)) w.resolve();
        await new Promise<void>((resolve) => waiting.push(resolve));
        gate.running--;
        return to(req);
      },
    } satisfies FunctionHandler,
    /** Resolves once `count` calls have reached the handler. */
    entered: (count: number) =>
      new Promise<void>((resolve) => (total >= count ? resolve() : watchers.push({ count, resolve }))),
    releaseOne: () => waiting.shift()?.(),
  };
  return gate;
}

/** A whole RunFunction call, a request of no fields, ended by the client as a gRPC client does. */
function wholeCall(client: http2.ClientHttp2Session): Promise<Ended> {
  return openCall(client, Buffer.alloc(5), true);
}

/**
 * Opens a RunFunction stream and sends the 5-byte gRPC prefix of a message of `declared` bytes and
 * `sent` bytes of it, without ending the stream. Resolves when the stream closes.
 */
function unfinishedCall(client: http2.ClientHttp2Session, declared: number, sent: number): Promise<Ended> {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(declared, 1);
  return openCall(client, Buffer.concat([prefix, Buffer.alloc(sent, 0x2a)]), false);
}

/** Sends `bytes` on a new RunFunction stream, ending it when `end`; resolves when the stream closes. */
function openCall(client: http2.ClientHttp2Session, bytes: Buffer, end: boolean): Promise<Ended> {
  const stream = client.request({
    ':method': 'POST',
    ':path': functionRunnerService.runFunction.path,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  if (end) stream.end(bytes);
  else stream.write(bytes);
  let headers: http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader = {};
  stream.on('response', (h) => (headers = { ...headers, ...h }));
  stream.on('trailers', (h) => (headers = { ...headers, ...h }));
  stream.resume();
  return new Promise((resolve) =>
    stream.on('close', () => {
      const status = headers['grpc-status'];
      const message = headers['grpc-message'];
      resolve({
        grpcStatus: status === undefined ? undefined : Number(status),
        grpcMessage: typeof message === 'string' ? decodeURIComponent(message) : undefined,
        rstCode: stream.rstCode ?? 0,
      });
    }),
  );
}

describe('the function server’s limits', () => {
  it('ends a call whose message never completes at the deadline, closing its stream', async () => {
    const client = await start({ callDeadlineMs: 200 });
    const ended = await unfinishedCall(client, 4 * 1024 * 1024 - 5, 64 * 1024);
    expect(ended).toEqual({
      grpcStatus: grpc.status.DEADLINE_EXCEEDED,
      grpcMessage:
        "cannot answer RunFunction: the call was not complete within the server's deadline of 200 ms",
      rstCode: http2.constants.NGHTTP2_NO_ERROR,
    });
    // The connection stays usable: a whole request is answered.
    expect((await wholeCall(client)).grpcStatus).toBe(grpc.status.OK);
  });

  it('tells the client how many streams a connection may open, and runs no more at once', async () => {
    const gate = handlerGate();
    const client = await start({ maxConcurrentStreams: 2 }, gate.handler);
    expect(client.remoteSettings.maxConcurrentStreams).toBe(2);
    const calls = [0, 1, 2].map(() => wholeCall(client));
    await gate.entered(2);
    // A third call would have reached the handler by now without the limit (it arrives with the
    // others); with it, the client holds the stream until one is free.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gate.running).toBe(2);
    gate.releaseOne();
    await gate.entered(3);
    gate.releaseOne();
    gate.releaseOne();
    expect((await Promise.all(calls)).map((e) => e.grpcStatus)).toEqual([0, 0, 0]);
    expect(gate.mostAtOnce).toBe(2);
  });

  it('closes a connection that has had no call for the idle time', async () => {
    const client = await start({ maxConnectionIdleMs: 200 });
    const ok = await wholeCall(client);
    expect(ok.grpcStatus).toBe(grpc.status.OK);
    const goaway = await new Promise<number>((resolve) => client.once('goaway', (code) => resolve(code)));
    expect(goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
  });

  it('passes every limit to grpc-js', () => {
    const limits: ServerLimits = {
      maxConcurrentStreams: 3,
      callDeadlineMs: 4,
      maxConnectionIdleMs: 5,
      keepaliveTimeMs: 6,
      keepaliveTimeoutMs: 7,
    };
    expect(serverOptions(limits, 1024)).toEqual({
      'grpc.max_receive_message_length': 1024,
      'grpc.max_concurrent_streams': 3,
      'grpc.max_connection_idle_ms': 5,
      'grpc.keepalive_time_ms': 6,
      'grpc.keepalive_timeout_ms': 7,
      interceptors: [expect.any(Function)],
    });
  });
});
