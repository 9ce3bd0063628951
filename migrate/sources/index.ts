/** Every original operator `stackplane migrate` moves from, by the name `--from` takes. */
import type { MigrationSource } from '../plan.js';
import { cloudResourceOperator } from './cro.js';
import { durosController } from './duros.js';
import { pcoResellerSource } from './pco-reseller.js';
import { placementSource } from './placement.js';

export const sources: MigrationSource[] = [
  pcoResellerSource,
  placementSource,
  cloudResourceOperator,
  durosController,
];
