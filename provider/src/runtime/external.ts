/**
 * The port between the managed-resource reconciler and an external API, after crossplane-runtime's
 * ExternalConnector / ExternalClient. The reconciler only orchestrates; every call to an external
 * system goes through these methods.
 *
 * None of these calls should block longer than one request to the external API, and all must be
 * idempotent: the reconciler may repeat any of them after a crash or a conflict.
 */

/** Connection details published to the managed resource's connection Secret. */
export type ConnectionDetails = Record<string, Buffer>;

/** What Observe learned about the external resource. */
export interface ExternalObservation {
  /** The external resource exists. False makes the reconciler Create (or finish a Delete). */
  resourceExists: boolean;
  /** The external resource matches the desired state; false makes the reconciler Update. */
  resourceUpToDate: boolean;
  /** Spec fields the external system defaulted, when the management policies allow LateInitialize. */
  lateInitialized?: Record<string, unknown>;
  /** Observed state for status.atProvider. */
  atProvider?: Record<string, unknown>;
  /** The resource is usable (Ready=True/Available); otherwise Ready=False/Unavailable. */
  available?: boolean;
  connectionDetails?: ConnectionDetails;
}

export interface ExternalCreation {
  /** The identifier the external system assigned, stored in crossplane.io/external-name. */
  externalName?: string;
  connectionDetails?: ConnectionDetails;
}

export interface ExternalUpdate {
  connectionDetails?: ConnectionDetails;
  /**
   * The state the external API answered the update with, for status.atProvider, as a Go client's
   * Update sets it: without it the status shows the state before the update until the next poll.
   */
  atProvider?: Record<string, unknown>;
}

/** A managed resource as the external client sees it: its spec, its external name and its identity. */
export interface ManagedView<ForProvider> {
  name: string;
  namespace?: string;
  externalName?: string;
  /**
   * metadata.creationTimestamp (RFC 3339): set by the API server alone, so unlike annotations and spec
   * a tenant cannot write it.
   */
  createdAt?: string;
  forProvider: ForProvider;
  /**
   * The managed resource has a deletion timestamp. Only external resources that exist by being
   * recorded (nothing to delete in the external system) need it: their observe reports them gone.
   */
  deleting?: boolean;
  /**
   * Reads the connection details last published to the resource's connection Secret (undefined when
   * that Secret does not exist). Absent when the resource publishes none (no
   * spec.writeConnectionSecretToRef). For kinds that must publish only what the external API accepted,
   * or must notice a secret that was never published.
   */
  published?: () => Promise<ConnectionDetails | undefined>;
}

/** The operations on one external resource, for one managed resource, bound to its provider config. */
export interface ExternalClient<ForProvider> {
  observe(mr: ManagedView<ForProvider>): Promise<ExternalObservation>;
  create(mr: ManagedView<ForProvider>): Promise<ExternalCreation>;
  update(mr: ManagedView<ForProvider>): Promise<ExternalUpdate>;
  delete(mr: ManagedView<ForProvider>): Promise<void>;
  /** Releases what connect acquired; called after every reconcile. */
  disconnect?(): Promise<void>;
}

/** Produces an ExternalClient for a managed resource from its resolved provider config. */
export interface ExternalConnector<ForProvider, ProviderConfig> {
  connect(providerConfig: ProviderConfig): Promise<ExternalClient<ForProvider>>;
}
