import type { CompositeKind, InputKind } from './definition.js';
import { DataServiceInput } from './functions/data-service-input.js';
import { StorageClassesInput } from './functions/storage-classes-input.js';
import { StorageTenant } from './storage/storagetenant.js';
import { dataCompositeKinds } from './data/index.js';

/** Every user-facing composite resource kind. Adding a kind is adding it here. */
export const compositeKinds: readonly CompositeKind[] = [StorageTenant, ...dataCompositeKinds];

/** Every function step input kind. */
export const inputKinds: readonly InputKind[] = [StorageClassesInput, DataServiceInput];
