import type { z } from 'zod';

/** The group of the provider's ProviderConfig and ClusterProviderConfig. */
export const PROVIDER_CONFIG_GROUP = 'm.stackplane.io';

/**
 * A namespaced managed resource kind of provider-stackplane: the zod schemas of its
 * `spec.forProvider` and `status.atProvider`. The generic managed-resource fields (providerConfigRef,
 * managementPolicies, writeConnectionSecretToRef, conditions) are the reconciler's and are added to
 * every kind alike.
 */
export interface ManagedKind<
  ForProvider extends z.ZodType = z.ZodType,
  AtProvider extends z.ZodType = z.ZodType,
> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  description: string;
  forProvider: ForProvider;
  atProvider: AtProvider;
  /** The keys the kind writes to its connection Secret. */
  connectionKeys: readonly string[];
}

/** A reference to a Secret; the namespace defaults to the referencing object's (or the provider's). */
export interface SecretReference {
  name: string;
  namespace?: string;
}
