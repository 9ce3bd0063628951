/**
 * Runtime images that hold one file, for packages that must embed a valid image but whose runtime is
 * never run from it: a release pushed to a loopback registry, installed with the External runtime.
 * Building the real images fetches Debian packages and Node.js for both architectures, which
 * test/images/runtime-images.test.ts does and checks once.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imageTarball, makeImage, makeLayer } from './oci.js';
import { ARCHITECTURES, type Architecture, type RuntimeName } from '../packages.js';
import type { RuntimeTarballs } from '../release/release.js';

/** Writes a one-file image per runtime and architecture into `dir`. */
export async function placeholderRuntimeImages(dir: string): Promise<RuntimeTarballs> {
  const layer = await makeLayer(
    [{ type: 'file', path: 'hello', mode: 0o644, data: Buffer.from('stackplane\n') }],
    'test',
  );
  const out = {} as RuntimeTarballs;
  for (const name of ['function-stackplane', 'provider-stackplane'] as RuntimeName[]) {
    const tarballs = {} as Record<Architecture, string>;
    for (const arch of ARCHITECTURES) {
      const image = makeImage(arch, [layer], {
        entrypoint: ['/hello'],
        workingDir: '/',
        user: '65532:65532',
        env: [],
        exposedPorts: [],
        labels: {},
      });
      tarballs[arch] = join(dir, `${name}-${arch}.tar`);
      await writeFile(tarballs[arch], imageTarball(image, `${name}:test-${arch}`));
    }
    out[name] = { tarballs };
  }
  return out;
}
