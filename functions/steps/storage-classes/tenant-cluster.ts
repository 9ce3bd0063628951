/**
 * Where a tenant's cluster objects go. Without a target they are composed as they are, into the
 * cluster Crossplane runs in. With one, each is wrapped in a provider-kubernetes `Object`
 * (kubernetes.m.crossplane.io, namespaced) in the tenant's namespace of the management cluster, whose
 * provider config reaches the tenant's cluster; the object as that cluster has it comes back in the
 * Object's status.atProvider.manifest.
 */
import type { z } from 'zod';
import type { targetSchema } from '../../../apis/storage/storagetenant.js';
import type { KubeObject, Requirement } from '../../types.js';
import { conditionOf, conditionTrue } from '../../observed.js';
import { TENANT_LABEL, tenantLabels } from './storage-class.js';

export type Target = z.output<typeof targetSchema>;

export const OBJECT_API_VERSION = 'kubernetes.m.crossplane.io/v1alpha1';

/** What a remote object needs besides its manifest. */
export interface RemoteOptions {
  /** provider-kubernetes references, for example the token Secret's data patched in from here. */
  references?: unknown[];
  /** Observe only: read an object of the tenant's cluster, never change or delete it. */
  observeOnly?: boolean;
}

export interface TenantCluster {
  /** "local", or the provider config of the tenant's cluster: for status and messages. */
  description: string;
  /** The composed resource that puts a manifest into the tenant's cluster. */
  compose(resourceName: string, manifest: KubeObject, options?: RemoteOptions): KubeObject;
  /** The object as the tenant's cluster has it, once observed. */
  observe(resourceName: string): KubeObject | undefined;
  /**
   * Whether the tenant's cluster answered about an observe-only object: present (observe has it),
   * absent, or not yet (a remote Object provider-kubernetes has not reconciled, or could not).
   */
  answered(resourceName: string): { answered: true } | { answered: false; why: string };
  /**
   * Whether what composed the object is still being deleted although no longer composed: a remote
   * Object waits for provider-kubernetes to delete the object there, and composing it again under the
   * same name would update the terminating Object instead of creating a new one.
   */
  deleting(resourceName: string): boolean;
}

export function localCluster(observed: Readonly<Record<string, KubeObject>>): TenantCluster {
  return {
    description: 'local',
    compose: (_name, manifest) => manifest,
    observe: (name) => observed[name],
    answered: () => ({ answered: true }),
    // Local objects have no finalizers of ours: deleting one removes it at once.
    deleting: () => false,
  };
}

/** The tenant's Objects in its namespace, terminating ones included, as a required resource. */
export function tenantObjectsRequirement(target: Target, tenant: string): Requirement {
  return {
    apiVersion: OBJECT_API_VERSION,
    kind: 'Object',
    namespace: target.namespace,
    matchLabels: { [TENANT_LABEL]: tenant },
  };
}

/**
 * existing: the tenant's Objects as tenantObjectsRequirement fetched them, which still lists an Object
 * Crossplane deleted (and so no longer observes) until provider-kubernetes has removed its object.
 */
export function remoteCluster(
  target: Target,
  tenant: string,
  observed: Readonly<Record<string, KubeObject>>,
  existing: readonly KubeObject[] = [],
): TenantCluster {
  const { kind, name } = target.providerConfigRef;
  const objectName = (resourceName: string) => `${tenant}-${resourceName}`;
  return {
    description: kind === 'ProviderConfig' ? `ProviderConfig ${target.namespace}/${name}` : `${kind} ${name}`,
    compose: (resourceName, manifest, options = {}) => ({
      apiVersion: OBJECT_API_VERSION,
      kind: 'Object',
      metadata: {
        name: objectName(resourceName),
        namespace: target.namespace,
        labels: tenantLabels(tenant),
      },
      spec: {
        forProvider: { manifest },
        ...(options.references ? { references: options.references } : {}),
        ...(options.observeOnly ? { managementPolicies: ['Observe'] } : {}),
        providerConfigRef: { kind, name },
      },
    }),
    observe: (resourceName) => remoteManifest(observed[resourceName]),
    answered: (resourceName) => observeOnlyAnswer(observed[resourceName], objectName(resourceName)),
    deleting: (resourceName) =>
      observed[resourceName] === undefined &&
      existing.some((o) => {
        const metadata = (o['metadata'] ?? {}) as { name?: string; deletionTimestamp?: string };
        return metadata.name === objectName(resourceName) && metadata.deletionTimestamp !== undefined;
      }),
  };
}

/**
 * The object of the tenant's cluster an observed `Object` reports; undefined until the Object is
 * Ready (SuccessfulCreate: created or found there) and has reported it.
 */
export function remoteManifest(object: KubeObject | undefined): KubeObject | undefined {
  if (!object || !conditionTrue(object)) return undefined;
  const atProvider = (object['status'] as { atProvider?: { manifest?: unknown } } | undefined)?.atProvider;
  const manifest = atProvider?.manifest;
  return typeof manifest === 'object' && manifest !== null ? (manifest as KubeObject) : undefined;
}

/**
 * provider-kubernetes' answer about an observe-only Object: Ready with the manifest when the object
 * exists, or crossplane-runtime's "external resource does not exist" (Synced=False) when it does not.
 * Anything else (not reconciled yet, the cluster unreachable) is no answer.
 */
export function observeOnlyAnswer(
  object: KubeObject | undefined,
  name: string,
): { answered: true } | { answered: false; why: string } {
  if (remoteManifest(object) !== undefined) return { answered: true };
  const synced = conditionOf(object, 'Synced');
  const message = typeof synced?.message === 'string' ? synced.message : '';
  if (synced?.status === 'False' && message.includes(NOT_EXIST)) return { answered: true };
  return { answered: false, why: `Object ${name} has not reported yet${message ? ` (${message})` : ''}` };
}

/** crossplane-runtime's message for an observe-only resource that does not exist. */
const NOT_EXIST = 'external resource does not exist';
