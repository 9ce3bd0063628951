/**
 * The storage managed resources of a tenant (provider-stackplane, `storage.m.stackplane.io`): the
 * storage Project, its root Credential and the tenant Token, whose connection Secret is the one the
 * StorageClasses point the CSI driver at.
 *
 * A StorageTenant is cluster scoped and these kinds are namespaced. Crossplane v2 composes a namespaced
 * XR's resources into the XR's own namespace, but leaves a cluster-scoped XR's composed resources where
 * their metadata.namespace says, so every one of them names its namespace here. They live where the
 * token Secret must be, because a managed resource writes its connection Secret into its own namespace
 * (writeConnectionSecretToRef has no namespace): the credentials Secret's namespace for a local
 * tenant, the tenant's namespace of the management cluster for a remote one.
 */
import type { z } from 'zod';
import type { StorageClassesInput } from '../../../apis/functions/storage-classes-input.js';
import {
  STORAGE_GROUP,
  StorageToken,
  type storageCredentialParametersSchema,
  type storageProjectParametersSchema,
  type storageTokenParametersSchema,
} from '../../../apis/provider/storage.js';
import type { DesiredResource, KubeObject } from '../../types.js';
import { conditionTrue } from '../../observed.js';
import { tenantLabels } from './storage-class.js';

/** apiVersion of provider-stackplane's storage managed resources. */
export const STORAGE_MR_API_VERSION = `${STORAGE_GROUP}/${StorageToken.version}`;

/** Composition resource names of the storage managed resources, in the order they become Ready. */
export const STORAGE_PROJECT_RESOURCE = 'storage-project';
export const STORAGE_CREDENTIAL_RESOURCE = 'storage-credential';
export const STORAGE_TOKEN_RESOURCE = 'storage-token';

/**
 * Management policies of the Project and the Credential: everything but Delete. Both are named after
 * the cloud project, which other clusters of that project share: deleting one cluster's tenant must
 * neither delete the storage project (and the volumes its Retain classes kept) nor revoke the other
 * clusters' tokens by deleting the root credential. The Token has nothing on the storage cluster.
 */
export const KEEP_ON_DELETE = ['Observe', 'Create', 'Update', 'LateInitialize'];

/** What the storage managed resources of a tenant derive from. */
export interface TenantManagedResources {
  /** The StorageTenant's name: every managed resource of the tenant is named after it. */
  tenant: string;
  /** The tenant cloud project id, the storage project's name. */
  projectID: string;
  /** Namespace of the managed resources and of the token Secret the Token writes. */
  namespace: string;
}

/**
 * The storage Project, Credential and Token of a tenant, each Ready when its observed Ready condition
 * is True. The Token is composed once the Credential is Ready (or when it exists already): a token is
 * of no use to the CSI driver before the storage cluster holds the key that verifies it, and the
 * StorageClasses become Ready with the token Secret.
 */
export function storageManagedResources(
  tenant: TenantManagedResources,
  input: StorageClassesInput,
  observed: Readonly<Record<string, KubeObject>>,
): Record<string, DesiredResource> {
  const { namespace } = tenant;
  const managed = (kind: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: STORAGE_MR_API_VERSION,
    kind,
    metadata: { name: tenant.tenant, namespace, labels: tenantLabels(tenant.tenant) },
    spec: { ...spec, providerConfigRef: { ...input.providerConfigRef } },
  });
  const project: z.input<typeof storageProjectParametersSchema> = { name: tenant.projectID };
  const credential: z.input<typeof storageCredentialParametersSchema> = { projectName: tenant.projectID };
  const token: z.input<typeof storageTokenParametersSchema> = { projectName: tenant.projectID };

  const readyOf = (name: string) => conditionTrue(observed[name]);
  const composed: Record<string, DesiredResource> = {
    [STORAGE_PROJECT_RESOURCE]: {
      resource: managed('Project', { forProvider: project, managementPolicies: KEEP_ON_DELETE }),
      ready: readyOf(STORAGE_PROJECT_RESOURCE),
    },
    [STORAGE_CREDENTIAL_RESOURCE]: {
      resource: managed('Credential', { forProvider: credential, managementPolicies: KEEP_ON_DELETE }),
      ready: readyOf(STORAGE_CREDENTIAL_RESOURCE),
    },
  };
  // Once composed, the Token stays even if the Credential turns not Ready: dropping it would delete
  // the token Secret the CSI driver uses.
  if (observed[STORAGE_TOKEN_RESOURCE] !== undefined || readyOf(STORAGE_CREDENTIAL_RESOURCE)) {
    composed[STORAGE_TOKEN_RESOURCE] = {
      resource: managed('Token', {
        forProvider: token,
        writeConnectionSecretToRef: { name: input.credentialsSecret.name },
      }),
      ready: readyOf(STORAGE_TOKEN_RESOURCE),
    };
  }
  return composed;
}

/**
 * What the token Secret still waits for: the first storage managed resource that is not Ready, as
 * `storage <Kind> <namespace>/<name> is not Ready`; undefined when all of them are.
 */
export function pendingManagedResource(
  tenant: TenantManagedResources,
  observed: Readonly<Record<string, KubeObject>>,
): string | undefined {
  const kinds: Array<[string, string]> = [
    [STORAGE_PROJECT_RESOURCE, 'Project'],
    [STORAGE_CREDENTIAL_RESOURCE, 'Credential'],
    [STORAGE_TOKEN_RESOURCE, 'Token'],
  ];
  const pending = kinds.find(([name]) => !conditionTrue(observed[name]));
  if (!pending) return undefined;
  return `storage ${pending[1]} ${tenant.namespace}/${tenant.tenant} is not Ready`;
}
