// Fails when the committed XRDs or input CRDs differ from what `npm run generate` writes.
import { readFile } from 'node:fs/promises';
import { generatedFiles } from '../apis/generate.js';

let stale = 0;
for (const [path, content] of generatedFiles()) {
  const committed = await readFile(path, 'utf8').catch(() => undefined);
  if (committed !== content) {
    console.error(`stale: ${path} (run npm run generate and commit the result)`);
    stale++;
  }
}
if (stale > 0) process.exit(1);
console.log(`generated files are up to date (${generatedFiles().size} files)`);
