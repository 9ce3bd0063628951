#!/usr/bin/env node
// function-stackplane: the composition function behind every Stackplane Composition.
//
// The SDK's serve() builds its server with the SDK's protobuf codec and offers no way to replace it,
// so this entrypoint does what serve() does (the same flags, help, logger, TLS and shutdown) with a
// server built by newFunctionServer, which carries Stackplane's codec (see functions/codec/service.ts).
// It takes function-sdk-go's names for the flags too (functions/flags.ts).
import type * as grpc from '@grpc/grpc-js';
import { newFunctionServer } from './codec/service.js';
import { helpText, parseFlags, type FunctionFlags } from './flags.js';
import { CertificatesError, serverCredentials } from './server-credentials.js';
import { StackplaneFunction } from './handler.js';
import { newLogger } from '../lib/logger.js';
import { steps } from './steps/index.js';

const NAME = 'function-stackplane';

/** Ends the process with one line on stderr: what a user must fix needs no stack trace. */
function exitWith(code: number, ...lines: string[]): never {
  process.stderr.write(lines.map((line) => `${NAME}: ${line}\n`).join(''));
  process.exit(code);
}

let flags: FunctionFlags;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (error) {
  // node:util's message says exactly which flag is wrong; a stack trace would bury it.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${NAME}: ${message}\nTry '${NAME} --help' for the available flags.\n`);
  process.exit(2);
}
const { help, ...serverOptions } = flags;
if (help) {
  process.stdout.write(`${helpText(NAME)}\n`);
  process.exit(0);
}

let credentials: grpc.ServerCredentials;
try {
  credentials = serverCredentials(serverOptions);
} catch (error) {
  if (!(error instanceof CertificatesError)) throw error;
  exitWith(1, error.message);
}

const logger = newLogger({ debug: serverOptions.debug });
logger.debug({ options: serverOptions }, 'starting function');
const server = newFunctionServer(new StackplaneFunction(steps, logger), logger);
server.bindAsync(serverOptions.address, credentials, (error) => {
  if (error) exitWith(1, `cannot listen on ${serverOptions.address}: ${error.message}`);
  logger.info(`server started and listening on ${serverOptions.address}`);
});

const shutdown = (signal: string) => {
  logger.info(`received ${signal}, shutting down`);
  server.tryShutdown((error) => {
    if (error) {
      logger.error(error, 'error during shutdown');
      process.exit(1);
    }
    logger.info('server shut down');
    process.exit(0);
  });
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
