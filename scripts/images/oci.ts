/**
 * OCI images from layers: gzip-compressed layers, the image config and manifest, written as a
 * single-image tarball (the format `crossplane xpkg build --embed-runtime-image-tarball` and
 * go-containerregistry read) and as an OCI image layout with one index of every architecture.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { writeTar, type TarEntry } from './tar.js';

const gzipAsync = promisify(gzip);

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/** A content-addressed blob. */
export interface Blob {
  digest: string;
  data: Buffer;
}

export interface Layer {
  /** The compressed layer as pushed. */
  blob: Blob;
  /** Digest of the uncompressed tar, the config's diff_id. */
  diffID: string;
  /** What made it, for the image history. */
  comment: string;
}

/** Compresses a layer. gzip output depends only on its input and level (zlib, no timestamp). */
export async function makeLayer(entries: readonly TarEntry[], comment: string): Promise<Layer> {
  const tar = writeTar(entries);
  const data = await gzipAsync(tar, { level: 6 });
  return { blob: { digest: sha256(data), data }, diffID: sha256(tar), comment };
}

/** What the image runs: the fields of the config's `config` object that Stackplane sets. */
export interface RuntimeConfig {
  entrypoint: string[];
  workingDir: string;
  user: string;
  env: string[];
  exposedPorts: string[];
  labels: Record<string, string>;
}

/** Platforms as OCI names them. */
export const PLATFORMS = {
  amd64: { architecture: 'amd64', os: 'linux' },
  arm64: { architecture: 'arm64', os: 'linux', variant: 'v8' },
} as const;

export interface Image {
  arch: keyof typeof PLATFORMS;
  config: Blob;
  manifest: Blob;
  layers: Layer[];
}

/** The epoch: every image is made at the same instant, so its config is the same for the same inputs. */
const CREATED = '1970-01-01T00:00:00Z';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

export function makeImage(arch: Image['arch'], layers: Layer[], runtime: RuntimeConfig): Image {
  const config = json({
    created: CREATED,
    ...PLATFORMS[arch],
    config: {
      User: runtime.user,
      ExposedPorts: Object.fromEntries(runtime.exposedPorts.map((p) => [p, {}])),
      Env: runtime.env,
      Entrypoint: runtime.entrypoint,
      WorkingDir: runtime.workingDir,
      Labels: runtime.labels,
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffID) },
    history: layers.map((l) => ({ created: CREATED, created_by: l.comment })),
  });
  const configBlob = { digest: sha256(config), data: config };
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: { mediaType: MEDIA_TYPES.config, digest: configBlob.digest, size: config.length },
    layers: layers.map((l) => ({
      mediaType: MEDIA_TYPES.layer,
      digest: l.blob.digest,
      size: l.blob.data.length,
    })),
  });
  return { arch, config: configBlob, manifest: { digest: sha256(manifest), data: manifest }, layers };
}

const hex = (digest: string) => digest.replace(/^sha256:/, '');

/**
 * One image as a tarball with manifest.json, as `docker save` and go-containerregistry's tarball
 * package write it; `crossplane xpkg build --embed-runtime-image-tarball` reads exactly one image.
 */
export function imageTarball(image: Image, repoTag: string): Buffer {
  const manifest = [
    {
      Config: `${hex(image.config.digest)}.json`,
      RepoTags: [repoTag],
      Layers: image.layers.map((l) => `${hex(l.blob.digest)}.tar.gz`),
    },
  ];
  return writeTar([
    { type: 'file', path: 'manifest.json', mode: 0o644, data: json(manifest) },
    { type: 'file', path: `${hex(image.config.digest)}.json`, mode: 0o644, data: image.config.data },
    ...image.layers.map((l): TarEntry => ({
      type: 'file',
      path: `${hex(l.blob.digest)}.tar.gz`,
      mode: 0o644,
      data: l.blob.data,
    })),
  ]);
}

/** The image index of one image per architecture. */
export function makeIndex(images: readonly Image[], annotations: Record<string, string>): Blob {
  const index = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: images.map((image) => ({
      mediaType: MEDIA_TYPES.manifest,
      digest: image.manifest.digest,
      size: image.manifest.data.length,
      platform: PLATFORMS[image.arch],
    })),
    annotations,
  });
  return { digest: sha256(index), data: index };
}

/**
 * An OCI image layout holding the index of every architecture (`crane push`, `skopeo copy
 * oci-archive:` and `oras` push it as one multi-architecture image).
 */
export function ociLayoutTarball(images: readonly Image[], index: Blob, refName: string): Buffer {
  const blobs = new Map<string, Buffer>();
  for (const image of images) {
    for (const blob of [image.manifest, image.config, ...image.layers.map((l) => l.blob)]) {
      blobs.set(blob.digest, blob.data);
    }
  }
  blobs.set(index.digest, index.data);
  const top = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: [
      {
        mediaType: MEDIA_TYPES.index,
        digest: index.digest,
        size: index.data.length,
        annotations: { 'org.opencontainers.image.ref.name': refName },
      },
    ],
  };
  return writeTar([
    { type: 'file', path: 'oci-layout', mode: 0o644, data: json({ imageLayoutVersion: '1.0.0' }) },
    { type: 'file', path: 'index.json', mode: 0o644, data: json(top) },
    ...[...blobs].map(([digest, data]): TarEntry => ({
      type: 'file',
      path: `blobs/sha256/${hex(digest)}`,
      mode: 0o644,
      data,
    })),
  ]);
}
