/** The registration of one managed kind with the runtime. */
import type { z } from 'zod';
import type { ExternalConnector } from './external.js';
import type { ResourceType } from './kube.js';

/**
 * A managed kind: where it lives in the API, the schema of its spec.forProvider, the schema of the
 * provider config spec its connector needs, and the connector to its external API. Everything the
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
  /** Validates the spec of the ProviderConfig or ClusterProviderConfig the resource references. */
  providerConfig: z.ZodType<ProviderConfig>;
  connector: ExternalConnector<ForProvider, ProviderConfig>;
}

/** The REST location of a managed kind; managed kinds are namespaced (Crossplane v2). */
export function resourceTypeOf(kind: ManagedKind<unknown, unknown>): ResourceType {
  return { group: kind.group, version: kind.version, plural: kind.plural, namespaced: true };
}

/** "group/version". */
export function apiVersionOfKind(kind: { group: string; version: string }): string {
  return `${kind.group}/${kind.version}`;
}
