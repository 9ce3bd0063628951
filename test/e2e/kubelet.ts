/**
 * There is no kubelet on the end-to-end control plane: while a test runs, this reports the pods of
 * every Deployment, StatefulSet and DaemonSet in the given namespaces available for each new
 * generation, as the kubelet and the workload controllers would (a cluster without nodes gives a
 * DaemonSet nothing to schedule).
 */
import type { Objects } from '../../scripts/control-plane/objects.js';

/**
 * Reports workloads available in `namespaces` of `cluster` (the control plane's, or another cluster's
 * such as a remote StorageTenant's) until the returned function is called.
 */
export function standInForKubelet(cluster: Objects, ...namespaces: string[]): () => Promise<void> {
  const report = async (): Promise<void> => {
    for (const namespace of namespaces) {
      for (const [kind, plural] of [
        ['Deployment', 'deployments'],
        ['StatefulSet', 'statefulsets'],
        ['DaemonSet', 'daemonsets'],
      ] as const) {
        for (const object of await cluster.list('apps/v1', kind, namespace)) {
          const generation = object.metadata?.generation;
          const status = (object['status'] ?? {}) as { observedGeneration?: number };
          if (generation === undefined || status.observedGeneration === generation) continue;
          const replicas = (object['spec'] as { replicas?: number }).replicas ?? 1;
          const path = `/apis/apps/v1/namespaces/${namespace}/${plural}/${object.metadata!.name}`;
          await cluster.patchStatus(path, workloadStatus(kind, generation, replicas));
        }
      }
    }
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      await report().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

/** A workload's status with every pod available, as its controller reports it. */
function workloadStatus(kind: string, generation: number, replicas: number): Record<string, unknown> {
  if (kind === 'DaemonSet') {
    return {
      observedGeneration: generation,
      desiredNumberScheduled: 0,
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
      numberAvailable: 0,
      updatedNumberScheduled: 0,
    };
  }
  return {
    observedGeneration: generation,
    replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    updatedReplicas: replicas,
    ...(kind === 'StatefulSet'
      ? { currentReplicas: replicas }
      : { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] }),
  };
}
