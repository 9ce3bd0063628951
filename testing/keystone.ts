import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './wait.js';

/**
 * Whether a missing Keystone fails the run instead of skipping: CI sets STACKPLANE_REQUIRE_KEYSTONE=1
 * after scripts/install-keystone.sh, so a broken install can never pass as a skip.
 */
export const keystoneRequired = process.env['STACKPLANE_REQUIRE_KEYSTONE'] === '1';

/** The bin folder of the Keystone virtual environment (keystone-manage, gunicorn). */
export interface KeystoneInstall {
  bin: string;
}

/** A running Keystone: its v3 URL, the bootstrap admin, and stop() to end it and remove its data. */
export interface RealKeystone {
  /** The identity endpoint, ending in /v3. */
  url: string;
  region: string;
  admin: { name: string; password: string; projectName: string };
  /** How long keystone-manage (keys, db_sync, bootstrap) and the start took, in milliseconds. */
  timings: { setupMs: number; startMs: number };
  stop(): Promise<void>;
}

const run = promisify(execFile);

function pinnedVersion(): string {
  const requirements = readFileSync('tools/keystone/requirements.txt', 'utf8');
  const version = /^keystone==(\S+)$/m.exec(requirements)?.[1];
  if (!version) throw new Error('cannot find the keystone version in tools/keystone/requirements.txt');
  return version;
}

/**
 * The environment scripts/install-keystone.sh makes (or $KEYSTONE_BIN), or the reason it cannot be
 * used.
 */
export function findKeystone(): KeystoneInstall | { missing: string } {
  const cache = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'stackplane', 'keystone');
  const bin = process.env['KEYSTONE_BIN'] ?? join(cache, `keystone-${pinnedVersion()}`, 'bin');
  for (const tool of ['keystone-manage', 'gunicorn']) {
    if (!existsSync(join(bin, tool)))
      return { missing: `${join(bin, tool)} does not exist: run scripts/install-keystone.sh` };
  }
  return { bin };
}

/**
 * The install, or undefined after a loud warning (or an error when STACKPLANE_REQUIRE_KEYSTONE=1).
 * Call at the top of a test file and skip its real-Keystone suite on undefined.
 */
export function keystoneOrSkip(suite: string): KeystoneInstall | undefined {
  const found = findKeystone();
  if (!('missing' in found)) return found;
  if (keystoneRequired) throw new Error(`STACKPLANE_REQUIRE_KEYSTONE=1 but ${found.missing}`);
  console.warn(`SKIPPING ${suite}: ${found.missing}`);
  return undefined;
}

/** The keystone.conf of a test Keystone in dir. */
function config(dir: string): string {
  return `[DEFAULT]
use_stderr = true
debug = false

[database]
# SQLite's foreign keys are turned on by the application gunicorn serves (tools/keystone).
connection = sqlite:///${join(dir, 'keystone.db')}

[token]
provider = fernet
expiration = 3600

[fernet_tokens]
key_repository = ${join(dir, 'fernet-keys')}

[fernet_receipts]
key_repository = ${join(dir, 'fernet-keys')}

[credential]
key_repository = ${join(dir, 'credential-keys')}

[identity]
# bcrypt's least work factor: every user created and every password login hashes.
password_hash_rounds = 4

[cache]
enabled = false

[oslo_policy]
enforce_new_defaults = true
enforce_scope = false
`;
}

/** A Fernet key as Keystone keeps one: 32 random bytes, URL-safe base64 with padding. */
function fernetKey(): string {
  return randomBytes(32).toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

/** Keeps the last lines a process printed, to explain why it did not come up. */
function tail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString().split('\n'));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Configures a Keystone in a temporary folder (sqlite with foreign keys, fernet tokens), migrates its
 * database, bootstraps an admin user and project, region RegionOne and the identity endpoint, and
 * serves it with gunicorn on a free loopback port until GET /v3 answers. What Keystone prints (its
 * tracebacks behind a 500 among it) goes to `logFile` when one is given.
 */
export async function startKeystone(install: KeystoneInstall, logFile?: string): Promise<RealKeystone> {
  const dir = mkdtempSync(join(tmpdir(), 'stackplane-keystone-'));
  const conf = join(dir, 'keystone.conf');
  writeFileSync(conf, config(dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/v3`;
  const region = 'RegionOne';
  const admin = { name: 'admin', password: randomBytes(12).toString('hex'), projectName: 'admin' };
  const manage = (...args: string[]) =>
    run(join(install.bin, 'keystone-manage'), ['--config-file', conf, ...args], { timeout: 120_000 });

  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child !== undefined) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const setupStart = Date.now();
    // What fernet_setup and credential_setup write (a staged key 0 and a primary key 1), without two
    // more starts of keystone-manage.
    for (const repository of ['fernet-keys', 'credential-keys']) {
      mkdirSync(join(dir, repository), { mode: 0o700 });
      for (const key of ['0', '1']) writeFileSync(join(dir, repository, key), fernetKey(), { mode: 0o600 });
    }
    await manage('db_sync');
    await manage(
      'bootstrap',
      '--bootstrap-username',
      admin.name,
      '--bootstrap-password',
      admin.password,
      '--bootstrap-project-name',
      admin.projectName,
      '--bootstrap-role-name',
      'admin',
      '--bootstrap-service-name',
      'keystone',
      '--bootstrap-region-id',
      region,
      '--bootstrap-admin-url',
      url,
      '--bootstrap-public-url',
      url,
      '--bootstrap-internal-url',
      url,
    );
    const setupMs = Date.now() - setupStart;

    const start = Date.now();
    child = spawn(
      join(install.bin, 'gunicorn'),
      [
        '--bind',
        `127.0.0.1:${port}`,
        '--workers',
        '1',
        '--threads',
        '4',
        // Longer than any client keeps an idle connection (Node's fetch 4 s, the provider's pool 1 s):
        // with gunicorn's default of 2 s, a client reusing a connection the server has just closed
        // fails its request with "other side closed", as a proxy's short keep-alive would.
        '--keep-alive',
        '75',
        '--log-level',
        'warning',
        '--pythonpath',
        join(process.cwd(), 'tools', 'keystone'),
        'stackplane_keystone:application',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, OS_KEYSTONE_CONFIG_FILES: conf },
      },
    );
    const output = tail(child);
    if (logFile !== undefined) {
      const log = createWriteStream(logFile, { flags: 'a' });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
    }
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`cannot start keystone: gunicorn exited\n${output()}`);
      const answered = await fetch(url)
        .then((r) => r.ok)
        .catch(() => false);
      if (answered) break;
      if (Date.now() > deadline)
        throw new Error(`cannot start keystone: not ready after 120000ms\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { url, region, admin, timings: { setupMs, startMs: Date.now() - start }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
