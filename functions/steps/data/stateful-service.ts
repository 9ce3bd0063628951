import type { DesiredResource, KubeObject } from '../../types.js';
import { workloadReady } from './managed.js';
import { secret } from './secrets.js';
import { clusterService, singleStatefulSet } from './workload.js';

/** Composition resource names every in-cluster data service uses. */
export const CREDENTIALS = 'credentials';
export const SERVICE = 'service';
export const STATEFULSET = 'statefulset';

/** What an in-cluster data service is: one container with one volume, behind one port. */
export interface StatefulServiceOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** The Secret the server reads its credentials from, and its values. */
  credentialsName: string;
  credentials: Record<string, string>;
  port: { name: string; port: number };
  container: Record<string, unknown>;
  storageSize: string;
  storageClassName?: string | undefined;
  podSecurityContext?: Record<string, unknown>;
  observed: Readonly<Record<string, KubeObject>>;
}

/**
 * The credentials Secret, the Service and the single-replica StatefulSet of an in-cluster data
 * service, each with its readiness: the Secret and Service once they exist, the StatefulSet once its
 * pod is ready.
 */
export function statefulService(options: StatefulServiceOptions): Record<string, DesiredResource> {
  const { name, namespace, labels, observed } = options;
  return {
    [CREDENTIALS]: {
      resource: secret({ name: options.credentialsName, namespace, labels, values: options.credentials }),
      ready: observed[CREDENTIALS] !== undefined,
    },
    [SERVICE]: {
      resource: clusterService({ name, namespace, labels, ports: [options.port] }),
      ready: observed[SERVICE] !== undefined,
    },
    [STATEFULSET]: {
      resource: singleStatefulSet({
        name,
        namespace,
        labels,
        container: options.container,
        storageSize: options.storageSize,
        storageClassName: options.storageClassName,
        ...(options.podSecurityContext ? { podSecurityContext: options.podSecurityContext } : {}),
      }),
      ready: workloadReady(observed[STATEFULSET]),
    },
  };
}
