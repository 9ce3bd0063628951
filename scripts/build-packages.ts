// npm run build:packages -- <crossplane CLI>: builds every package (see scripts/packages.ts) into _output/.
import { buildPackage, PACKAGE_NAMES } from './packages.js';

const cli = process.argv[2] ?? 'crossplane';
for (const name of PACKAGE_NAMES) {
  console.log(`built ${await buildPackage(cli, name)}`);
}
