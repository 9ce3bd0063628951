/**
 * Runs an OCI image without a container engine: its layers unpacked into a folder, its entrypoint
 * started there with unshare (new root, working directory, user and group from the image config).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The part of an image config that says how to run it. */
export interface ImageConfig {
  architecture: string;
  os: string;
  config: {
    User: string;
    Env: string[];
    Entrypoint: string[];
    WorkingDir: string;
    ExposedPorts?: Record<string, unknown>;
    Labels?: Record<string, string>;
  };
}

/** Unpacks a single-image tarball's layers, in order, into `root`; returns the image config. */
export async function unpackImage(
  tarball: string,
  dir: string,
): Promise<{ root: string; config: ImageConfig }> {
  const blobs = join(dir, 'blobs');
  const root = join(dir, 'root');
  await mkdir(blobs, { recursive: true });
  await mkdir(root, { recursive: true });
  await run('tar', ['-xf', tarball, '-C', blobs]);
  const [manifest] = JSON.parse(await readFile(join(blobs, 'manifest.json'), 'utf8')) as Array<{
    Config: string;
    Layers: string[];
  }>;
  for (const layer of manifest!.Layers) {
    // As root, tar keeps the owners the layer records (the nonroot home belongs to 65532).
    await run('tar', ['--same-owner', '--same-permissions', '-xzf', join(blobs, layer), '-C', root]);
  }
  const config = JSON.parse(await readFile(join(blobs, manifest!.Config), 'utf8')) as ImageConfig;
  return { root, config };
}

/**
 * Why images cannot run here, or undefined when they can: unshare must set the root and switch to
 * the image's user, which takes root; the image must match this machine's architecture.
 */
export function whyImagesCannotRun(): string | undefined {
  if (process.platform !== 'linux') return `this is ${process.platform}, not linux`;
  if (process.getuid?.() !== 0) return 'not running as root (unshare --root and --setuid need it)';
  for (const tool of ['apt-get', 'dpkg-deb', 'unshare', 'tar', 'openssl']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed`;
    }
  }
  return undefined;
}

/** This machine's architecture as OCI names it. */
export const hostArchitecture = (): 'amd64' | 'arm64' | undefined =>
  (({ x64: 'amd64', arm64: 'arm64' }) as const)[process.arch as 'x64' | 'arm64'];

/** Starts the image's entrypoint with extra arguments and environment, as the image's user. */
export function startEntrypoint(
  root: string,
  config: ImageConfig,
  args: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: () => string } {
  const [uid, gid = uid] = config.config.User.split(':');
  const child = spawn(
    'unshare',
    [
      `--root=${root}`,
      `--wd=${config.config.WorkingDir}`,
      `--setuid=${uid}`,
      `--setgid=${gid}`,
      ...config.config.Entrypoint,
      ...args,
    ],
    {
      // Only what the image sets, and what the test adds: nothing leaks in from this machine.
      env: { ...Object.fromEntries(config.config.Env.map((e) => e.split(/=(.*)/s).slice(0, 2))), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return Object.assign(child, { output: () => output });
}

/** Stops a started entrypoint and waits for it to exit. */
export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Certificates for mTLS as Crossplane issues them: a CA, a server and a client certificate. */
export interface MutualTLS {
  ca: Buffer;
  server: { key: Buffer; cert: Buffer };
  client: { key: Buffer; cert: Buffer };
}

/** Makes a CA and a server (IP 127.0.0.1) and client certificate signed by it, with the openssl CLI. */
export async function mutualTLS(dir: string): Promise<MutualTLS> {
  await mkdir(dir, { recursive: true });
  const ossl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const key = (name: string) =>
    ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  await key('ca');
  await ossl(
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=stackplane-test-ca',
    '-days',
    '1',
    '-out',
    'ca.crt',
  );
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    await key(name);
    await ossl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`);
    await writeFile(join(dir, `${name}.ext`), `${ext}\n`);
    await ossl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  }
  const read = (file: string) => readFile(join(dir, file));
  return {
    ca: await read('ca.crt'),
    server: { key: await read('server.key'), cert: await read('server.crt') },
    client: { key: await read('client.key'), cert: await read('client.crt') },
  };
}
