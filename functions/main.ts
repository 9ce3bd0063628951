#!/usr/bin/env node
// function-stackplane: the composition function behind every Stackplane Composition.
//
// The SDK's serve() builds its server with the SDK's protobuf codec and offers no way to replace it,
// so this entrypoint does what serve() does (the same flags, help, logger, TLS and shutdown) with a
// server built by newFunctionServer, which carries Stackplane's codec (see functions/codec/service.ts).
import { helpText, parseArgs } from '@crossplane-org/function-sdk-typescript';
import { newFunctionServer } from './codec/service.js';
import { serverCredentials } from './server-credentials.js';
import { StackplaneFunction } from './handler.js';
import { newLogger } from '../lib/logger.js';
import { steps } from './steps/index.js';

const NAME = 'function-stackplane';

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  // node:util's message says exactly which flag is wrong; a stack trace would bury it.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${NAME}: ${message}\nTry '${NAME} --help' for the available flags.\n`);
  process.exit(2);
}
const { help, ...serverOptions } = args;
if (help) {
  process.stdout.write(`${helpText(NAME)}\n`);
  process.exit(0);
}

const logger = newLogger({ debug: serverOptions.debug ?? false });
logger.debug({ options: serverOptions }, 'starting function');
const server = newFunctionServer(new StackplaneFunction(steps, logger), logger);
server.bindAsync(serverOptions.address, serverCredentials(serverOptions), (error) => {
  if (error) {
    logger.error(error, `cannot listen on ${serverOptions.address}`);
    process.exit(1);
  }
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
