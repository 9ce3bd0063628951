// The floor of the function benchmark: a grpc-js server on the RunFunction path that decodes nothing
// and answers with the request's own bytes. What it costs is gRPC, HTTP/2 and Node.js, nothing else.
//
// Usage (compiled by bench/function.ts): node echo-server.js 127.0.0.1:9443
import * as grpc from '@grpc/grpc-js';
import { FunctionRunnerServiceService } from '@crossplane-org/function-sdk-typescript';

const identity = (bytes: Buffer): Buffer => bytes;
const address = process.argv[2] ?? '127.0.0.1:9443';
const server = new grpc.Server();
server.addService(
  {
    runFunction: {
      path: FunctionRunnerServiceService.runFunction.path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  },
  {
    runFunction: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) =>
      done(null, call.request),
  },
);
server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error) => {
  if (error) {
    console.error(`echo-server: cannot listen on ${address}: ${error.message}`);
    process.exit(1);
  }
});
process.on('SIGTERM', () => server.forceShutdown());
