// npm run build:packages -- <crossplane CLI>: builds the runtime images (no container engine: see
// scripts/images/) and every package (see scripts/packages.ts) into _output/. The Function and the
// Provider get one package file per architecture, each embedding that architecture's image.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fetchInputs } from './images/inputs.js';
import { buildRuntimeImages } from './images/runtime-images.js';
import { ARCHITECTURES, buildPackage, PACKAGE_NAMES, PACKAGES } from './packages.js';

const cli = process.argv[2] ?? 'crossplane';
const outputDir = '_output';
const imagesDir = join(outputDir, 'images');

const inputs = await fetchInputs(join(imagesDir, 'inputs'), ARCHITECTURES);
const images = await buildRuntimeImages(inputs, imagesDir);
await writeFile(join(imagesDir, 'images.json'), `${JSON.stringify(images, null, 2)}\n`);
for (const built of Object.values(images)) {
  console.log(`built ${built.layout} (index ${built.index})`);
  for (const arch of ARCHITECTURES) console.log(`built ${built.tarballs[arch]} (${built.manifests[arch]})`);
}

for (const name of PACKAGE_NAMES) {
  const spec = PACKAGES[name];
  if (!('runtime' in spec)) {
    console.log(`built ${await buildPackage(cli, name, outputDir)}`);
    continue;
  }
  for (const arch of ARCHITECTURES) {
    const tarball = images[spec.runtime].tarballs[arch];
    console.log(`built ${await buildPackage(cli, name, outputDir, { tarball, arch })}`);
  }
}
