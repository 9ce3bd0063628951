import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunnerServiceService,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import type { DestinationStream, Logger } from 'pino';
import { newFunctionServer } from '../functions/codec/service.js';
import { StackplaneFunction } from '../functions/handler.js';
import { newLogger } from '../lib/logger.js';
import { steps } from '../functions/steps/index.js';
import type { FunctionRunner } from './pipeline.js';

/** The generated client of the RunFunction service (the SDK exports the service, not its client). */
const FunctionRunnerServiceClient = grpc.makeGenericClientConstructor(
  FunctionRunnerServiceService,
  'apiextensions.fn.proto.v1.FunctionRunnerService',
);
type Client = InstanceType<typeof FunctionRunnerServiceClient> & {
  runFunction(
    request: RunFunctionRequest,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: RunFunctionResponse) => void,
  ): grpc.ClientUnaryCall;
};

/** Calls functions over gRPC: without TLS like `crossplane render` with the Development runtime, or over mTLS. */
export class GrpcFunctionRunner implements FunctionRunner {
  private readonly clients = new Map<string, Client>();

  /**
   * @param targets function name → `host:port`
   * @param credentials how to connect; plaintext by default, mTLS as Crossplane does for an installed Function
   */
  constructor(
    private readonly targets: Readonly<Record<string, string>>,
    private readonly deadlineMs = 30_000,
    private readonly credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  ) {}

  run(functionName: string, request: RunFunctionRequest): Promise<RunFunctionResponse> {
    const client = this.client(functionName);
    return new Promise((resolve, reject) => {
      client.runFunction(request, { deadline: Date.now() + this.deadlineMs }, (error, response) => {
        if (error)
          reject(new Error(`cannot run function "${functionName}": ${error.message}`, { cause: error }));
        else resolve(response);
      });
    });
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client(functionName: string): Client {
    let client = this.clients.get(functionName);
    if (client) return client;
    const target = this.targets[functionName];
    if (!target) {
      throw new Error(
        `unknown Function "${functionName}": known functions are ${Object.keys(this.targets).join(', ') || 'none'}`,
      );
    }
    client = new FunctionRunnerServiceClient(target, this.credentials) as Client;
    this.clients.set(functionName, client);
    return client;
  }
}

/** A function-stackplane server on a loopback port, for render, tests and benchmarks. */
export interface LocalFunction {
  address: string;
  stop(): Promise<void>;
}

/**
 * Starts function-stackplane in this process on 127.0.0.1 (port 0 picks a free one). Requests still
 * cross a real gRPC connection, exactly as they do from Crossplane.
 */
export async function startLocalFunction(
  options: { port?: number; logger?: Logger } = {},
): Promise<LocalFunction> {
  const logger = options.logger ?? newLogger({ destination: devNull() });
  // The same server as functions/main.ts builds, so in-repo renders go through the production codec.
  const server = newFunctionServer(new StackplaneFunction(steps, logger), logger);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `127.0.0.1:${options.port ?? 0}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });
  return {
    address: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}

/** A pino destination that drops everything, for quiet in-process servers. */
function devNull(): DestinationStream {
  return { write: () => undefined };
}
