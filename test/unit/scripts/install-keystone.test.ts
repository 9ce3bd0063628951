import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findKeystone } from '../../../testing/keystone.js';

let dir: string;
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env['KEYSTONE_BIN'];
});

describe('the Keystone install', () => {
  it('says python3 is missing instead of installing nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'stackplane-keystone-install-'));
    // Every tool the script needs but python3.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['bash', 'dirname', 'sed', 'cat', 'cmp']) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, join(bin, tool));
    }
    const run = spawnSync(join(bin, 'bash'), ['scripts/install-keystone.sh'], {
      encoding: 'utf8',
      env: { PATH: bin, XDG_CACHE_HOME: join(dir, 'cache') },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'cannot install keystone-30.0.0: python3 is not installed (apt-get install python3 python3-venv)',
    );
  });

  it('tells the tests what to run when the install is missing', () => {
    dir = mkdtempSync(join(tmpdir(), 'stackplane-keystone-install-'));
    process.env['KEYSTONE_BIN'] = dir;
    expect(findKeystone()).toEqual({
      missing: `${join(dir, 'keystone-manage')} does not exist: run scripts/install-keystone.sh`,
    });
  });
});
