import type { CompositeKind, InputKind } from './definition.js';
import { dataCompositeKinds } from './data/index.js';
import { BuildingBlockInput } from './functions/buildingblock-input.js';
import { DataServiceInput } from './functions/data-service-input.js';
import { DataSnapshotInput } from './functions/data-snapshot-input.js';
import { PlacementAPIInput } from './functions/placement-input.js';
import { ResellerBindingInput, ResellerProjectInput, ResellerUserInput } from './functions/reseller-input.js';
import { StorageClassesInput } from './functions/storage-classes-input.js';
import { UniqueNameInput } from './functions/unique-name-input.js';
import { BuildingBlock } from './openstack/buildingblock.js';
import { PlacementAPI } from './openstack/placementapi.js';
import { Project } from './reseller/project.js';
import { User } from './reseller/user.js';
import { UserProjectBinding } from './reseller/userprojectbinding.js';
import { StorageTenant } from './storage/storagetenant.js';

/** Every user-facing composite resource kind. Adding a kind is adding it here. */
export const compositeKinds: readonly CompositeKind[] = [
  StorageTenant,
  PlacementAPI,
  BuildingBlock,
  ...dataCompositeKinds,
  Project,
  User,
  UserProjectBinding,
];

/** Every function step input kind. */
export const inputKinds: readonly InputKind[] = [
  StorageClassesInput,
  PlacementAPIInput,
  BuildingBlockInput,
  DataServiceInput,
  DataSnapshotInput,
  UniqueNameInput,
  ResellerProjectInput,
  ResellerUserInput,
  ResellerBindingInput,
];
