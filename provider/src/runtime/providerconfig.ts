/**
 * The ProviderConfig resolver port: finds the ProviderConfig or ClusterProviderConfig a managed
 * resource references (default ClusterProviderConfig "default") and records a ProviderConfigUsage,
 * so a provider config in use is never deleted from under its resources.
 */
import { ownerReferenceOf } from './connection.js';
import type { ProviderConfigSource, SecretRef } from './kind.js';
import { KubeApiError, type KubeClient, type KubeObject, type ResourceType } from './kube.js';
import type { ManagedResource, Reference } from './resource.js';
import { readSecretData } from './secrets.js';

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
  /** The referenced provider config, after recording that mr uses it. */
  resolve(mr: ManagedResource): Promise<ProviderConfigSource>;
  /** Removes mr's usage; called when the finalizer goes. */
  release(mr: ManagedResource): Promise<void>;
}

/**
 * Thrown when the referenced provider config does not exist or cannot be used; the one class for the
 * runtime and every kind's loader, so `instanceof` holds everywhere. The message names the field or
 * Secret key, never a value.
 */
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
  /**
   * @param providerNamespace where a ClusterProviderConfig's Secrets are when its reference names no
   *   namespace: the provider's own (crossplane-system in most installations).
   */
  constructor(
    private readonly kube: KubeClient,
    private readonly providerNamespace = 'crossplane-system',
  ) {}

  async resolve(mr: ManagedResource): Promise<ProviderConfigSource> {
    const ref = providerConfigRefOf(mr);
    if (ref.kind !== 'ProviderConfig' && ref.kind !== 'ClusterProviderConfig') {
      throw new ProviderConfigError(`unknown provider config kind "${ref.kind}"`);
    }
    const kind = ref.kind;
    const namespace = kind === 'ProviderConfig' ? mr.metadata.namespace : undefined;
    const config = await this.kube.get<KubeObject & { spec?: unknown }>(
      providerConfigTypes[kind],
      ref.name,
      namespace,
    );
    if (config === undefined) {
      throw new ProviderConfigError(
        `${kind} ${namespace === undefined ? ref.name : `${namespace}/${ref.name}`} not found`,
      );
    }
    await this.track(mr, ref);
    return providerConfigSourceOf(this.kube, this.providerNamespace, kind, ref.name, namespace, config.spec);
  }

  async release(mr: ManagedResource): Promise<void> {
    if (mr.metadata.uid === undefined) return;
    try {
      await this.kube.delete(providerConfigTypes.ProviderConfigUsage, usageNameOf(mr), mr.metadata.namespace);
    } catch (err) {
      // The role Crossplane's RBAC manager gives a provider has no delete on its own kinds: the usage
      // is the resource's (a controller owner reference) and the garbage collector removes it, as
      // crossplane-runtime relies on. Deleting it sooner is a courtesy that must not hold the finalizer.
      if (err instanceof KubeApiError && err.code === 403) return;
      throw err;
    }
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

/**
 * The source a loader reads a provider config from: its id, its spec and its Secrets. A ProviderConfig
 * reads Secrets of its own namespace only; a ClusterProviderConfig's default to providerNamespace.
 */
export function providerConfigSourceOf(
  kube: KubeClient,
  providerNamespace: string,
  kind: 'ProviderConfig' | 'ClusterProviderConfig',
  name: string,
  namespace: string | undefined,
  spec: unknown,
): ProviderConfigSource {
  const id = providerConfigIdOf(kind, name, namespace);
  const readSecret = async (ref: SecretRef): Promise<Record<string, Buffer> | undefined> => {
    if (namespace !== undefined && ref.namespace !== undefined && ref.namespace !== namespace) {
      throw new ProviderConfigError(
        `${id} cannot read Secret ${ref.namespace}/${ref.name}: a ProviderConfig reads Secrets of its own namespace only`,
      );
    }
    return readSecretData(kube, namespace ?? ref.namespace ?? providerNamespace, ref.name);
  };
  return { id, kind, name, ...(namespace === undefined ? {} : { namespace }), spec: spec ?? {}, readSecret };
}

/** The id of a provider config: "ClusterProviderConfig/<name>" or "ProviderConfig/<namespace>/<name>". */
export function providerConfigIdOf(
  kind: 'ProviderConfig' | 'ClusterProviderConfig',
  name: string,
  namespace: string | undefined,
): string {
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

/** A usage is named by the resource's UID, unique across kinds and stable across renames of the config. */
export function usageNameOf(mr: ManagedResource): string {
  return mr.metadata.uid ?? mr.metadata.name;
}
