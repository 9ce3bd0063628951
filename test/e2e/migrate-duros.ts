/**
 * `stackplane migrate --apply --from duros-controller` on the live control plane (README: Migrating
 * from duros-controller): the controller's Duros sample as it leaves it (the vendored CRD and
 * sample, status reconciled, finalizer on), its storage project and root credential in the storage
 * fake, the token Secret it wrote without an owner, and its Deployment. The command hands it over:
 * the StorageTenant Ready, no create and no delete in the storage API, the Duros gone, the
 * controller scaled to 0. Deleting the StorageTenant then keeps the project and its credential.
 */
import { expect } from 'vitest';
import { run } from '../../migrate/cli.js';
import { KubeCluster } from '../../migrate/cluster.js';
import { parseAdminKey } from '../../provider/src/storage/keys.js';
import { rootCredentialID } from '../../provider/src/storage/paths.js';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import { CROSSPLANE_NAMESPACE } from '../../scripts/control-plane/crossplane.js';
import { yamlObjects, type KubeObject } from '../../scripts/control-plane/objects.js';
import { OPERATED_DUROS_STATUS } from '../migrate/support.js';
import { eventually, refOf, waitForCondition, waitForGone } from './support.js';

const TESTDATA = 'test/migrate/testdata/duros';
/** The sample's namespace, which is also where the controller's manifest runs it. */
const NAMESPACE = 'duros';
const TENANT = 'duros-sample';
const TOKEN_SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'lb-csi-creds', namespace: 'kube-system' },
};

const b64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * The sample Duros as the controller leaves it: reconciled without error, its finalizer on, and each
 * class's `default` spelled out, which the CRD requires and the sample leaves out.
 */
function operatedDuros(): KubeObject {
  const [duros] = yamlObjects(`${TESTDATA}/sample-duros.yaml`);
  const spec = duros!['spec'] as { storageClasses: Record<string, unknown>[] };
  return {
    ...duros!,
    metadata: { ...duros!.metadata!, finalizers: ['storage.metal-stack.io/finalizer'] },
    spec: { ...spec, storageClasses: spec.storageClasses.map((c) => ({ default: false, ...c })) },
  };
}

/** The controller's Deployment, as config/manager/duros-controller.yaml names it. */
const controller: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'duros-controller', namespace: NAMESPACE },
  spec: {
    replicas: 1,
    selector: { matchLabels: { 'control-plane': 'duros-controller' } },
    template: {
      metadata: { labels: { 'control-plane': 'duros-controller' } },
      spec: {
        containers: [{ name: 'duros-controller', image: 'ghcr.io/metal-stack/duros-controller:latest' }],
      },
    },
  },
};

/**
 * Runs the hand-over. `standInForKubelet` reports the CSI workloads' pods available in a namespace
 * until the function it returns is called (there is no kubelet here).
 */
export async function migratesFromDurosController(
  cp: ControlPlane,
  standInForKubelet: (namespace: string) => () => Promise<void>,
): Promise<void> {
  const { objects } = cp;
  const { storage } = cp.fakes;
  await objects.apply(...yamlObjects(`${TESTDATA}/crd-duros.yaml`));
  await objects.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } } as KubeObject);
  // The storage endpoints the controller had on its command line: the platform's, for the tenant.
  const environment: KubeObject = {
    apiVersion: 'apiextensions.crossplane.io/v1beta1',
    kind: 'EnvironmentConfig',
    metadata: { name: 'stackplane-storage' },
    data: { storage: { endpoints: [storage.endpoint] } },
  };
  await objects.apply(environment);

  // What the controller made: the project and its root credential with the admin key's public key.
  const duros = operatedDuros();
  const projectID = (duros['spec'] as { metalProjectID: string }).metalProjectID;
  const admin = await objects.get('v1', 'Secret', 'storage-admin', CROSSPLANE_NAMESPACE);
  const keyPEM = Buffer.from((admin?.['data'] as Record<string, string>)['key.pem']!, 'base64').toString();
  storage.projects.set(projectID, { name: projectID });
  const credentialID = rootCredentialID(projectID);
  storage.credentials.set(`${projectID}/${credentialID}`, {
    projectName: projectID,
    ID: credentialID,
    type: 'RS256PubKey',
    payload: b64(parseAdminKey(keyPEM).publicKeyPEM),
  });
  await objects.apply(
    { ...TOKEN_SECRET, data: { jwt: b64('token-the-controller-signed') } } as KubeObject,
    controller,
  );
  let refused = '';
  await eventually(
    'the Duros created',
    async () => {
      try {
        await objects.apply(duros);
        return true;
      } catch (error) {
        refused = String(error); // The CRD may not be served yet.
        return undefined;
      }
    },
    async () => refused,
  );
  await objects.mergePatch(`/apis/storage.metal-stack.io/v1/namespaces/${NAMESPACE}/duros/sample/status`, {
    status: OPERATED_DUROS_STATUS,
  });

  const stopKubelet = standInForKubelet('kube-system');
  try {
    const requestsBefore = storage.requests.length;
    const out: string[] = [];
    const migration = run(['--apply', '--from', 'duros-controller', '--wait', '5m'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      connect: () => new KubeCluster(cp.admin),
    });
    // As the README says: the controller's token Secret goes once the StorageTenant is applied, so
    // that the StorageTenant's Token writes its own.
    const tenant: KubeObject = {
      apiVersion: 'storage.stackplane.io/v1alpha1',
      kind: 'StorageTenant',
      metadata: { name: TENANT },
    };
    await eventually('the StorageTenant applied', async () =>
      (await objects.get('storage.stackplane.io/v1alpha1', 'StorageTenant', TENANT)) ? true : undefined,
    );
    await objects.delete(TOKEN_SECRET as KubeObject);
    const code = await migration;
    expect(out.join(''), out.join('')).toContain('done: every migrated original is released');
    expect(code).toBe(0);

    const during = storage.requests.slice(requestsBefore);
    expect(
      during.filter((r) => r.method === 'POST' || r.method === 'DELETE').map((r) => `${r.method} ${r.path}`),
    ).toEqual([]);
    await waitForCondition(objects, refOf(tenant), 'Ready');
    await waitForGone(objects, refOf(duros));
    const scaled = await objects.get('apps/v1', 'Deployment', 'duros-controller', NAMESPACE);
    expect((scaled?.['spec'] as { replicas?: number }).replicas).toBe(0);
    const token = await objects.get('v1', 'Secret', 'lb-csi-creds', 'kube-system');
    expect(Object.keys((token?.['data'] as Record<string, string>) ?? {})).toContain('jwt');
    for (const name of ['partition-silver', 'partition-gold']) {
      const sc = await objects.get('storage.k8s.io/v1', 'StorageClass', name);
      expect([sc?.['reclaimPolicy'], sc?.['volumeBindingMode']], `StorageClass ${name}`).toEqual([
        'Delete',
        'Immediate',
      ]);
    }

    // Stackplane's now: deleting the tenant removes what it deployed and keeps the storage project.
    await objects.delete(tenant);
    await waitForGone(objects, refOf(tenant), 180_000);
    for (const name of ['partition-silver', 'partition-gold'])
      await waitForGone(objects, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name });
    expect(storage.projects.has(projectID)).toBe(true);
    expect(storage.credentials.has(`${projectID}/${credentialID}`)).toBe(true);
  } finally {
    await stopKubelet();
    await objects.delete(environment);
    await objects.delete(controller);
  }
}
