// Writes the reseller API's TypeScript types from its OpenAPI description.
import { writeFile } from 'node:fs/promises';
import { RESELLER_TYPES, renderResellerTypes } from './reseller-client.js';

await writeFile(RESELLER_TYPES, await renderResellerTypes());
console.log(`wrote ${RESELLER_TYPES}`);
