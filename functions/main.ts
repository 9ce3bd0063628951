#!/usr/bin/env node
// function-stackplane: the composition function behind every Stackplane Composition.
import { parseArgs, serve } from '@crossplane-org/function-sdk-typescript';
import { StackplaneFunction } from './handler.js';
import { newLogger } from '../lib/logger.js';
import { steps } from './steps/index.js';

const argv = process.argv.slice(2);
let debug = false;
try {
  debug = parseArgs(argv).debug ?? false;
} catch {
  // serve() parses the same flags again and prints the usage error.
}
const logger = newLogger({ debug });
serve(new StackplaneFunction(steps, logger), { name: 'function-stackplane', argv, logger });
