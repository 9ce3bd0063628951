// Puts the table function where Crossplane calls function-stackplane: started as a process of the
// control plane (its CPU counted as `function-table`), with a server certificate core's CA trusts,
// and the active FunctionRevision's endpoint moved to it. Crossplane dials the new endpoint on its
// next call; function-stackplane keeps running, unused.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import { actAsRuntime, activeRevision, listening } from '../../scripts/control-plane/stackplane.js';
import { freePort, waitFor } from '../../testing/wait.js';
import { TABLE_FILE_ENV } from './server.js';
import type { TableEntry } from './table.js';

/** The table function's process name, in the control plane's logs and pid file. */
export const TABLE_FUNCTION = 'function-table';

/** Serves `table` and makes Crossplane call it instead of function-stackplane. */
export async function serveTable(cp: ControlPlane, table: ReadonlyMap<string, TableEntry>): Promise<void> {
  const fn = cp.stackplane.packages.find((p) => p.kind === 'Function');
  if (!fn) throw new Error('cannot serve the table function: the control plane has no Function package');
  // The table holds the generated passwords the User composites compose: readable by this user only.
  const file = join(cp.dir, 'function-table.json');
  writeFileSync(file, JSON.stringify([...table]), { mode: 0o600 });
  const tls = cp.ca.leaf(TABLE_FUNCTION);
  const port = await freePort();
  const server = cp.processes.start({
    name: TABLE_FUNCTION,
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      'bench/table-function/server.ts',
      `--address=127.0.0.1:${port}`,
      `--tls-server-certs-dir=${tls.dir}`,
    ],
    env: { [TABLE_FILE_ENV]: file },
  });
  await waitFor(TABLE_FUNCTION, server, () => listening(port), 60_000);
  const revision = await activeRevision(cp.objects, 'FunctionRevision', fn.name);
  await actAsRuntime(
    cp.cluster,
    cp.objects,
    'functionrevisions',
    revision,
    fn.name,
    tls,
    `127.0.0.1:${port}`,
  );
}
