import { ComputeService } from './compute.js';
import type { ManagedKind } from './definition.js';
import { WebhookNotification } from './notification.js';
import { ApplicationCredential, Project, ProjectMembership, User } from './reseller.js';
import { StorageCredential, StorageProject, StorageToken } from './storage.js';

/** Every managed kind of provider-stackplane; its CRDs are generated from these. */
export const providerManagedKinds: readonly ManagedKind[] = [
  Project,
  User,
  ProjectMembership,
  ApplicationCredential,
  StorageProject,
  StorageCredential,
  StorageToken,
  ComputeService,
  WebhookNotification,
];
