import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { readyz } from '../../scripts/control-plane/kubernetes.js';
import { freePort } from '../../scripts/control-plane/wait.js';

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

/** A running API server: its kubeconfig, and stop() to end both processes and remove their data. */
export interface KubeApiServer {
  kubeConfig: KubeConfig;
  url: string;
  stop(): Promise<void>;
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

/** Keeps the last lines a process printed, to explain why it did not come up. */
function tail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString().split('\n'));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

async function waitFor(what: string, check: () => Promise<boolean>, output: () => string, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`cannot start ${what}: not ready after ${ms}ms\n${output()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts etcd and kube-apiserver on free loopback ports with a temporary data directory, a generated
 * service-account key pair, a static admin token and `--authorization-mode=AlwaysAllow`, and waits for
 * /readyz. There is no controller manager: nothing garbage-collects owned objects or runs pods.
 */
export async function startKubeApiServer(binaries: KubeApiServerBinaries): Promise<KubeApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stackplane-apiserver-'));
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const token = randomBytes(24).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`);

  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const etcd = spawn(
      binaries.etcd,
      [
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
        // Test data is thrown away: skip fsync, which is most of etcd's cost on a shared disk.
        '--unsafe-no-fsync',
        '--log-level=error',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(etcd);
    const etcdOutput = tail(etcd);
    await waitFor('etcd', async () => (await fetch(`${etcdUrl}/health`)).ok, etcdOutput, 30_000);

    const apiserver = spawn(
      binaries.kubeApiServer,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${securePort}`,
        `--cert-dir=${join(dir, 'certs')}`,
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        '--authorization-mode=AlwaysAllow',
        `--service-account-key-file=${join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
        '--service-account-issuer=https://kubernetes.default.svc',
        '--service-cluster-ip-range=10.96.0.0/24',
        // Fewer background loops on a 2-core machine; neither matters to a test.
        '--enable-priority-and-fairness=false',
        '--profiling=false',
        '-v=0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(apiserver);
    const apiserverOutput = tail(apiserver);

    const url = `https://127.0.0.1:${securePort}`;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'test', server: url, skipTLSVerify: true }],
      users: [{ name: 'admin', token }],
      contexts: [{ name: 'test', cluster: 'test', user: 'admin' }],
      currentContext: 'test',
    });
    await waitFor(
      'kube-apiserver',
      async () => {
        if (apiserver.exitCode !== null) throw new Error('exited');
        return (await readyz(url, token)) === 'ok';
      },
      apiserverOutput,
      90_000,
    );
    return { kubeConfig, url, stop };
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
