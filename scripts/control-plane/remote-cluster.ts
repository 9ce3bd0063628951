/**
 * A second etcd and kube-apiserver on loopback standing in for a tenant's own cluster (the target of a
 * remote StorageTenant), started by the control plane's processes so they log and stop with the rest,
 * and the provider-kubernetes `ProviderConfig` that reaches it through a kubeconfig Secret in the
 * management cluster. No controller manager and no kubelet run there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlPlaneBinaries } from './binaries.js';
import type { ControlPlane } from './index.js';
import { startApiServer, type ApiServer } from '../../testing/kube-apiserver.js';
import { Objects, type KubeObject } from './objects.js';

/** The running stand-in cluster. */
export interface RemoteCluster extends ApiServer {
  name: string;
  /** Its admin's client. */
  objects: Objects;
}

/** Starts the cluster's etcd and kube-apiserver as `<name>-etcd` and `<name>-kube-apiserver`. */
export async function startRemoteCluster(
  cp: ControlPlane,
  binaries: Pick<ControlPlaneBinaries, 'etcd' | 'kubeApiServer'>,
  name: string,
): Promise<RemoteCluster> {
  const server = await startApiServer(cp.processes, binaries, join(cp.dir, name), { prefix: `${name}-` });
  return { ...server, name, objects: new Objects(server.admin) };
}

/** The key of the kubeconfig in its Secret. */
const KUBECONFIG_KEY = 'kubeconfig';

/**
 * The Secret with the cluster's admin kubeconfig and the namespaced provider-kubernetes
 * `ProviderConfig` that uses it, both in namespace, as a platform sets up a tenant's cluster.
 */
export function remoteProviderConfig(remote: RemoteCluster, namespace: string, name: string): KubeObject[] {
  const secretName = `${name}-kubeconfig`;
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName, namespace },
      stringData: { [KUBECONFIG_KEY]: readFileSync(remote.adminKubeconfig, 'utf8') },
    },
    {
      apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
      kind: 'ProviderConfig',
      metadata: { name, namespace },
      spec: {
        credentials: {
          source: 'Secret',
          secretRef: { namespace, name: secretName, key: KUBECONFIG_KEY },
        },
      },
    },
  ];
}
