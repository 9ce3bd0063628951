/**
 * provider-stackplane's version: the version of the package.json nearest above this module, which
 * is the repository's in a checkout and the image's app root in the runtime image.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findVersion(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (name === 'stackplane' && version) return `v${version}`;
    }
    if (dirname(dir) === dir) return 'v0.0.0-unknown';
  }
}

export const PROVIDER_VERSION = findVersion(dirname(fileURLToPath(import.meta.url)));
