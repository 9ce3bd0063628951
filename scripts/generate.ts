// Writes the XRDs, the function input CRDs and the provider CRDs from the zod schemas in apis/, and
// the package metadata and README sections from scripts/packages.ts.
import { writeGenerated } from '../apis/generate.js';
import { allGeneratedFiles, GENERATED_DIRS } from './generated-files.js';

const written = await writeGenerated(process.cwd(), await allGeneratedFiles(), GENERATED_DIRS);
for (const path of written) console.log(`wrote ${path}`);
