// Readers of observed objects (composed or required): what they report, nothing about them trusted.
import type { KubeObject } from './types.js';

/**
 * An observed object as a desired one, to keep it exactly as it is: its content without status and
 * without the metadata the API server sets. Composing it again changes nothing, and leaving it out
 * would make Crossplane delete it.
 */
export function asObserved(object: KubeObject): KubeObject {
  const { status: _status, metadata, ...content } = object;
  const { name, namespace, labels, annotations } = (metadata ?? {}) as Record<string, unknown>;
  return {
    ...content,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
  };
}

/** A status condition as an observed object reports it: nothing about it is trusted. */
export interface ObservedCondition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
}

const statusOf = (object: KubeObject | undefined) =>
  (object?.['status'] ?? {}) as { conditions?: unknown; [key: string]: unknown };

/** The condition of `type` an object reports, if any. */
export function conditionOf(object: KubeObject | undefined, type: string): ObservedCondition | undefined {
  const conditions = statusOf(object).conditions;
  if (!Array.isArray(conditions)) return undefined;
  return (conditions as ObservedCondition[]).find((c) => c?.type === type);
}

/** Whether an object reports condition `type` as True (managed resources and operator kinds use Ready). */
export function conditionTrue(object: KubeObject | undefined, type = 'Ready'): boolean {
  return conditionOf(object, type)?.status === 'True';
}

/** Whether a Job has completed successfully. */
export function jobComplete(job: KubeObject | undefined): boolean {
  const succeeded = statusOf(job)['succeeded'];
  return conditionTrue(job, 'Complete') || (typeof succeeded === 'number' && succeeded > 0);
}

/** Ready pods of a Deployment. */
export function readyReplicas(deployment: KubeObject | undefined): number {
  const ready = statusOf(deployment)['readyReplicas'];
  return typeof ready === 'number' ? ready : 0;
}

/** Whether a Deployment runs the wanted number of ready, updated pods. */
export function deploymentReady(deployment: KubeObject | undefined, replicas: number): boolean {
  if (!deployment) return false;
  const updated = statusOf(deployment)['updatedReplicas'];
  const updatedCount = typeof updated === 'number' ? updated : 0;
  return readyReplicas(deployment) >= replicas && updatedCount >= replicas;
}

/** Whether a Secret exists and holds every key. Values are never read. */
export function holdsKeys(secret: KubeObject | undefined, keys: readonly string[]): boolean {
  if (!secret) return false;
  const present = new Set([
    ...Object.keys((secret['data'] ?? {}) as object),
    ...Object.keys((secret['stringData'] ?? {}) as object),
  ]);
  return keys.every((key) => present.has(key));
}
