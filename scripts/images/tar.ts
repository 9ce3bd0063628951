/**
 * A small tar reader and a reproducible tar writer for image layers: the writer sorts entries,
 * fixes every timestamp and owner, and uses PAX records only where ustar cannot hold a path, so the
 * same entries always give the same bytes.
 */

/** One entry of a layer. Paths are relative (`usr/lib/x`), directories without a trailing slash. */
export type TarEntry =
  | { type: 'file'; path: string; mode: number; uid?: number; gid?: number; data: Buffer }
  | { type: 'dir'; path: string; mode: number; uid?: number; gid?: number }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;

function readString(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const text = readString(block, offset, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const length = Number(data.subarray(pos, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return out;
}

/** Normalises an archive path: no leading `./` or `/`, no trailing slash. */
export function cleanPath(path: string): string {
  return path.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/**
 * Reads an uncompressed tar archive (ustar, GNU long names, PAX). Hard links become copies of their
 * target, so a layer never depends on which of two names came first.
 */
export function readTar(archive: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  const files = new Map<string, Buffer>();
  let pos = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  while (pos + BLOCK <= archive.length) {
    const header = archive.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const data = archive.subarray(pos + BLOCK, pos + BLOCK + size);
    pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') longName = readString(data, 0, data.length);
    else if (type === 'K') longLink = readString(data, 0, data.length);
    else if (type === 'x') pax = paxRecords(data);
    else if (type === 'g') continue;
    else {
      const prefix = readString(header, 345, 155);
      const name = readString(header, 0, 100);
      const path = cleanPath(pax['path'] ?? longName ?? (prefix ? `${prefix}/${name}` : name));
      const target = pax['linkpath'] ?? longLink ?? readString(header, 157, 100);
      const mode = readOctal(header, 100, 8) & 0o7777;
      longName = longLink = undefined;
      pax = {};
      if (path === '') continue;
      if (type === '0' || type === '\0' || type === '7') {
        const copy = Buffer.from(data);
        files.set(path, copy);
        out.push({ type: 'file', path, mode, data: copy });
      } else if (type === '1') {
        const linked = files.get(cleanPath(target));
        if (!linked) throw new Error(`cannot read tar: hard link ${path} to ${target}, which comes later`);
        out.push({ type: 'file', path, mode, data: linked });
      } else if (type === '2') out.push({ type: 'symlink', path, target });
      else if (type === '5') out.push({ type: 'dir', path, mode });
      else throw new Error(`cannot read tar entry ${path}: unsupported type ${JSON.stringify(type)}`);
    }
  }
  return out;
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value, offset, length, 'utf8');
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(value.toString(8).padStart(length - 1, '0'), offset, length - 1, 'ascii');
}

function paxHeader(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    // The length prefix counts its own digits.
    const bodyLength = Buffer.byteLength(body);
    let digits = 1;
    while (String(bodyLength + digits).length !== digits) digits++;
    return `${bodyLength + digits}${body}`;
  });
  return Buffer.from(lines.join(''), 'utf8');
}

function header(path: string, entry: TarEntry, size: number, typeflag: string, target = ''): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, path);
  writeOctal(block, 100, 8, entry.type === 'symlink' ? 0o777 : entry.mode);
  writeOctal(block, 108, 8, entry.type === 'symlink' ? 0 : (entry.uid ?? 0));
  writeOctal(block, 116, 8, entry.type === 'symlink' ? 0 : (entry.gid ?? 0));
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 0); // mtime: the epoch, for every entry
  block.fill(0x20, 148, 156); // checksum counts as spaces while it is computed
  writeString(block, 156, 1, typeflag);
  writeString(block, 157, 100, target);
  writeString(block, 257, 6, 'ustar');
  writeString(block, 263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

const pad = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/**
 * Writes entries as a tar archive: sorted by path, parents before children (created as 0755
 * directories where missing), owner root unless an entry says otherwise, every time the epoch.
 */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const byPath = new Map<string, TarEntry>();
  for (const entry of entries) byPath.set(cleanPath(entry.path), { ...entry, path: cleanPath(entry.path) });
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!byPath.has(parent)) byPath.set(parent, { type: 'dir', path: parent, mode: 0o755 });
    }
  }
  const chunks: Buffer[] = [];
  for (const path of [...byPath.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
    const entry = byPath.get(path)!;
    const name = entry.type === 'dir' ? `${path}/` : path;
    const target = entry.type === 'symlink' ? entry.target : '';
    const records: Record<string, string> = {};
    if (Buffer.byteLength(name) > 100) records['path'] = name;
    if (Buffer.byteLength(target) > 100) records['linkpath'] = target;
    if (Object.keys(records).length > 0) {
      const data = paxHeader(records);
      chunks.push(header('PaxHeader', entry, data.length, 'x'), data, pad(data.length));
    }
    const shortName = records['path'] ? Buffer.from(name).subarray(0, 100).toString('utf8') : name;
    const shortTarget = records['linkpath'] ? '' : target;
    if (entry.type === 'file') {
      chunks.push(header(shortName, entry, entry.data.length, '0'), entry.data, pad(entry.data.length));
    } else if (entry.type === 'dir') chunks.push(header(shortName, entry, 0, '5'));
    else chunks.push(header(shortName, entry, 0, '2', shortTarget));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}
