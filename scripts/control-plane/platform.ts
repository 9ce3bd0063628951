/**
 * What a platform team sets up around Stackplane, with fakes standing in for the external APIs: the
 * reseller API over HTTP on its region's Keystone (a real one when installed, else a fake), the block-storage API over HTTPS, a region
 * (`ClusterProviderConfig` prod1, as the examples name it) and the storage cluster (`default`), and
 * Stackplane's ClusterRoles from package/rbac, and the CRDs of the backends the data-service and PlacementAPI Compositions compose (provider-upjet-aws,
 * provider-sql, provider-openstack, ACK), whose providers do not run here.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KeystoneInstall } from '../../testing/keystone.js';
import { DEFAULT_ACCOUNT, type FakeResellerAPI } from '../../testing/fakes/reseller-api.js';
import { FakeStorageAPI } from '../../testing/fakes/storage-api.js';
import { selfSignedLoopback } from '../../testing/fakes/tls.js';
import { CROSSPLANE_NAMESPACE } from './crossplane.js';
import { startResellerIdentity, type Identity } from './identity.js';
import type { Objects } from './objects.js';
import { yamlObjects, type KubeObject } from './objects.js';

/** The running fakes of the external APIs. */
export interface Fakes {
  reseller: FakeResellerAPI;
  /** The region's Keystone: the real one when the control plane runs one, the FakeKeystone otherwise. */
  identity: Identity;
  storage: FakeStorageAPI;
  /** The certificate the storage fake serves, its own CA. */
  storageCA: string;
  stop(): Promise<void>;
}

/** The region every reseller example names. */
export const REGION = 'prod1';
/** The storage cluster's provider config, the StorageTenant Composition's default. */
export const STORAGE_CONFIG = 'default';
const STORAGE_ADMIN_TOKEN = 'storage-admin-token';

/** The folder of the backends' CRDs. */
const BACKEND_CRDS = 'test/schemas';
/**
 * Built-in, Crossplane's own, or the CSI snapshot CRDs (a cluster prerequisite, not a backend): never
 * installed as backends.
 */
const NOT_BACKENDS = new Set(['storage.k8s.io', 'protection.crossplane.io', 'snapshot.storage.k8s.io']);

/** Starts the fakes, the reseller API's on a real Keystone when `keystone` is installed. */
export async function startFakes(keystone?: KeystoneInstall, logDir?: string): Promise<Fakes> {
  const { reseller, identity } = await startResellerIdentity(
    keystone,
    logDir ? join(logDir, 'keystone.log') : undefined,
  );
  const storageTLS = selfSignedLoopback();
  const storage = await new FakeStorageAPI(STORAGE_ADMIN_TOKEN, storageTLS).start();
  return {
    reseller,
    identity,
    storage,
    storageCA: storageTLS.cert,
    stop: async () => {
      await Promise.all([reseller.stop(), identity.stop(), storage.stop()]);
    },
  };
}

const secret = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: CROSSPLANE_NAMESPACE },
  stringData: data,
});

/** The region and the storage cluster as provider-stackplane's ClusterProviderConfigs, with their Secrets. */
export function providerConfigs(fakes: Fakes): KubeObject[] {
  const storageKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return [
    secret(`${REGION}-secret`, { username: DEFAULT_ACCOUNT.username, password: DEFAULT_ACCOUNT.password }),
    {
      apiVersion: 'm.stackplane.io/v1alpha1',
      kind: 'ClusterProviderConfig',
      metadata: { name: REGION },
      spec: {
        endpoint: fakes.reseller.url,
        credentials: {
          source: 'Secret',
          secretRef: { name: `${REGION}-secret`, namespace: CROSSPLANE_NAMESPACE },
        },
        keystone: { authURL: fakes.identity.url },
        regionName: REGION,
        // The fakes and the test Keystone serve plain HTTP on loopback.
        allowInsecureHTTP: true,
      },
    },
    secret('storage-admin', {
      token: STORAGE_ADMIN_TOKEN,
      'key.pem': storageKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'ca.crt': fakes.storageCA,
    }),
    {
      apiVersion: 'm.stackplane.io/v1alpha1',
      kind: 'ClusterProviderConfig',
      metadata: { name: STORAGE_CONFIG },
      spec: {
        storage: {
          endpoints: [fakes.storage.endpoint],
          adminTokenSecretRef: { name: 'storage-admin', key: 'token' },
          adminPrivateKeySecretRef: { name: 'storage-admin', key: 'key.pem' },
          caSecretRef: { name: 'storage-admin', key: 'ca.crt' },
        },
      },
    },
  ];
}

/** The CSI snapshot CRDs (external-snapshotter's), which a cluster may or may not serve. */
export function snapshotCrds(): KubeObject[] {
  return readdirSync(BACKEND_CRDS)
    .filter((f) => f.startsWith('volumesnapshot') && f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => yamlObjects(join(BACKEND_CRDS, f)))
    .filter((o) => o.kind === 'CustomResourceDefinition');
}

/** The backends' CRDs from test/schemas. */
export function backendCrds(): KubeObject[] {
  return readdirSync(BACKEND_CRDS)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => yamlObjects(join(BACKEND_CRDS, f)))
    .filter((o) => o.kind === 'CustomResourceDefinition')
    .filter((crd) => !NOT_BACKENDS.has((crd['spec'] as { group: string }).group));
}

/**
 * What Crossplane's RBAC manager grants core for the kinds of an installed provider
 * (`crossplane:provider:<revision>:aggregate-to-edit`), for the backends whose providers are not
 * installed here: every verb on their managed resources, aggregated into Crossplane's role.
 */
export function backendRole(crds: KubeObject[]): KubeObject {
  const byGroup = new Map<string, string[]>();
  for (const crd of crds) {
    const { group, names } = crd['spec'] as { group: string; names: { plural: string } };
    byGroup.set(group, [...(byGroup.get(group) ?? []), names.plural, `${names.plural}/status`]);
  }
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'crossplane:provider:backends:aggregate-to-edit',
      labels: { 'rbac.crossplane.io/aggregate-to-crossplane': 'true' },
    },
    rules: [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: ['*'] })),
  };
}

/** The folder of the ClusterRoles a platform applies beside the packages (README: Install into a cluster). */
const PACKAGE_RBAC = 'package/rbac';

/** Stackplane's ClusterRoles that extend Crossplane's for what the Compositions compose. */
export function packageRbac(): KubeObject[] {
  return readdirSync(PACKAGE_RBAC)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => yamlObjects(join(PACKAGE_RBAC, f)));
}

/** Installs Stackplane's RBAC, the provider configs and the backends. */
export async function installPlatform(objects: Objects, fakes: Fakes): Promise<void> {
  const crds = backendCrds();
  await objects.apply(...packageRbac(), ...crds, backendRole(crds), ...providerConfigs(fakes));
}
