import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../functions/types.js';

/** A file system error as one line naming the path: ENOENT and EISDIR say what they mean. */
function readError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EISDIR'
        ? 'it is a directory; pass a YAML file'
        : (error as Error).message;
  return new Error(`cannot read ${path}: ${why}`, { cause: error });
}

/** Reads every YAML document of a file, skipping empty ones. */
export async function readManifests(path: string): Promise<KubeObject[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw readError(path, error);
  });
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(`cannot parse YAML in ${path}: ${doc.errors[0]?.message}`, { cause: doc.errors[0] });
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`cannot read ${path}: every YAML document must be a Kubernetes object`);
    }
    out.push(value as KubeObject);
  }
  return out;
}

/** Reads a YAML file, or every *.yaml / *.yml file of a directory in name order. */
export async function readManifestPath(path: string): Promise<KubeObject[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw readError(path, error);
  });
  if (!info.isDirectory()) return readManifests(path);
  const names = (await readdir(path)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const out: KubeObject[] = [];
  for (const name of names) out.push(...(await readManifests(join(path, name))));
  return out;
}

/** Reads every path in turn (files or directories), as one list. */
export async function readManifestPaths(paths: readonly string[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const path of paths) out.push(...(await readManifestPath(path)));
  return out;
}

/** Reads a file that must hold exactly one object. */
export async function readSingleManifest(path: string): Promise<KubeObject> {
  const objects = await readManifests(path);
  if (objects.length !== 1 || !objects[0]) {
    throw new Error(`cannot read ${path}: expected exactly one object, found ${objects.length}`);
  }
  return objects[0];
}

/** Field accessors that tolerate any shape. */
export function metadataOf(object: KubeObject): Record<string, unknown> {
  const metadata = object['metadata'];
  return metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : {};
}

export function nameOf(object: KubeObject): string | undefined {
  const name = metadataOf(object)['name'];
  return typeof name === 'string' ? name : undefined;
}

export function stringMap(value: unknown): Record<string, string> {
  return value && typeof value === 'object' ? (value as Record<string, string>) : {};
}
