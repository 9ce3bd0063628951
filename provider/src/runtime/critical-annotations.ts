/**
 * Annotations that must not be lost (crossplane-runtime's critical annotations): the external name
 * and the outcome of a create. Losing one could leak or duplicate an external resource, so they are
 * written unconditionally and retried, behind a port of their own as crossplane-runtime's
 * CriticalAnnotationUpdater.
 */
import type { Clock } from './clock.js';
import type { KubeClient, ResourceType } from './kube.js';
import type { ManagedResource } from './resource.js';

/** Records annotations that must not be lost; throws only once it has given up. */
export interface CriticalAnnotationUpdater {
  update(mr: ManagedResource, annotations: Record<string, string>): Promise<ManagedResource>;
}

/** Metadata the reconciler writes. */
export interface MetadataPatch {
  annotations?: Record<string, string>;
  finalizers?: string[];
}

/** Merge-patches metadata; a conditional patch fails with a conflict if the resource changed. */
export function patchMetadata(
  kube: KubeClient,
  type: ResourceType,
  mr: ManagedResource,
  metadata: MetadataPatch,
  conditional: boolean,
): Promise<ManagedResource> {
  const patch = {
    metadata: { ...metadata, ...(conditional ? { resourceVersion: mr.metadata.resourceVersion } : {}) },
  };
  return kube.mergePatch<ManagedResource>(type, mr.metadata.name, mr.metadata.namespace, patch);
}

/** Retries a transient failure with exponential back-off (100 ms, 200 ms, ...), attempts times in all. */
export class RetryingCriticalAnnotationUpdater implements CriticalAnnotationUpdater {
  constructor(
    private readonly kube: KubeClient,
    private readonly type: ResourceType,
    private readonly clock: Clock,
    private readonly attempts = 5,
  ) {}

  async update(mr: ManagedResource, annotations: Record<string, string>): Promise<ManagedResource> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      try {
        return await patchMetadata(this.kube, this.type, mr, { annotations }, false);
      } catch (err) {
        lastError = err;
        await new Promise((resolve) => this.clock.after(100 * 2 ** attempt, () => resolve(undefined)));
      }
    }
    throw lastError;
  }
}
