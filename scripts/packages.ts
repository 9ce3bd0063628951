import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { discoverExamples, type Example } from '../render/examples.js';

const run = promisify(execFile);

/** What goes into each package: its metadata file and the directories whose YAML it carries. */
export const PACKAGES = {
  configuration: { meta: 'package/configuration/crossplane.yaml', contents: ['apis/xrds', 'compositions'] },
  function: { meta: 'package/function/crossplane.yaml', contents: ['package/function/input'] },
  provider: { meta: 'package/provider/crossplane.yaml', contents: ['package/provider/crds'] },
} as const;

export type PackageName = keyof typeof PACKAGES;

/** Copies a package's files into `_output/packages/<name>`, the root `crossplane xpkg build` reads. */
export async function stagePackage(name: PackageName, outputDir = '_output'): Promise<string> {
  const spec = PACKAGES[name];
  const root = join(outputDir, 'packages', name);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await copyFile(spec.meta, join(root, 'crossplane.yaml'));
  for (const dir of spec.contents) {
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
      await copyFile(join(dir, file), join(root, `${basename(dir)}-${file}`));
    }
  }
  return root;
}

/** Copies the example XRs (not their observed and required resources) for the package's examples layer. */
async function stageExamples(dir: string, examples: readonly Example[]): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const example of examples) {
    await copyFile(example.request.xrPath, join(dir, `${example.name.replaceAll('/', '-')}.yaml`));
  }
  return dir;
}

/** Builds a package with the crossplane CLI; returns the path of the .xpkg file. */
export async function buildPackage(cli: string, name: PackageName, outputDir = '_output'): Promise<string> {
  const root = await stagePackage(name, outputDir);
  // Only the Configuration carries examples: the XRs users create.
  const examples = name === 'configuration' ? await discoverExamples() : [];
  const examplesRoot = await stageExamples(join(outputDir, 'packages', `${name}-examples`), examples);
  const file = join(outputDir, `stackplane-${name}.xpkg`);
  await run(cli, [
    'xpkg',
    'build',
    '--package-root',
    root,
    '--examples-root',
    examplesRoot,
    '--package-file',
    file,
  ]);
  return file;
}
