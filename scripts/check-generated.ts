// Fails when the committed XRDs, input CRDs, provider CRDs, package metadata, README sections or
// reseller API types differ from what `npm run generate` writes.
import { allGeneratedFiles, staleFiles } from './generated-files.js';
import { RESELLER_TYPES, renderResellerTypes } from './reseller-client.js';

const files = await allGeneratedFiles();
files.set(RESELLER_TYPES, await renderResellerTypes());
const stale = await staleFiles('.', files);
for (const path of stale) console.error(`stale: ${path} (run npm run generate and commit the result)`);
if (stale.length > 0) process.exit(1);
console.log(`generated files are up to date (${files.size} files)`);
