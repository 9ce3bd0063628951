import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { discoverExamples } from '../render/examples.js';
import { readManifests, readSingleManifest } from '../render/manifests.js';
import { releaseMeta, type ReleaseTarget } from './release/meta.js';

const run = promisify(execFile);

/** The runtime images the Function and Provider packages embed (see scripts/images/). */
export type RuntimeName = 'function-stackplane' | 'provider-stackplane';

/** The architectures every runtime image is built for; one package file each. */
export const ARCHITECTURES = ['amd64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

interface PackageSpec {
  kind: 'Configuration' | 'Function' | 'Provider';
  /** The package's metadata file. */
  meta: string;
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
    groups: ['reseller.stackplane.io', 'storage.stackplane.io', 'openstack.stackplane.io'],
  },
  'configuration-stackplane-data': {
    kind: 'Configuration',
    meta: 'package/configuration-data/crossplane.yaml',
    groups: ['data.stackplane.io'],
  },
  'function-stackplane': {
    kind: 'Function',
    meta: 'package/function/crossplane.yaml',
    contents: ['package/function/input'],
    // How to install it and a Composition that calls it.
    examples: ['package/function/examples', 'compositions/storagetenant.yaml'],
    runtime: 'function-stackplane',
  },
  'provider-stackplane': {
    kind: 'Provider',
    meta: 'package/provider/crossplane.yaml',
    contents: ['package/provider/crds'],
    examples: ['package/provider/examples'],
    runtime: 'provider-stackplane',
  },
} as const satisfies Record<string, PackageSpec>;

export type PackageName = keyof typeof PACKAGES;

export const PACKAGE_NAMES = Object.keys(PACKAGES) as PackageName[];

export const CONFIGURATIONS = PACKAGE_NAMES.filter((name) => PACKAGES[name].kind === 'Configuration');

const spec = (name: PackageName): PackageSpec => PACKAGES[name];

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
