import type { Step } from '../types.js';
import { buildingBlockStep } from './buildingblock/step.js';
import { dataSnapshotStep } from './data/snapshot/step.js';
import { dataServiceStep } from './data/step.js';
import { placementStep } from './placement/step.js';
import { resellerBindingStep } from './reseller/binding-step.js';
import { resellerProjectStep } from './reseller/project-step.js';
import { resellerUserStep } from './reseller/user-step.js';
import { storageClassesStep } from './storage-classes/step.js';
import { uniqueNameStep } from './unique-name/step.js';

/** Every step the function runs, selected by the `kind` of a pipeline step's input. */
export const steps: readonly Step[] = [
  storageClassesStep,
  placementStep,
  buildingBlockStep,
  dataServiceStep,
  dataSnapshotStep,
  uniqueNameStep,
  resellerProjectStep,
  resellerUserStep,
  resellerBindingStep,
];
