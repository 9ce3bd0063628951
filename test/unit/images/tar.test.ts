import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepFromDebian } from '../../../scripts/images/layers.js';
import { readTar, writeTar, type TarEntry } from '../../../scripts/images/tar.js';

const long = `usr/share/${'a'.repeat(90)}/${'b'.repeat(40)}.txt`;
const entries: TarEntry[] = [
  { type: 'file', path: 'etc/passwd', mode: 0o644, data: Buffer.from('root:x:0:0::/root:/sbin/nologin\n') },
  { type: 'symlink', path: 'lib64/ld.so', target: '/lib/x86_64-linux-gnu/ld.so' },
  { type: 'dir', path: 'home/nonroot', mode: 0o700, uid: 65532, gid: 65532 },
  { type: 'file', path: long, mode: 0o755, data: Buffer.from('x') },
];

describe('the layer tar writer', () => {
  it('gives the same bytes for the same entries in any order', () => {
    expect(writeTar([...entries].reverse()).equals(writeTar(entries))).toBe(true);
  });

  it('writes what GNU tar reads: sorted, parents first, owners, modes, long names, the epoch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackplane-tar-'));
    try {
      writeFileSync(join(dir, 'layer.tar'), writeTar(entries));
      const listing = execFileSync(
        'tar',
        ['--numeric-owner', '--full-time', '-tvf', join(dir, 'layer.tar')],
        {
          encoding: 'utf8',
          env: { ...process.env, TZ: 'UTC' },
        },
      )
        .trim()
        .split('\n')
        .map((line) => line.replace(/\s+/g, ' '));
      expect(listing).toEqual([
        'drwxr-xr-x 0/0 0 1970-01-01 00:00:00 etc/',
        '-rw-r--r-- 0/0 32 1970-01-01 00:00:00 etc/passwd',
        'drwxr-xr-x 0/0 0 1970-01-01 00:00:00 home/',
        'drwx------ 65532/65532 0 1970-01-01 00:00:00 home/nonroot/',
        'drwxr-xr-x 0/0 0 1970-01-01 00:00:00 lib64/',
        'lrwxrwxrwx 0/0 0 1970-01-01 00:00:00 lib64/ld.so -> /lib/x86_64-linux-gnu/ld.so',
        'drwxr-xr-x 0/0 0 1970-01-01 00:00:00 usr/',
        'drwxr-xr-x 0/0 0 1970-01-01 00:00:00 usr/share/',
        `drwxr-xr-x 0/0 0 1970-01-01 00:00:00 usr/share/${'a'.repeat(90)}/`,
        `-rwxr-xr-x 0/0 1 1970-01-01 00:00:00 ${long}`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads back what it wrote', () => {
    const read = readTar(writeTar(entries));
    expect(read.find((e) => e.path === long)).toMatchObject({
      type: 'file',
      mode: 0o755,
      data: Buffer.from('x'),
    });
    expect(read.find((e) => e.path === 'lib64/ld.so')).toEqual(entries[1]);
  });
});

describe('what of a Debian package goes into an image', () => {
  it.each([
    ['lib/x86_64-linux-gnu/libc.so.6', true],
    ['usr/lib/x86_64-linux-gnu/libstdc++.so.6', true],
    ['usr/share/zoneinfo/Europe/Berlin', true],
    ['usr/share/doc/libc6/copyright', true],
    ['usr/share/doc/libc6/changelog.Debian.gz', false],
    ['usr/bin/ldd', false],
    ['sbin/ldconfig', false],
    ['usr/sbin/update-ca-certificates', false],
    ['bin', false],
    ['usr/share/man/man8/ld.so.8.gz', false],
    ['usr/share/lintian/overrides/libc6', false],
  ])('%s: %s', (path, kept) => {
    expect(keepFromDebian(path)).toBe(kept);
  });
});
