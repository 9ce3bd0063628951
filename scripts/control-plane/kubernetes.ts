/**
 * The Kubernetes part of the control plane: etcd, kube-apiserver with RBAC and service-account token
 * signing, and kube-controller-manager with the controllers Crossplane relies on (garbage collector,
 * ClusterRole aggregation, service accounts and their tokens, namespace deletion). No kubelet and no
 * scheduler: pods never run, which none of the examples needs.
 */
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { startApiServer, writeKubeconfig } from '../../testing/kube-apiserver.js';
import type { Processes } from '../../testing/processes.js';

/** The binaries this part starts. */
export interface KubernetesBinaries {
  etcd: string;
  kubeApiServer: string;
  kubeControllerManager: string;
}

/** A running cluster: its URL, the admin's kubeconfig file and client configuration. */
export interface Cluster {
  url: string;
  /** The API server's self-signed serving certificate, which clients trust. */
  caCert: string;
  adminKubeconfig: string;
  admin: KubeConfig;
  /** Writes a kubeconfig file for a ServiceAccount (created if missing) and returns its path. */
  serviceAccountKubeconfig(namespace: string, name: string): Promise<string>;
}

/** The controllers of kube-controller-manager that Crossplane relies on. */
export const CONTROLLERS = [
  'garbage-collector-controller', // deleting an XR deletes what it composed (owner references)
  'clusterrole-aggregation-controller', // Crossplane's roles are aggregated from labelled ClusterRoles
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'namespace-controller',
];

/** More flags for the cluster's processes, after their defaults so that they win. */
export interface ClusterArgs {
  apiServer?: string[];
  controllerManager?: string[];
}

/** Starts etcd, kube-apiserver and kube-controller-manager, each logging into the processes' folder. */
export async function startCluster(
  processes: Processes,
  binaries: KubernetesBinaries,
  dir: string,
  extraArgs: ClusterArgs = {},
): Promise<Cluster> {
  const { url, caCert, adminKubeconfig, admin } = await startApiServer(processes, binaries, dir, {
    extraArgs: extraArgs.apiServer ?? [],
  });
  const certDir = join(dir, 'certs');
  processes.start({
    name: 'kube-controller-manager',
    command: binaries.kubeControllerManager,
    args: [
      `--kubeconfig=${adminKubeconfig}`,
      `--controllers=${CONTROLLERS.join(',')}`,
      `--service-account-private-key-file=${join(dir, 'sa.key')}`,
      `--root-ca-file=${join(certDir, 'apiserver.crt')}`,
      '--leader-elect=false',
      '--secure-port=0',
      // Deletions are what the tests watch: collect garbage promptly.
      '--concurrent-gc-syncs=10',
      '-v=1',
      ...(extraArgs.controllerManager ?? []),
    ],
  });

  return {
    url,
    caCert,
    adminKubeconfig,
    admin,
    serviceAccountKubeconfig: async (namespace, name) => {
      const token = await serviceAccountToken(admin, namespace, name);
      const path = join(dir, `${namespace}-${name}.kubeconfig`);
      writeKubeconfig(path, url, caCert, `system:serviceaccount:${namespace}:${name}`, token);
      return path;
    },
  };
}

/** A day-long token of a ServiceAccount from the TokenRequest API; creates the account if missing. */
async function serviceAccountToken(admin: KubeConfig, namespace: string, name: string): Promise<string> {
  const core = admin.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } }).catch(ignoreConflict);
  await core
    .createNamespacedServiceAccount({ namespace, body: { metadata: { name } } })
    .catch(ignoreConflict);
  const request = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 86_400 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`cannot get a token for ServiceAccount ${namespace}/${name}: none returned`);
  return token;
}

/** Ignores 409 AlreadyExists. */
export function ignoreConflict(error: unknown): void {
  if ((error as { code?: number }).code !== 409) throw error;
}
