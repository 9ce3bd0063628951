/**
 * The one way to start etcd and kube-apiserver, for the end-to-end control plane (scripts/control-plane)
 * and for the tests that need a real API server: the pinned binaries, free loopback ports, a data
 * folder of their own, and processes logged and stopped by PID (testing/processes.ts).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { Processes } from './processes.js';
import { freePort, waitFor } from './wait.js';

/**
 * Whether missing binaries fail the run instead of skipping: CI sets STACKPLANE_REQUIRE_KUBE_APISERVER=1
 * after scripts/install-kube-apiserver.sh, so a broken install can never pass as a skip.
 */
export const kubeApiServerRequired = process.env['STACKPLANE_REQUIRE_KUBE_APISERVER'] === '1';

/** The etcd and kube-apiserver binaries to test with. */
export interface KubeApiServerBinaries {
  etcd: string;
  kubeApiServer: string;
}

function pinned(module: string): string {
  const goMod = readFileSync('tools/kube-apiserver/go.mod', 'utf8');
  const escaped = module.replaceAll('.', '\\.').replaceAll('/', '\\/');
  const version = new RegExp(`^\\s*${escaped} (v\\S+)$`, 'm').exec(goMod)?.[1];
  if (!version) throw new Error(`cannot find the ${module} version in tools/kube-apiserver/go.mod`);
  return version;
}

/**
 * The binaries scripts/install-kube-apiserver.sh builds (or $ETCD and $KUBE_APISERVER), or the reason
 * they cannot be used.
 */
export function findKubeApiServer(): KubeApiServerBinaries | { missing: string } {
  const bin = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'stackplane', 'bin');
  const etcd = process.env['ETCD'] ?? join(bin, `etcd-${pinned('go.etcd.io/etcd/server/v3')}`);
  const kubeApiServer =
    process.env['KUBE_APISERVER'] ?? join(bin, `kube-apiserver-${pinned('k8s.io/kubernetes')}`);
  for (const path of [etcd, kubeApiServer]) {
    if (!existsSync(path))
      return { missing: `${path} does not exist: run scripts/install-kube-apiserver.sh` };
  }
  return { etcd, kubeApiServer };
}

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

/** How to run an API server beyond the defaults. */
export interface ApiServerOptions {
  /** Prefixes the processes' names and log files: `tenant-cluster-` for the stand-in tenant cluster. */
  prefix?: string;
  /** Node,RBAC as a real cluster runs it, unless a test wants every request allowed (AlwaysAllow). */
  authorizationMode?: 'Node,RBAC' | 'AlwaysAllow';
  /** More flags, after the defaults so that they win: `--enable-priority-and-fairness=true`. */
  extraArgs?: string[];
}

/**
 * Starts etcd and kube-apiserver with RBAC and service-account token signing on free loopback ports,
 * each logging into the processes' folder as `<prefix>etcd` and `<prefix>kube-apiserver`: the control
 * plane's cluster, and the stand-in for a tenant's own cluster (prefix `tenant-cluster-`).
 */
export async function startApiServer(
  processes: Processes,
  binaries: KubeApiServerBinaries,
  dir: string,
  options: ApiServerOptions = {},
): Promise<ApiServer> {
  const { prefix = '', authorizationMode = 'Node,RBAC', extraArgs = [] } = options;
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
      `--authorization-mode=${authorizationMode}`,
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      // Room for a platform's Services: a /24 runs out at 254 (the control-plane bench makes hundreds).
      '--service-cluster-ip-range=10.96.0.0/16',
      // As kubeadm and managed clusters run it: node agents (nova-compute) are privileged pods.
      '--allow-privileged=true',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      '-v=1',
      ...extraArgs,
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

/** A running API server for a test: its admin client configuration, and stop() to end it and remove its data. */
export interface KubeApiServer {
  kubeConfig: KubeConfig;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts an API server for a test (startApiServer with AlwaysAllow) in a temporary folder that stop()
 * removes with the processes. There is no controller manager: nothing garbage-collects owned objects
 * or runs pods.
 */
export async function startKubeApiServer(binaries: KubeApiServerBinaries): Promise<KubeApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stackplane-apiserver-'));
  const processes = new Processes(dir);
  const stop = async (): Promise<void> => {
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const server = await startApiServer(processes, binaries, join(dir, 'server'), {
      authorizationMode: 'AlwaysAllow',
    });
    return { kubeConfig: server.admin, url: server.url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The binaries, or undefined after a loud warning (or an error when STACKPLANE_REQUIRE_KUBE_APISERVER=1).
 * Call at the top of a test file and skip its suite on undefined.
 */
export function kubeApiServerOrSkip(suite: string): KubeApiServerBinaries | undefined {
  const found = findKubeApiServer();
  if (!('missing' in found)) return found;
  if (kubeApiServerRequired) throw new Error(`STACKPLANE_REQUIRE_KUBE_APISERVER=1 but ${found.missing}`);
  console.warn(`SKIPPING ${suite}: ${found.missing}`);
  return undefined;
}

/** Writes a kubeconfig file for one user and its bearer token, trusting the server's certificate. */
export function writeKubeconfig(
  path: string,
  server: string,
  caCert: string,
  user: string,
  token: string,
): void {
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
