import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { compositeKinds, inputKinds } from '../apis/index.js';
import { AdoptionGrant } from '../apis/provider/adoption-grant.js';
import { providerManagedKinds } from '../apis/provider/kinds.js';
import { discoverExamples } from '../render/examples.js';
import { readManifests, readSingleManifest } from '../render/manifests.js';
import { releaseMeta, type ReleaseTarget } from './release/meta.js';

const run = promisify(execFile);

/** The runtime images the Function and Provider packages embed (see scripts/images/). */
export type RuntimeName = 'function-stackplane' | 'provider-stackplane';

/** The architectures every runtime image is built for; one package file each. */
export const ARCHITECTURES = ['amd64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** A kind a package serves, as its readme and the README's package table list it. */
export interface ServedKind {
  group: string;
  version: string;
  kind: string;
  description: string;
  scope?: 'Namespaced' | 'Cluster';
}

/** What users read on a registry's page: `npm run generate` writes it into the package's metadata. */
export interface PackageAbout {
  /** friendly-name.meta.crossplane.io */
  title: string;
  /** The description's sentence before its generated list of kinds. */
  summary: string;
  /** The readme's paragraphs before and after its generated lists of kinds and dependencies. */
  intro: string;
  outro?: string;
}

export interface PackageSpec {
  kind: 'Configuration' | 'Function' | 'Provider';
  /** The package's metadata file, generated (see scripts/package-meta/). */
  meta: string;
  about: PackageAbout;
  /** Functions and Providers: the kinds they serve. A Configuration serves the XR kinds of its groups. */
  serves?: readonly ServedKind[];
  /** Function: what Crossplane may call it for. */
  capabilities?: readonly string[];
  /** Configurations: the XR API groups whose XRDs, Compositions and examples it carries. */
  groups?: readonly string[];
  /** Directories whose every YAML file the package carries. */
  contents?: readonly string[];
  /** YAML files or directories for the package's examples layer (Configurations: their XRs instead). */
  examples?: readonly string[];
  /** The runtime image embedded into Function and Provider packages. */
  runtime?: RuntimeName;
}

/**
 * Every package, by its metadata name. The Configuration is split by what a platform runs: the
 * OpenStack side (reseller projects and users, tenant storage, Placement) needs provider-stackplane,
 * the data services need the provider-upjet-aws families; neither drags the other's providers in.
 */
export const PACKAGES = {
  'configuration-stackplane-openstack': {
    kind: 'Configuration',
    meta: 'package/configuration-openstack/crossplane.yaml',
    about: {
      title: 'Stackplane OpenStack',
      summary:
        'OpenStack projects, users and memberships through a cloud reseller API, tenant block storage, ' +
        'OpenStack Placement and compute building blocks as Crossplane composite resources.',
      intro: 'Stackplane for OpenStack-based clouds. Users create, in their namespaces unless marked:',
      outro:
        "PlacementAPI's other backends, the MariaDB and keystone operators, are the platform's to " +
        'install when its Composition input picks them. Examples ship in this package.',
    },
    groups: ['reseller.stackplane.io', 'storage.stackplane.io', 'openstack.stackplane.io'],
  },
  'configuration-stackplane-data': {
    kind: 'Configuration',
    meta: 'package/configuration-data/crossplane.yaml',
    about: {
      title: 'Stackplane Data Services',
      summary:
        'Postgres, Redis, blob storage and SMTP credentials by deployment type and tier, on AWS or in ' +
        'the cluster, with snapshots, as namespaced Crossplane composite resources.',
      intro:
        'Stackplane data services. Users create, in their namespaces, a data service by deployment ' +
        'type and tier and get a connection Secret with the keys the cloud-resource-operator used. A ' +
        'platform table (the Composition input, overridable by EnvironmentConfig stackplane-data) ' +
        'maps each type to AWS or to plain Kubernetes objects in the cluster.',
      outro:
        "A RedisSnapshot on AWS uses AWS's ACK ElastiCache controller, which the platform installs. " +
        'Examples ship in this package.',
    },
    groups: ['data.stackplane.io'],
  },
  'function-stackplane': {
    kind: 'Function',
    meta: 'package/function/crossplane.yaml',
    about: {
      title: 'Function Stackplane',
      summary:
        'The composition function behind every Stackplane Composition: unique naming, reseller ' +
        'resources, data-service strategies, OpenStack Placement, compute building blocks and ' +
        'StorageClass generation.',
      intro:
        "function-stackplane runs every step of the Stackplane Compositions. A step's input kind " +
        'picks its logic; the input CRDs in this package document every field:',
      outro:
        'The Stackplane Configurations install it; Compositions call it as ' +
        'stackplane-function-stackplane. It serves RunFunction over mTLS with the certificates ' +
        'Crossplane mounts at /tls/server, as the unprivileged user 65532.',
    },
    serves: inputKinds,
    capabilities: ['composition'],
    contents: ['package/function/input'],
    // How to install it and a Composition that calls it.
    examples: ['package/function/examples', 'compositions/storagetenant.yaml'],
    runtime: 'function-stackplane',
  },
  'provider-stackplane': {
    kind: 'Provider',
    meta: 'package/provider/crossplane.yaml',
    about: {
      title: 'Provider Stackplane',
      summary:
        'Managed resources for the cloud reseller API, the block-storage API, Nova compute services ' +
        'and webhook notifications.',
      intro: 'provider-stackplane manages, in namespaces unless marked:',
      outro:
        'A region is a ClusterProviderConfig or ProviderConfig (m.stackplane.io) with the reseller ' +
        "account's Secret and, for storage, the LightOS endpoints and admin key, for ComputeServices " +
        "the region's compute credentials; a ProviderConfigUsage records each resource that uses one. " +
        "It adopts an existing project or user only when it carries the managed resource's ownership " +
        'marker or an AdoptionGrant allows it. See the examples in this package. Metrics are served ' +
        'on :8080.',
    },
    serves: [...providerManagedKinds, { ...AdoptionGrant, scope: 'Cluster' }],
    contents: ['package/provider/crds'],
    examples: ['package/provider/examples'],
    runtime: 'provider-stackplane',
  },
} as const satisfies Record<string, PackageSpec>;

export type PackageName = keyof typeof PACKAGES;

/** The version range of every dependency on a Stackplane package: below the next major. */
const STACKPLANE_RANGE = '>=v0.1.0 <v1.0.0';

/** The Functions Compositions call, by the name in their functionRef (Crossplane's name for the dependency). */
export const FUNCTIONS: Readonly<Record<string, { package: string; version: string }>> = {
  'stackplane-function-stackplane': {
    package: 'ghcr.io/stackplane/function-stackplane',
    version: STACKPLANE_RANGE,
  },
};

/**
 * A Crossplane Provider whose managed kinds a Composition composes. Each Configuration depends on the
 * Providers of the kinds it composes (every example rendered, with every input variant), unless the
 * Provider is a backend a Composition input picks: the platform installs that one.
 */
export interface ProviderSource {
  /** The API groups it serves; `$1` in `package` is the first capture (provider-upjet-aws: a package per family). */
  serves: RegExp;
  package: string;
  /** Dependencies: below the next major, from the first release serving the namespaced kinds composed. */
  version?: string;
  installedBy: 'dependsOn' | 'platform';
  /** Why it or its range, beside the dependency; for the platform's, what picks it. */
  note?: string;
}

export const PROVIDERS: readonly ProviderSource[] = [
  {
    serves: /^(?:[a-z0-9-]+\.)?m\.stackplane\.io$/,
    package: 'ghcr.io/stackplane/provider-stackplane',
    version: STACKPLANE_RANGE,
    installedBy: 'dependsOn',
  },
  {
    serves: /^([a-z0-9]+)\.aws\.m\.upbound\.io$/,
    package: 'xpkg.upbound.io/upbound/provider-aws-$1',
    version: '>=v2.0.0 <v3.0.0',
    installedBy: 'dependsOn',
    note: 'provider-upjet-aws v2 serves the namespaced *.aws.m.upbound.io kinds',
  },
  {
    serves: /^[a-z0-9]+\.openstack\.m\.crossplane\.io$/,
    package: 'xpkg.crossplane.io/crossplane-contrib/provider-openstack',
    version: '>=v0.8.0 <v1.0.0',
    installedBy: 'dependsOn',
    note: 'provider-openstack serves the namespaced *.openstack.m.crossplane.io kinds since v0.8.0',
  },
  {
    serves: /^[a-z0-9]+\.sql\.m\.crossplane\.io$/,
    package: 'xpkg.crossplane.io/crossplane-contrib/provider-sql',
    installedBy: 'platform',
    note: "PlacementAPI's database backend sql-provider, picked in its Composition input",
  },
  {
    serves: /^kubernetes\.m\.crossplane\.io$/,
    package: 'xpkg.crossplane.io/crossplane-contrib/provider-kubernetes',
    installedBy: 'platform',
    note: "a StorageTenant's objects in a cluster other than the management cluster",
  },
];

/** Crossplane's own API groups: composed kinds of these need no package. */
export const CROSSPLANE_GROUPS: readonly string[] = [
  'apiextensions.crossplane.io',
  'protection.crossplane.io',
];

/** Groups only Crossplane Providers serve: a composed kind of one needs a PROVIDERS entry. */
export const PROVIDER_GROUP_SUFFIXES: readonly string[] = ['.crossplane.io', '.upbound.io', 'stackplane.io'];

export const PACKAGE_NAMES = Object.keys(PACKAGES) as PackageName[];

export const CONFIGURATIONS = PACKAGE_NAMES.filter((name) => PACKAGES[name].kind === 'Configuration');

/** A package's spec, with every optional field visible. */
export const packageSpec = (name: PackageName): PackageSpec => PACKAGES[name];
const spec = packageSpec;

/** The kinds a package serves: a Configuration's are the XR kinds of its groups. */
export function servedKinds(name: PackageName): readonly ServedKind[] {
  const { groups, serves = [] } = spec(name);
  return groups ? compositeKinds.filter((k) => groups.includes(k.group)) : serves;
}

const yamlFiles = async (dir: string) =>
  (await readdir(dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));

const groupOf = (apiVersion: unknown) => String(apiVersion).split('/')[0] ?? '';

/**
 * The YAML files a package carries. A Configuration carries the XRDs of its groups from apis/xrds
 * and the Compositions of their kinds from compositions/.
 */
export async function packageContents(name: PackageName): Promise<string[]> {
  const { groups, contents = [] } = spec(name);
  const files: string[] = [];
  for (const dir of contents) files.push(...(await yamlFiles(dir)));
  if (!groups) return files;
  for (const file of await yamlFiles('apis/xrds')) {
    const xrd = await readSingleManifest(file);
    if (groups.includes(String((xrd['spec'] as { group?: string }).group))) files.push(file);
  }
  for (const file of await yamlFiles('compositions')) {
    const composition = await readSingleManifest(file);
    const ref = (composition['spec'] as { compositeTypeRef?: { apiVersion?: string } }).compositeTypeRef;
    if (groups.includes(groupOf(ref?.apiVersion))) files.push(file);
  }
  return files;
}

/** The example files of a package's examples layer: a Configuration's are the XRs of its kinds. */
export async function packageExamples(name: PackageName): Promise<Array<{ from: string; as: string }>> {
  const { groups, examples = [] } = spec(name);
  const out: Array<{ from: string; as: string }> = [];
  for (const path of examples) {
    const files = /\.ya?ml$/.test(path) ? [path] : await yamlFiles(path);
    for (const file of files) out.push({ from: file, as: basename(file) });
  }
  if (!groups) return out;
  for (const example of await discoverExamples()) {
    const [xr] = await readManifests(example.request.xrPath);
    if (groups.includes(groupOf(xr?.['apiVersion']))) {
      out.push({ from: example.request.xrPath, as: `${example.name.replaceAll('/', '-')}.yaml` });
    }
  }
  return out;
}

/** The package file `npm run build:packages` writes: one per architecture for packages with a runtime. */
export function packageFile(name: PackageName, outputDir: string, arch?: Architecture): string {
  return join(outputDir, arch ? `${name}-${arch}.xpkg` : `${name}.xpkg`);
}

/**
 * Copies a package's files into `<outputDir>/packages/<name>`, the root `crossplane xpkg build` reads.
 * For a release, its metadata depends on the release's own Function and Provider (see release/meta.ts).
 */
export async function stagePackage(
  name: PackageName,
  outputDir = '_output',
  release?: ReleaseTarget,
): Promise<string> {
  const root = join(outputDir, 'packages', name);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const meta = await readFile(spec(name).meta, 'utf8');
  await writeFile(join(root, 'crossplane.yaml'), release ? releaseMeta(meta, release, PACKAGE_NAMES) : meta);
  for (const file of await packageContents(name)) {
    // Prefixed with their directory: apis/xrds and compositions hold files of the same name.
    await copyFile(file, join(root, `${basename(join(file, '..'))}-${basename(file)}`));
  }
  return root;
}

async function stageExamples(name: PackageName, outputDir: string): Promise<string> {
  const dir = join(outputDir, 'packages', `${name}-examples`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const example of await packageExamples(name)) await copyFile(example.from, join(dir, example.as));
  return dir;
}

/** The runtime image a Function or Provider package embeds. */
export interface RuntimeImage {
  /** The OCI image tarball of one architecture (see scripts/images/). */
  tarball: string;
  /** Its architecture, which names the package file. */
  arch: Architecture;
}

/**
 * Builds a package with the crossplane CLI into `outputDir`; returns the path of the .xpkg file.
 * Without a runtime image, a Function or Provider package carries only its CRDs (the end-to-end
 * control plane runs the programs itself).
 */
export async function buildPackage(
  cli: string,
  name: PackageName,
  outputDir = '_output',
  runtime?: RuntimeImage,
  release?: ReleaseTarget,
): Promise<string> {
  const root = await stagePackage(name, outputDir, release);
  const examplesRoot = await stageExamples(name, outputDir);
  const file = packageFile(name, outputDir, runtime?.arch);
  const embed = runtime ? ['--embed-runtime-image-tarball', runtime.tarball] : [];
  await run(cli, [
    'xpkg',
    'build',
    '--package-root',
    root,
    '--examples-root',
    examplesRoot,
    '--package-file',
    file,
    ...embed,
  ]);
  return file;
}
