/** The file systems of the image layers, as tar entries: made here, from the inputs only. */
import { execFile } from 'node:child_process';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readTar, type TarEntry } from './tar.js';

const run = promisify(execFile);

/** The unprivileged user the images run as, as in distroless images. */
export const NONROOT = { name: 'nonroot', uid: 65532, gid: 65532, home: 'home/nonroot' } as const;

/** /etc/passwd and /etc/group with root and nonroot (no login shell: the image has none), /tmp, the home. */
export function baseLayer(): TarEntry[] {
  const { name, uid, gid, home } = NONROOT;
  return [
    {
      type: 'file',
      path: 'etc/passwd',
      mode: 0o644,
      data: Buffer.from(
        `root:x:0:0:root:/root:/sbin/nologin\n${name}:x:${uid}:${gid}:${name}:/${home}:/sbin/nologin\n`,
      ),
    },
    { type: 'file', path: 'etc/group', mode: 0o644, data: Buffer.from(`root:x:0:\n${name}:x:${gid}:\n`) },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: home, mode: 0o700, uid, gid },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
  ];
}

/**
 * What of a Debian package goes into the image: no programs (no shell, no package manager, nothing
 * but node runs), no manuals; the copyright files stay.
 */
export function keepFromDebian(path: string): boolean {
  if (/^(usr\/)?s?bin(\/|$)/.test(path)) return false;
  if (/^usr\/share\/(man|info|lintian|bug|bash-completion)(\/|$)/.test(path)) return false;
  if (/^usr\/share\/doc\/[^/]+\/(?!copyright$)/.test(path)) return false;
  return true;
}

/** Reads a .deb: its control fields and its files. */
async function readDeb(deb: string): Promise<{ control: string; entries: TarEntry[] }> {
  const { stdout: control } = await run('dpkg-deb', ['--field', deb], { maxBuffer: 1 << 20 });
  const { stdout } = await run('dpkg-deb', ['--fsys-tarfile', deb], {
    encoding: 'buffer',
    maxBuffer: 1 << 28,
  });
  return { control, entries: readTar(stdout) };
}

const field = (control: string, name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(control)?.[1] ?? '';

/**
 * The Debian packages' files, and what their maintainer scripts would have made: the CA bundle
 * update-ca-certificates writes, and one /var/lib/dpkg/status.d file per package as distroless
 * images have, so scanners find the packages and their versions.
 */
export async function debianLayer(
  debs: readonly string[],
): Promise<{ entries: TarEntry[]; packages: string[] }> {
  const entries: TarEntry[] = [];
  const packages: string[] = [];
  for (const deb of debs) {
    const { control, entries: files } = await readDeb(deb);
    const name = field(control, 'Package');
    packages.push(`${name}=${field(control, 'Version')}`);
    entries.push(...files.filter((e) => keepFromDebian(e.path)));
    entries.push({
      type: 'file',
      path: `var/lib/dpkg/status.d/${name}`,
      mode: 0o644,
      data: Buffer.from(control),
    });
  }
  const certificates = entries
    .filter((e): e is Extract<TarEntry, { type: 'file' }> => e.type === 'file')
    .filter((e) => /^usr\/share\/ca-certificates\/.+\.crt$/.test(e.path))
    .sort((a, b) => a.path.localeCompare(b.path));
  if (certificates.length === 0)
    throw new Error('cannot build the CA bundle: ca-certificates has no certificates');
  entries.push({
    type: 'file',
    path: 'etc/ssl/certs/ca-certificates.crt',
    mode: 0o644,
    data: Buffer.concat(certificates.map((c) => c.data)),
  });
  return { entries, packages: packages.sort() };
}

/** Node.js from the npm package: the binary and its license, where distroless images put them. */
export function nodeLayer(tgz: Buffer): TarEntry[] {
  const files = new Map(readTar(gunzipSync(tgz)).map((e) => [e.path, e]));
  const pick = (path: string, as: string, mode: number): TarEntry => {
    const entry = files.get(path);
    if (entry?.type !== 'file') throw new Error(`cannot find ${path} in the Node.js package`);
    return { type: 'file', path: as, mode, data: entry.data };
  };
  return [
    pick('package/bin/node', 'nodejs/bin/node', 0o755),
    pick('package/LICENSE', 'nodejs/LICENSE', 0o644),
  ];
}

/** Every file below `dir` under `prefix`, owned by root, readable by all, executable where it was. */
export async function directoryLayer(dir: string, prefix: string): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  async function visit(path: string): Promise<void> {
    for (const name of (await readdir(path)).sort()) {
      const full = join(path, name);
      const at = `${prefix}/${relative(dir, full)}`;
      const stat = await lstat(full);
      if (stat.isSymbolicLink()) out.push({ type: 'symlink', path: at, target: await readlink(full) });
      else if (stat.isDirectory()) {
        out.push({ type: 'dir', path: at, mode: 0o755 });
        await visit(full);
      } else {
        out.push({
          type: 'file',
          path: at,
          mode: stat.mode & 0o111 ? 0o755 : 0o644,
          data: await readFile(full),
        });
      }
    }
  }
  await visit(dir);
  return out;
}
