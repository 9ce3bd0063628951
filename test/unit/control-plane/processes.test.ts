// The control plane's processes: one stopped on purpose (an upgrade replaces the function and the
// provider) is not reported as exited; one that exits by itself still is.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Processes } from '../../../testing/processes.js';

describe('Processes', () => {
  let processes: Processes;
  afterEach(async () => {
    await processes.stopAll();
  });

  it('stops one process and does not report it as exited; reports one that exited by itself', async () => {
    processes = new Processes(mkdtempSync(join(tmpdir(), 'stackplane-processes-')));
    const stopped = processes.start({ name: 'stopped', command: 'sleep', args: ['30'] });
    const crashed = processes.start({ name: 'crashed', command: 'sh', args: ['-c', 'exit 3'] });
    const kept = processes.start({ name: 'kept', command: 'sleep', args: ['30'] });
    await processes.stop(stopped);
    await expect.poll(() => crashed.exit()).toBe('exit code 3');
    await processes.stop(crashed);

    expect(stopped.exit()).toBe('SIGTERM');
    expect(kept.exit()).toBeUndefined();
    expect(processes.exited().map((p) => p.name)).toEqual(['crashed']);
  });

  it('refuses to stop a process it did not start', async () => {
    processes = new Processes(mkdtempSync(join(tmpdir(), 'stackplane-processes-')));
    const other = new Processes(processes.logDir).start({ name: 'other', command: 'sleep', args: ['30'] });
    await expect(processes.stop(other)).rejects.toThrow(
      'cannot stop other: these processes did not start it',
    );
    process.kill(other.pid);
  });
});
