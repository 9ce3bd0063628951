// Fails when the committed XRDs, input CRDs, provider CRDs or reseller API types differ from what `npm run generate` writes.
import { readFile } from 'node:fs/promises';
import { allGeneratedFiles } from './generated-files.js';
import { RESELLER_TYPES, renderResellerTypes } from './reseller-client.js';

const files = allGeneratedFiles();
files.set(RESELLER_TYPES, await renderResellerTypes());
let stale = 0;
for (const [path, content] of files) {
  const committed = await readFile(path, 'utf8').catch(() => undefined);
  if (committed !== content) {
    console.error(`stale: ${path} (run npm run generate and commit the result)`);
    stale++;
  }
}
if (stale > 0) process.exit(1);
console.log(`generated files are up to date (${files.size} files)`);
