/**
 * The runtime images of function-stackplane and provider-stackplane, built without a container
 * engine: Debian's C runtime, Node.js, /etc/passwd with nonroot, the app. Both images share every
 * layer and differ in what they run.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FUNCTION_NODE_FLAGS } from '../../functions/node-flags.js';
import { PROVIDER_NODE_FLAGS } from '../../provider/src/node-flags.js';
import type { Architecture, RuntimeName } from '../packages.js';
import { NODE, type ImageInputs } from './inputs.js';
import { baseLayer, debianLayer, directoryLayer, NONROOT, nodeLayer } from './layers.js';
import {
  imageTarball,
  makeImage,
  makeIndex,
  makeLayer,
  ociLayoutTarball,
  type Blob,
  type Image,
  type Layer,
  type RuntimeConfig,
} from './oci.js';

/** What each image runs: `node`, its flags, the script. */
export const RUNTIMES: Record<
  RuntimeName,
  {
    nodeFlags: readonly string[];
    /** Flags in NODE_OPTIONS, which a platform may replace through the runtime's env. */
    nodeOptions?: readonly string[];
    script: string;
    ports: string[];
    description: string;
  }
> = {
  // Crossplane mounts the function's TLS certificates at /tls/server and passes no flags.
  'function-stackplane': {
    nodeFlags: FUNCTION_NODE_FLAGS,
    script: 'dist/functions/main.js',
    ports: ['9443/tcp'],
    description: 'The composition function behind every Stackplane Composition.',
  },
  // Crossplane runs the provider with its service account (in-cluster config) and no flags.
  'provider-stackplane': {
    nodeFlags: [],
    nodeOptions: PROVIDER_NODE_FLAGS,
    script: 'dist/provider/src/main.js',
    ports: ['8080/tcp'],
    description: 'Managed resources for the cloud reseller API and the block-storage API.',
  },
};

export const imageRepository = (name: RuntimeName) => `ghcr.io/stackplane/${name}`;

export interface BuiltRuntime {
  /** Digest of the image index of every architecture. */
  index: string;
  /** The OCI image layout tarball holding that index. */
  layout: string;
  /** One single-image tarball per architecture, for `crossplane xpkg build`. */
  tarballs: Record<Architecture, string>;
  /** Digest of each architecture's image manifest. */
  manifests: Record<Architecture, string>;
}

async function runtimeConfig(
  name: RuntimeName,
  version: string,
  debianPackages: string[],
): Promise<RuntimeConfig> {
  const runtime = RUNTIMES[name];
  return {
    entrypoint: ['/nodejs/bin/node', ...runtime.nodeFlags, runtime.script],
    workingDir: '/app',
    // Numeric, so the kubelet can verify runAsNonRoot.
    user: `${NONROOT.uid}:${NONROOT.gid}`,
    env: [
      'PATH=/nodejs/bin:/usr/bin:/bin',
      // Node.js trusts its own CA list; this adds Debian's bundle, which a platform may replace with its own.
      'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt',
      'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
      ...(runtime.nodeOptions ? [`NODE_OPTIONS=${runtime.nodeOptions.join(' ')}`] : []),
    ],
    exposedPorts: runtime.ports,
    labels: {
      'org.opencontainers.image.title': name,
      'org.opencontainers.image.description': runtime.description,
      'org.opencontainers.image.source': 'https://github.com/stackplane/stackplane',
      'org.opencontainers.image.licenses': 'Apache-2.0',
      'org.opencontainers.image.version': version,
      'io.stackplane.image.nodejs': NODE.version,
      'io.stackplane.image.debian-packages': debianPackages.join(' '),
    },
  };
}

/**
 * Builds both runtime images for every architecture of the inputs into `outputDir`, labelled with
 * `version` (a release's; by default package.json's). The same inputs give byte-identical files.
 */
export async function buildRuntimeImages(
  inputs: ImageInputs,
  outputDir: string,
  version?: string,
): Promise<Record<RuntimeName, BuiltRuntime>> {
  await mkdir(outputDir, { recursive: true });
  version ??= `v${(JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version}`;
  const archs = Object.keys(inputs.node) as Architecture[];
  const [base, app] = await Promise.all([
    makeLayer(baseLayer(), 'stackplane: /etc/passwd and /etc/group with nonroot (65532), /tmp'),
    makeLayer(await directoryLayer(inputs.app, 'app'), 'stackplane: the app, production dependencies only'),
  ]);
  const perArch = new Map<Architecture, { layers: Layer[]; packages: string[] }>();
  for (const arch of archs) {
    const debian = await debianLayer(inputs.debs[arch]);
    const [debianBlob, node] = await Promise.all([
      makeLayer(debian.entries, `debian: ${debian.packages.join(' ')}`),
      makeLayer(nodeLayer(await readFile(inputs.node[arch])), `node.js ${NODE.version}`),
    ]);
    perArch.set(arch, { layers: [base, debianBlob, node, app], packages: debian.packages });
  }

  const out = {} as Record<RuntimeName, BuiltRuntime>;
  for (const name of Object.keys(RUNTIMES) as RuntimeName[]) {
    const images: Image[] = [];
    const tarballs = {} as Record<Architecture, string>;
    const manifests = {} as Record<Architecture, string>;
    for (const arch of archs) {
      const { layers, packages } = perArch.get(arch)!;
      const image = makeImage(arch, layers, await runtimeConfig(name, version, packages));
      images.push(image);
      tarballs[arch] = join(outputDir, `${name}-${arch}.tar`);
      manifests[arch] = image.manifest.digest;
      await writeFile(tarballs[arch], imageTarball(image, `${imageRepository(name)}:${version}-${arch}`));
    }
    const index: Blob = makeIndex(images, { 'org.opencontainers.image.version': version });
    const layout = join(outputDir, `${name}.oci.tar`);
    await writeFile(layout, ociLayoutTarball(images, index, version));
    out[name] = { index: index.digest, layout, tarballs, manifests };
  }
  return out;
}
