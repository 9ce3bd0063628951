/** The registration of one managed kind with the runtime. */
import type { z } from 'zod';
import type { ExternalConnector } from './external.js';
import type { ResourceType } from './kube.js';

/** A Secret a provider config refers to. */
export interface SecretRef {
  name: string;
  /**
   * Only for a ClusterProviderConfig, default the provider's namespace. A ProviderConfig reads Secrets
   * of its own namespace only, so that nobody reaches another namespace's Secrets through one.
   */
  namespace?: string;
}

/** The provider config a managed resource references, as the runtime found it. */
export interface ProviderConfigSource {
  /** "ClusterProviderConfig/<name>" or "ProviderConfig/<namespace>/<name>"; stable per config. */
  id: string;
  kind: 'ProviderConfig' | 'ClusterProviderConfig';
  name: string;
  /** The namespace of a ProviderConfig. */
  namespace?: string;
  /** spec, not yet validated. */
  spec: unknown;
  /** The data of a Secret the config refers to; undefined when it does not exist. Never log it. */
  readSecret(ref: SecretRef): Promise<Record<string, Buffer> | undefined>;
}

/**
 * Turns the referenced provider config into what the kind's connector needs: validates the spec,
 * reads the Secrets it names. Throws when the config cannot be used; the message names the field or
 * Secret key, never a value.
 */
export type ProviderConfigLoader<ProviderConfig> = (source: ProviderConfigSource) => Promise<ProviderConfig>;

/** A loader for configs that are their spec alone, validated by schema. */
export function providerConfigFromSpec<ProviderConfig>(
  schema: z.ZodType<ProviderConfig>,
): ProviderConfigLoader<ProviderConfig> {
  return async (source) => {
    const parsed = schema.safeParse(source.spec);
    if (!parsed.success) throw new Error(`cannot validate spec of ${source.id}: ${parsed.error.message}`);
    return parsed.data;
  };
}

/**
 * What a kind learns about its provider configs from its external API, shown in their status (for
 * example the reseller API's project prefix). Optional; the provider config reconciler calls it at
 * most once per poll interval per config, and when the config's spec changes.
 */
export interface ProviderConfigStatusObserver<ProviderConfig> {
  /** What is observed, for messages: `cannot observe <noun>: <cause>`. */
  noun: string;
  /** Loads what observeStatus needs; undefined when the config does not configure this API. */
  providerConfig: ProviderConfigLoader<ProviderConfig | undefined>;
  /** The status fields to show; only changed fields are written. Never a secret value. */
  observeStatus(config: ProviderConfig): Promise<Record<string, unknown>>;
  /**
   * The provider config with this id (ProviderConfigSource.id) was deleted: release what was kept for
   * it (a logged-in client holds its password).
   */
  forget?(id: string): void;
}

/**
 * A managed kind: where it lives in the API, the schema of its spec.forProvider, how to load the
 * provider config its connector needs, and the connector to its external API. Everything the
 * reconciler does with the kind is typed by ForProvider and ProviderConfig; nothing casts per kind.
 */
export interface ManagedKind<ForProvider, ProviderConfig> {
  group: string;
  version: string;
  kind: string;
  /** The lower-case plural of the REST path, e.g. "projects". */
  plural: string;
  /** Validates spec.forProvider once per reconcile, at the boundary. */
  forProvider: z.ZodType<ForProvider>;
  /** Loads the ProviderConfig or ClusterProviderConfig the resource references. */
  providerConfig: ProviderConfigLoader<ProviderConfig>;
  connector: ExternalConnector<ForProvider, ProviderConfig>;
  /**
   * A create whose outcome was never recorded (the process died between the
   * crossplane.io/external-create-pending and -succeeded annotations) may be repeated without making a
   * duplicate: the external name is fully derived from the resource, so observe finds what the lost
   * create made, or the create has no external side effect. Kinds whose external system assigns the
   * name must leave it unset: for them a human decides.
   */
  createRepeatable?: boolean;
  /** Status fields of provider configs from the external API; kinds of one API share one observer. */
  providerConfigStatus?: ProviderConfigStatusObserver<unknown>;
}

/** The REST location of a managed kind; managed kinds are namespaced (Crossplane v2). */
export function resourceTypeOf(kind: ManagedKind<unknown, unknown>): ResourceType {
  return { group: kind.group, version: kind.version, plural: kind.plural, namespaced: true };
}
