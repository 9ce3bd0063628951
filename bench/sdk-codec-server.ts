// function-stackplane as it ran before it had its own codec: the same handler and steps behind the
// SDK's serve(), which decodes and encodes with the SDK's generated protobuf code. A benchmark
// baseline only; the product entrypoint is functions/main.ts.
//
// Usage (compiled by bench/function.ts): node sdk-codec-server.js --insecure --address 127.0.0.1:9443
import { serve } from '@crossplane-org/function-sdk-typescript';
import { StackplaneFunction } from '../functions/handler.js';
import { newLogger } from '../lib/logger.js';
import { steps } from '../functions/steps/index.js';

const logger = newLogger({ debug: false });
serve(new StackplaneFunction(steps, logger), { name: 'function-stackplane', logger });
