// npm run build:packages -- <crossplane CLI>: builds the Configuration, Function and Provider packages into _output/.
import { buildPackage, PACKAGES, type PackageName } from './packages.js';

const cli = process.argv[2] ?? 'crossplane';
for (const name of Object.keys(PACKAGES) as PackageName[]) {
  console.log(`built ${await buildPackage(cli, name)}`);
}
