// The FunctionRunnerService with Stackplane's codec in place of the SDK's generated one.
//
// The seam: grpc-js takes a service definition (path plus serialize and deserialize functions) and a
// handler. The SDK exports its definition, `FunctionRunnerServiceService`, and the pieces of its server
// (`FunctionRunner` with the last-resort catch, `startServer` with the TLS and bind logic). We build
// our own server from those parts with a definition of our own that reuses the SDK's path and names,
// rather than patching the SDK's exported object: that object is shared by everything importing the
// SDK (clients in tests, the render tooling), and mutating it would swap their codec too, silently.
import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunner,
  FunctionRunnerServiceService,
  fatal,
  RunFunctionResponse,
  to,
  type FunctionHandler,
  type RunFunctionRequest,
} from '@crossplane-org/function-sdk-typescript';
import type { Logger } from 'pino';
import { CodecError, MAX_MESSAGE_BYTES, MessageTooLargeError } from './limits.js';
import { decodeRunFunctionRequest } from './request-decode.js';
import { encodeRunFunctionResponseLent, returnLent } from './response-encode.js';
import { DEFAULT_SERVER_LIMITS, serverOptions, type ServerLimits } from '../server-limits.js';

/**
 * A decoded request, or why it could not be decoded (the handler answers with the reason), in a box
 * the handler empties. grpc-js keeps the deserialized message until the call ends, and a response
 * can wait for HTTP/2 flow control long after the handler is done: a request kept that long
 * outlives V8's young generation and is promoted, one more 70 KiB (at 100 StorageClasses) for every
 * call in flight to collect with a full garbage collection. Taken out of the box, it dies young.
 */
export interface DecodedRequest {
  request?: RunFunctionRequest | undefined;
  error?: CodecError;
}

const runFunction = FunctionRunnerServiceService.runFunction;

/**
 * The RunFunction method with our codec. The response is encoded by the handler, not by grpc-js, so
 * that a response that cannot be encoded still becomes a fatal result the caller can read.
 */
export const functionRunnerService = {
  runFunction: {
    path: runFunction.path,
    requestStream: false,
    responseStream: false,
    requestSerialize: runFunction.requestSerialize,
    requestDeserialize: (bytes: Buffer): DecodedRequest => {
      try {
        return { request: decodeRunFunctionRequest(bytes) };
      } catch (error) {
        if (error instanceof CodecError) return { error };
        throw error;
      }
    },
    // The handler's bytes are the encoder's scratch buffer, lent (see encodeOrFatal). grpc-js copies
    // them into its frame as soon as this returns, before any other code runs, so the next response
    // can write over them. A response never serialized (its call was cancelled) is never handed back,
    // and the encoder takes a new buffer.
    responseSerialize: (bytes: Buffer): Buffer => {
      returnLent(bytes);
      return bytes;
    },
    responseDeserialize: runFunction.responseDeserialize,
  },
} satisfies grpc.ServiceDefinition;

/**
 * A gRPC server answering RunFunction with `handler`. As with the SDK's server, a handler that
 * throws produces a fatal result; a request the codec refuses gets gRPC status INVALID_ARGUMENT, or
 * RESOURCE_EXHAUSTED when it is too large, with the codec's message naming the field. (grpc-go
 * answers INTERNAL to a message it cannot unmarshal; the caller's message is what is wrong, though,
 * and no retry of the same bytes will help.) The server holds callers to `limits` (see
 * server-limits.ts).
 */
export function newFunctionServer(
  handler: FunctionHandler,
  logger: Logger,
  limits: ServerLimits = DEFAULT_SERVER_LIMITS,
): grpc.Server {
  const server = new grpc.Server(serverOptions(limits, MAX_MESSAGE_BYTES));
  server.addService(functionRunnerService, { runFunction: runFunctionCall(handler, logger) });
  return server;
}

/** The RunFunction method's implementation: takes the decoded request out of its box and answers it. */
export function runFunctionCall(
  handler: FunctionHandler,
  logger: Logger,
): grpc.handleUnaryCall<DecodedRequest, Buffer> {
  const runner = new FunctionRunner(handler, logger);
  return (call, callback) => {
    const { request: req, error } = call.request;
    call.request.request = undefined;
    if (!req) {
      const details = error?.message ?? 'no request message';
      logger.info({ error: details }, 'cannot decode RunFunctionRequest');
      const code =
        error instanceof MessageTooLargeError ? grpc.status.RESOURCE_EXHAUSTED : grpc.status.INVALID_ARGUMENT;
      callback({ code, details });
      return;
    }
    runner
      .RunFunction(req, logger)
      .then((rsp) => callback(null, encodeOrFatal(req, rsp, logger)))
      .catch((failure: unknown) => {
        logger.error({ error: String(failure) }, 'RunFunction failed');
        callback({ code: grpc.status.INTERNAL, details: String(failure) });
      });
  };
}

/**
 * The response's bytes, lent by the encoder until grpc-js serializes them: a response of a hundred
 * StorageClasses is 130 KB, and a copy of its own was a third of the buffers V8 counts towards its
 * next full garbage collection. A response the codec refuses becomes a fatal result saying why.
 */
function encodeOrFatal(req: RunFunctionRequest, rsp: RunFunctionResponse, logger: Logger): Buffer {
  try {
    return encodeRunFunctionResponseLent(rsp);
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    logger.error({ error: error.message }, 'cannot encode RunFunctionResponse');
    const failed = to(req);
    fatal(failed, error.message);
    return Buffer.from(RunFunctionResponse.encode(failed).finish());
  }
}
