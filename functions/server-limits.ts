// What function-stackplane's gRPC server lets a caller hold, and for how long.
//
// A caller can open a stream, send most of a 4 MiB message and stop: grpc-js keeps what arrived until
// the message is complete, and without limits nothing ever ends such a call. Sixty of them took the
// server from 119 to 461 MiB and were still open 20 s later. So every call gets a deadline, each
// connection a bound on its open streams, and a connection with nothing to do is closed.
import * as http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';

export interface ServerLimits {
  /**
   * Streams one connection may have open (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS): a gRPC client
   * queues calls beyond it, and the server refuses a stream that does not.
   */
  maxConcurrentStreams: number;
  /**
   * Every call ends this long after it starts, answered DEADLINE_EXCEEDED if it has not been
   * answered, whether or not its message has arrived: the deadline a caller's grpc-timeout sets, for
   * callers that set none or a longer one.
   */
  callDeadlineMs: number;
  /** A connection without a call for this long is closed (GOAWAY); a client reconnects when it needs to. */
  maxConnectionIdleMs: number;
  /** The server pings a connection after this long without traffic, ... */
  keepaliveTimeMs: number;
  /** ... and closes it when the ping is not answered within this long: the peer is gone. */
  keepaliveTimeoutMs: number;
}

/**
 * The limits `function-stackplane` runs with.
 *
 * - 32 streams a connection: Crossplane sends all calls to one function pod over one connection, and
 *   a call of a hundred StorageClasses takes about 2 ms of CPU, so 32 in flight keep both cores busy
 *   while a hostile connection holds at most 32 × 4 MiB. (grpc-go, behind function-sdk-go, sets no
 *   limit.)
 * - 10 s a call: Crossplane gives a RunFunction call 10 s (`runFunctionTimeout` in its function
 *   runner) and abandons it then, so an answer later than that is read by no one.
 * - 5 minutes idle, a keepalive ping after 1 minute without traffic, answered within 20 s (grpc-go's
 *   keepalive timeout): a client that went away without closing its connection is noticed, and a
 *   connection no one uses stops holding its buffers.
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxConcurrentStreams: 32,
  callDeadlineMs: 10_000,
  maxConnectionIdleMs: 5 * 60_000,
  keepaliveTimeMs: 60_000,
  keepaliveTimeoutMs: 20_000,
};

/** The grpc-js server options that enforce `limits`, with `receiveLimit` as the largest message. */
export function serverOptions(limits: ServerLimits, receiveLimit: number): grpc.ServerOptions {
  return {
    'grpc.max_receive_message_length': receiveLimit,
    'grpc.max_concurrent_streams': limits.maxConcurrentStreams,
    'grpc.max_connection_idle_ms': limits.maxConnectionIdleMs,
    'grpc.keepalive_time_ms': limits.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': limits.keepaliveTimeoutMs,
    interceptors: [callDeadline(limits.callDeadlineMs)],
  };
}

/**
 * Ends every call `deadlineMs` after it starts with DEADLINE_EXCEEDED, as grpc-js does for a caller's
 * own grpc-timeout; a call answered first clears its timer.
 *
 * grpc-js ends a call with trailers only, which closes the server's half of the stream: a caller
 * that never finishes its message keeps the other half open, and with it the stream's slot on the
 * connection and what had arrived of the message. So the stream is then reset with NO_ERROR, which
 * HTTP/2 (RFC 9113, 8.1) provides for a server that answered before the request was complete, and
 * as grpc-go does when it ends a stream the client has not finished.
 */
export function callDeadline(deadlineMs: number): grpc.ServerInterceptor {
  return (_method, call) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        timer = setTimeout(() => {
          timer = undefined;
          call.sendStatus({
            code: grpc.status.DEADLINE_EXCEEDED,
            details: `cannot answer RunFunction: the call was not complete within the server's deadline of ${deadlineMs} ms`,
          });
          streamOf(call)?.close(http2.constants.NGHTTP2_NO_ERROR);
        }, deadlineMs);
        next({ onCancel: stop });
      },
      sendStatus(status, next) {
        stop();
        next(status);
      },
    });
  };
}

/**
 * The HTTP/2 stream under grpc-js's own call object, the first (and here only) interceptor's `call`.
 * grpc-js keeps it in a private field; a grpc-js without it leaves the stream to the caller, and
 * test/grpc/server-limits.test.ts fails.
 */
function streamOf(call: grpc.ServerInterceptingCallInterface): http2.Http2Stream | undefined {
  const stream = (call as unknown as { stream?: Partial<http2.Http2Stream> }).stream;
  return typeof stream?.close === 'function' &&
    typeof (stream as Partial<http2.ServerHttp2Stream>).respond === 'function'
    ? (stream as http2.Http2Stream)
    : undefined;
}
