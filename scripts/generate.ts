// Writes the XRDs and the function input CRDs from the zod schemas in apis/.
import { writeGenerated } from '../apis/generate.js';

const written = await writeGenerated(process.cwd());
for (const path of written) console.log(`wrote ${path}`);
