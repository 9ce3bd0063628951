/**
 * What an informer cache keeps of an object, as controller-runtime's cache transform
 * (TransformStripManagedFields) does for a Go provider: `metadata.managedFields` goes, which no
 * reconciler reads and which is often the larger part of a managed resource (one entry per field
 * manager that ever wrote it: the provider's status and annotation writes, Crossplane's apply), and so
 * does `kubectl apply`'s last-applied annotation, a second copy of the spec. Writes never start from a
 * cached object's whole metadata (they are merge patches of the fields they change), so nothing
 * trimmed here is ever written back or lost.
 */

/** The annotation `kubectl apply` keeps the applied object in. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The metadata fields the trim looks at. */
interface TrimmableMeta {
  managedFields?: unknown;
  annotations?: Record<string, string>;
}

/** Drops what the cache need not hold from object, in place (the informer stores this object), and returns it. */
export function trimForCache<T extends { metadata?: object }>(object: T): T {
  const metadata = object.metadata as TrimmableMeta | undefined;
  if (metadata === undefined) return object;
  delete metadata.managedFields;
  if (metadata.annotations !== undefined && LAST_APPLIED_ANNOTATION in metadata.annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _applied, ...kept } = metadata.annotations;
    metadata.annotations = kept;
  }
  return object;
}
