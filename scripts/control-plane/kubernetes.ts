/**
 * The Kubernetes part of the control plane: etcd, kube-apiserver with RBAC and service-account token
 * signing, and kube-controller-manager with the controllers Crossplane relies on (garbage collector,
 * ClusterRole aggregation, service accounts and their tokens, namespace deletion). No kubelet and no
 * scheduler: pods never run, which none of the examples needs.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { freePort, waitFor } from './wait.js';
import type { Processes } from './processes.js';

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

/** A running etcd and kube-apiserver: its URL, the admin's kubeconfig file and client configuration. */
export interface ApiServer {
  url: string;
  /** The API server's self-signed serving certificate, which clients trust. */
  caCert: string;
  adminKubeconfig: string;
  admin: KubeConfig;
  /** The folder of its data, certificates and keys. */
  dir: string;
}

/**
 * Starts etcd and kube-apiserver with RBAC and service-account token signing on free loopback ports,
 * each logging into the processes' folder as `<prefix>etcd` and `<prefix>kube-apiserver`: the control
 * plane's cluster, and the stand-in for a tenant's own cluster (prefix `tenant-cluster-`).
 */
export async function startApiServer(
  processes: Processes,
  binaries: Pick<KubernetesBinaries, 'etcd' | 'kubeApiServer'>,
  dir: string,
  prefix = '',
): Promise<ApiServer> {
  mkdirSync(dir, { recursive: true });
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const token = randomBytes(24).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`);

  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const etcd = processes.start({
    name: `${prefix}etcd`,
    command: binaries.etcd,
    args: [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      // The data is thrown away with the control plane: skip fsync, most of etcd's cost on a shared disk.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
  });
  await waitFor(`${prefix}etcd`, etcd, async () => (await fetch(`${etcdUrl}/health`)).ok, 30_000);

  const certDir = join(dir, 'certs');
  const apiserver = processes.start({
    name: `${prefix}kube-apiserver`,
    command: binaries.kubeApiServer,
    args: [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      '--service-cluster-ip-range=10.96.0.0/24',
      // As kubeadm and managed clusters run it: node agents (nova-compute) are privileged pods.
      '--allow-privileged=true',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      '-v=1',
    ],
  });
  const url = `https://127.0.0.1:${securePort}`;
  await waitFor(
    `${prefix}kube-apiserver`,
    apiserver,
    async () => (await readyz(url, token)) === 'ok',
    120_000,
  );
  const caCert = readFileSync(join(certDir, 'apiserver.crt'), 'utf8');

  const adminKubeconfig = join(dir, 'admin.kubeconfig');
  writeKubeconfig(adminKubeconfig, url, caCert, 'admin', token);
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  return { url, caCert, adminKubeconfig, admin, dir };
}

/** Starts etcd, kube-apiserver and kube-controller-manager, each logging into the processes' folder. */
export async function startCluster(
  processes: Processes,
  binaries: KubernetesBinaries,
  dir: string,
): Promise<Cluster> {
  const { url, caCert, adminKubeconfig, admin } = await startApiServer(processes, binaries, dir);
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

function writeKubeconfig(path: string, server: string, caCert: string, user: string, token: string): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'stackplane',
        cluster: { server, 'certificate-authority-data': Buffer.from(caCert).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'stackplane', context: { cluster: 'stackplane', user } }],
    'current-context': 'stackplane',
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}

/** GET /readyz with the admin token; the serving certificate is not known yet, so it is not verified. */
export async function readyz(url: string, token: string): Promise<string> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${url}/readyz`,
      { rejectUnauthorized: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body.trim()));
      },
    );
    req.on('error', reject);
  });
}
