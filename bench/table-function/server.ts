// The table function: a gRPC server with function-stackplane's codec, flags and mTLS that answers
// RunFunction from a recorded table (table.ts) instead of running steps. `npm run bench:control-plane`
// starts it with TABLE_FILE naming the table's JSON, written by record.ts.
import { readFileSync } from 'node:fs';
import {
  fatal,
  to,
  type FunctionHandler,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { newFunctionServer } from '../../functions/codec/service.js';
import { parseFlags } from '../../functions/flags.js';
import { serverCredentials } from '../../functions/server-credentials.js';
import { newLogger } from '../../lib/logger.js';
import { answer, tableKey, type TableEntry } from './table.js';

/** The environment variable naming the table's file: `[key, entry][]` as JSON. */
export const TABLE_FILE_ENV = 'TABLE_FILE';

/** Answers each request with its table entry; a request the table does not hold gets a fatal result. */
export class TableFunction implements FunctionHandler {
  constructor(private readonly table: ReadonlyMap<string, TableEntry>) {}

  RunFunction(request: RunFunctionRequest): Promise<RunFunctionResponse> {
    const key = tableKey(request);
    const entry = key === undefined ? undefined : this.table.get(key);
    if (entry) return Promise.resolve(answer(entry, request));
    const rsp = to(request);
    fatal(
      rsp,
      `cannot answer from the table: no entry for ${key ?? 'a request without composite or input kind'}`,
    );
    return Promise.resolve(rsp);
  }
}

/** Starts the server on the function's flags; the table comes from TABLE_FILE. */
function main(): void {
  const flags = parseFlags(process.argv.slice(2));
  const file = process.env[TABLE_FILE_ENV];
  if (!file) throw new Error(`cannot start the table function: set ${TABLE_FILE_ENV} to the table's file`);
  const table = new Map(JSON.parse(readFileSync(file, 'utf8')) as [string, TableEntry][]);
  const logger = newLogger({ debug: flags.debug });
  const server = newFunctionServer(new TableFunction(table), logger);
  server.bindAsync(flags.address, serverCredentials(flags), (error) => {
    if (error) throw new Error(`cannot listen on ${flags.address}: ${error.message}`, { cause: error });
    logger.info(`table function with ${table.size} entries listening on ${flags.address}`);
  });
  process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
  process.on('SIGINT', () => server.tryShutdown(() => process.exit(0)));
}

if (process.argv[1]?.endsWith('table-function/server.ts')) main();
