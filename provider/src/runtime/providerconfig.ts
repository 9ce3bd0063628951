/**
 * The ProviderConfig resolver port: finds the ProviderConfig or ClusterProviderConfig a managed
 * resource references (default ClusterProviderConfig "default") and records a ProviderConfigUsage,
 * so a provider config in use is never deleted from under its resources.
 */
import { ownerReferenceOf } from './connection.js';
import type { KubeClient, KubeObject, ResourceType } from './kube.js';
import type { ManagedResource, Reference } from './resource.js';

/** The API group of provider configs and their usages. */
export const PROVIDER_CONFIG_GROUP = 'm.stackplane.io';
/** Their API version. */
export const PROVIDER_CONFIG_VERSION = 'v1alpha1';

/** The label that names the provider config on a usage, as Crossplane labels them. */
export const PROVIDER_CONFIG_LABEL = 'crossplane.io/provider-config';

/** The REST types of provider configs and usages. */
export const providerConfigTypes = {
  ProviderConfig: {
    group: PROVIDER_CONFIG_GROUP,
    version: PROVIDER_CONFIG_VERSION,
    plural: 'providerconfigs',
    namespaced: true,
  },
  ClusterProviderConfig: {
    group: PROVIDER_CONFIG_GROUP,
    version: PROVIDER_CONFIG_VERSION,
    plural: 'clusterproviderconfigs',
    namespaced: false,
  },
  ProviderConfigUsage: {
    group: PROVIDER_CONFIG_GROUP,
    version: PROVIDER_CONFIG_VERSION,
    plural: 'providerconfigusages',
    namespaced: true,
  },
} satisfies Record<string, ResourceType>;

/** The reference used when spec.providerConfigRef is absent. */
export const DEFAULT_PROVIDER_CONFIG_REF = { kind: 'ClusterProviderConfig', name: 'default' } as const;

/** Resolves provider configs and tracks their use. */
export interface ProviderConfigResolver {
  /** The referenced provider config's spec (unvalidated), after recording that mr uses it. */
  resolve(mr: ManagedResource): Promise<unknown>;
  /** Removes mr's usage; called when the finalizer goes. */
  release(mr: ManagedResource): Promise<void>;
}

/** Thrown when the referenced provider config does not exist or cannot be used. */
export class ProviderConfigError extends Error {
  override name = 'ProviderConfigError';
}

interface ProviderConfigUsage extends KubeObject {
  providerConfigRef: Required<Reference>;
  resourceRef: { apiVersion: string; kind: string; name: string; uid: string };
}

/** The reference a resource resolves to. */
export function providerConfigRefOf(mr: ManagedResource): Required<Reference> {
  const ref = mr.spec.providerConfigRef;
  return {
    kind: ref?.kind ?? DEFAULT_PROVIDER_CONFIG_REF.kind,
    name: ref?.name ?? DEFAULT_PROVIDER_CONFIG_REF.name,
  };
}

/** The resolver that reads provider configs from the API server. */
export class KubeProviderConfigResolver implements ProviderConfigResolver {
  constructor(private readonly kube: KubeClient) {}

  async resolve(mr: ManagedResource): Promise<unknown> {
    const ref = providerConfigRefOf(mr);
    const namespace = mr.metadata.namespace;
    if (ref.kind !== 'ProviderConfig' && ref.kind !== 'ClusterProviderConfig') {
      throw new ProviderConfigError(`unknown provider config kind "${ref.kind}"`);
    }
    const config = await this.kube.get<KubeObject & { spec?: unknown }>(
      providerConfigTypes[ref.kind],
      ref.name,
      ref.kind === 'ProviderConfig' ? namespace : undefined,
    );
    if (config === undefined) {
      const where = ref.kind === 'ProviderConfig' ? `${namespace}/${ref.name}` : ref.name;
      throw new ProviderConfigError(`${ref.kind} ${where} not found`);
    }
    await this.track(mr, ref);
    return config.spec ?? {};
  }

  async release(mr: ManagedResource): Promise<void> {
    if (mr.metadata.uid === undefined) return;
    await this.kube.delete(providerConfigTypes.ProviderConfigUsage, usageNameOf(mr), mr.metadata.namespace);
  }

  /** Creates the usage, or points it at the current reference when that changed. */
  private async track(mr: ManagedResource, ref: Required<Reference>): Promise<void> {
    const type = providerConfigTypes.ProviderConfigUsage;
    const name = usageNameOf(mr);
    const existing = await this.kube.get<ProviderConfigUsage>(type, name, mr.metadata.namespace);
    if (existing?.providerConfigRef.kind === ref.kind && existing.providerConfigRef.name === ref.name) return;
    const usage = {
      metadata: { labels: { [PROVIDER_CONFIG_LABEL]: ref.name } },
      providerConfigRef: ref,
      resourceRef: {
        apiVersion: mr.apiVersion,
        kind: mr.kind,
        name: mr.metadata.name,
        uid: mr.metadata.uid ?? '',
      },
    };
    if (existing !== undefined) {
      await this.kube.mergePatch(type, name, mr.metadata.namespace, usage);
      return;
    }
    await this.kube.create<ProviderConfigUsage>(type, {
      apiVersion: `${PROVIDER_CONFIG_GROUP}/${PROVIDER_CONFIG_VERSION}`,
      kind: 'ProviderConfigUsage',
      ...usage,
      metadata: {
        ...usage.metadata,
        name,
        ...(mr.metadata.namespace === undefined ? {} : { namespace: mr.metadata.namespace }),
        ownerReferences: [ownerReferenceOf(mr)],
      },
    });
  }
}

/** A usage is named by the resource's UID, unique across kinds and stable across renames of the config. */
export function usageNameOf(mr: ManagedResource): string {
  return mr.metadata.uid ?? mr.metadata.name;
}
