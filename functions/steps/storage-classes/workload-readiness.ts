/**
 * Whether the CSI driver's pods are available, read from the StatefulSet and DaemonSet status the
 * workload controllers write (as `kubectl rollout status` reads it): the status must describe the
 * current generation, and every wanted pod must be updated and available.
 */
import type { KubeObject } from '../../types.js';

/** Whether a workload's pods are all available, and a short account of them for messages. */
export interface Availability {
  available: boolean;
  summary: string;
}

const numberAt = (object: Record<string, unknown> | undefined, key: string): number => {
  const value = object?.[key];
  return typeof value === 'number' ? value : 0;
};

const statusOf = (object: KubeObject): Record<string, unknown> =>
  (object['status'] ?? {}) as Record<string, unknown>;

/** Whether the status was written for the object's current spec. */
function observedCurrent(object: KubeObject): boolean {
  const generation = numberAt(object['metadata'] as Record<string, unknown> | undefined, 'generation');
  return numberAt(statusOf(object), 'observedGeneration') >= generation;
}

export function statefulSetAvailability(statefulSet: KubeObject | undefined): Availability {
  if (!statefulSet) return { available: false, summary: 'does not exist yet' };
  const spec = statefulSet['spec'] as Record<string, unknown> | undefined;
  const wanted = typeof spec?.['replicas'] === 'number' ? spec['replicas'] : 1;
  const status = statusOf(statefulSet);
  const ready = numberAt(status, 'availableReplicas');
  const updated = numberAt(status, 'updatedReplicas');
  return {
    available: observedCurrent(statefulSet) && ready >= wanted && updated >= wanted,
    summary: `${ready}/${wanted} available`,
  };
}

/** A DaemonSet with no node to run on is available: there is nothing to wait for. */
export function daemonSetAvailability(daemonSet: KubeObject | undefined): Availability {
  if (!daemonSet) return { available: false, summary: 'does not exist yet' };
  const status = statusOf(daemonSet);
  const wanted = numberAt(status, 'desiredNumberScheduled');
  const available = numberAt(status, 'numberAvailable');
  const updated = numberAt(status, 'updatedNumberScheduled');
  return {
    available:
      observedCurrent(daemonSet) &&
      'desiredNumberScheduled' in status &&
      available >= wanted &&
      updated >= wanted,
    summary: `${available}/${wanted} available`,
  };
}
