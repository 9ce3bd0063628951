/**
 * The managed resource as the reconciler reads it from the API server: Crossplane v2's namespaced
 * managed-resource shape, with accessors for the annotations that carry the reconciler's state.
 */
import type { Condition } from './conditions.js';
import { parseDuration } from './duration.js';

/** The finalizer that keeps a managed resource until its external resource is gone. */
export const FINALIZER = 'finalizer.managedresource.crossplane.io';

/** Annotations of the managed-resource contract. */
export const Annotation = {
  ExternalName: 'crossplane.io/external-name',
  ExternalCreatePending: 'crossplane.io/external-create-pending',
  ExternalCreateSucceeded: 'crossplane.io/external-create-succeeded',
  ExternalCreateFailed: 'crossplane.io/external-create-failed',
  Paused: 'crossplane.io/paused',
  PollInterval: 'crossplane.io/poll-interval',
} as const;

/** A reference to an object by name, optionally of a kind. */
export interface Reference {
  name: string;
  kind?: string;
}

/** Object metadata, as far as the reconciler uses it. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | Date;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  finalizers?: string[];
  deletionTimestamp?: string | Date;
}

/** The spec fields common to every managed resource; forProvider is validated per kind. */
export interface ManagedSpec {
  forProvider?: unknown;
  managementPolicies?: string[];
  providerConfigRef?: Reference;
  writeConnectionSecretToRef?: { name: string };
}

/** The status every managed resource has. */
export interface ManagedStatus {
  conditions?: Condition[];
  atProvider?: Record<string, unknown>;
  observedGeneration?: number;
}

/** A managed resource of any kind. */
export interface ManagedResource {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: ManagedSpec;
  status?: ManagedStatus;
}

/** The default poll interval: how often an unchanged resource is observed again. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;
/** The shortest crossplane.io/poll-interval: shorter ones would hammer the external API. */
export const MIN_POLL_INTERVAL_MS = 1_000;

/** The external name, if recorded. */
export function externalNameOf(mr: ManagedResource): string | undefined {
  const name = mr.metadata.annotations?.[Annotation.ExternalName];
  return name === undefined || name === '' ? undefined : name;
}

/** Whether crossplane.io/paused is "true". */
export function isPaused(mr: ManagedResource): boolean {
  return mr.metadata.annotations?.[Annotation.Paused] === 'true';
}

/** Finalizers of other controllers, which must go before the external resource may be deleted. */
export function otherFinalizersOf(mr: ManagedResource): string[] {
  return (mr.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
}

/** Whether the resource is being deleted. */
export function isDeleting(mr: ManagedResource): boolean {
  return mr.metadata.deletionTimestamp !== undefined && mr.metadata.deletionTimestamp !== null;
}

/**
 * Whether a create was started and its outcome never recorded: pending is newer than both succeeded
 * and failed. The external resource may exist without the resource knowing its name, so creating
 * again could make a duplicate. The annotations hold RFC 3339 times, which compare as strings.
 */
export function isCreateIncomplete(mr: ManagedResource): boolean {
  const annotations = mr.metadata.annotations ?? {};
  const pending = annotations[Annotation.ExternalCreatePending];
  if (pending === undefined) return false;
  const succeeded = annotations[Annotation.ExternalCreateSucceeded] ?? '';
  const failed = annotations[Annotation.ExternalCreateFailed] ?? '';
  return pending > succeeded && pending > failed;
}

/**
 * Whether the resource is in the state its last reconcile left it, healthy: Ready and Synced, both
 * true at the current generation, not deleting. Reconciling it is a routine poll for drift, which
 * may wait while new or changed resources need the external API (see ProviderConfigAdmission).
 */
export function isSettled(mr: ManagedResource): boolean {
  if (isDeleting(mr)) return false;
  const generation = mr.metadata.generation;
  const current = (type: string) =>
    mr.status?.conditions?.some(
      (c) =>
        c.type === type &&
        c.status === 'True' &&
        (generation === undefined || c.observedGeneration === generation),
    ) ?? false;
  return current('Ready') && current('Synced');
}

/** Thrown for a crossplane.io/poll-interval that is not a duration like "30s", "1m" or "1h30m". */
export class InvalidPollIntervalError extends Error {
  override name = 'InvalidPollIntervalError';
}

/**
 * The poll interval in milliseconds: the crossplane.io/poll-interval annotation (a Go duration of
 * ms, s, m and h parts), else the default.
 */
export function pollIntervalOf(mr: ManagedResource, fallbackMs = DEFAULT_POLL_INTERVAL_MS): number {
  const value = mr.metadata.annotations?.[Annotation.PollInterval];
  if (value === undefined) return fallbackMs;
  const total = parseDuration(value);
  if (total === undefined || total <= 0) {
    throw new InvalidPollIntervalError(
      `cannot parse annotation ${Annotation.PollInterval} "${value}": want a positive duration like 30s, 1m or 1h30m`,
    );
  }
  if (total < MIN_POLL_INTERVAL_MS) {
    throw new InvalidPollIntervalError(
      `cannot use annotation ${Annotation.PollInterval} "${value}": must be at least ${MIN_POLL_INTERVAL_MS / 1000}s`,
    );
  }
  return total;
}

/** "namespace/name", the key of a resource in the work queue and in logs. */
export function keyOf(meta: { name: string; namespace?: string }): string {
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}
