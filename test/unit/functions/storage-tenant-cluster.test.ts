// What a StorageTenant puts into the tenant's cluster besides the classes: the Lightbits CSI driver
// and its readiness, the network policy, the platform's overrides, the remote target through
// provider-kubernetes Objects, and the replaced controller's fields.
import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../functions/handler.js';
import { steps } from '../../../functions/steps/index.js';
import type { KubeObject } from '../../../functions/types.js';
import {
  fetched,
  runFunctionRequest,
  storageClassesInput,
  storageTenant,
  tokenSecret,
  withoutSpecField,
  withSpec,
  type RequestParts,
} from '../../support/requests.js';
import {
  desiredReadiness,
  desiredResources,
  desiredStatus,
  summarize,
  type Summary,
} from '../../support/responses.js';

const run = (parts: RequestParts) => new StackplaneFunction(steps).RunFunction(runFunctionRequest(parts));

const platform = (storage: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'EnvironmentConfig',
  metadata: { name: 'stackplane-storage' },
  data: { storage },
});
const withPlatform = storageClassesInput({ environmentConfig: { name: 'stackplane-storage' } });

type Container = { name: string; image: string; args?: string[] };
const podSpec = (workload: KubeObject | undefined) =>
  ((workload?.['spec'] as { template: { spec: Record<string, unknown> } }).template.spec ?? {}) as {
    containers: Container[];
    initContainers?: Container[];
    volumes: Array<{ name: string }>;
  };
const containers = (workload: KubeObject | undefined) =>
  podSpec(workload).containers.map((c) => `${c.name}=${c.image}`);

const DRIVER_RESOURCES = [
  'csi-clusterrole-external-resizer-runner',
  'csi-clusterrole-lb-csi-attacher-role',
  'csi-clusterrole-lb-csi-node',
  'csi-clusterrole-lb-csi-provisioner-role',
  'csi-clusterrolebinding-csi-resizer-role',
  'csi-clusterrolebinding-lb-csi-attacher-binding',
  'csi-clusterrolebinding-lb-csi-node',
  'csi-clusterrolebinding-lb-csi-provisioner-binding',
  'csi-controller',
  'csi-driver',
  'csi-node',
  'csi-serviceaccount-lb-csi-ctrl-sa',
  'csi-serviceaccount-lb-csi-node-sa',
];
const SNAPSHOT_RESOURCES = [
  'csi-clusterrole-external-snapshotter-runner',
  'csi-clusterrole-snapshot-controller-runner',
  'csi-clusterrolebinding-csi-snapshotter-role',
  'csi-clusterrolebinding-snapshot-controller-role',
];
const driverResourceNames = (rsp: Awaited<ReturnType<typeof run>>) =>
  Object.keys(desiredResources(rsp))
    .filter((name) => name.startsWith('csi-'))
    .sort();

describe('StorageTenant: the Lightbits CSI driver', () => {
  it('composes the CSIDriver, controller StatefulSet, node DaemonSet, ServiceAccounts and RBAC with the pinned images', async () => {
    const rsp = await run({ required: fetched() });
    const desired = desiredResources(rsp);
    expect(driverResourceNames(rsp)).toEqual([...DRIVER_RESOURCES, ...SNAPSHOT_RESOURCES].sort());
    expect(desired['csi-driver']).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: {
        name: 'csi.lightbitslabs.com',
        labels: { 'app.kubernetes.io/managed-by': 'stackplane', 'storage.stackplane.io/tenant': 'tenant-a' },
      },
      spec: { attachRequired: true, podInfoOnMount: true },
    });
    expect(desired['csi-controller']?.['metadata']).toMatchObject({
      name: 'lb-csi-controller',
      namespace: 'kube-system',
    });
    expect(containers(desired['csi-controller'])).toEqual([
      'lb-csi-plugin=docker.lightbitslabs.com/lightos-csi/lb-csi-plugin:v1.21.0',
      'csi-provisioner=registry.k8s.io/sig-storage/csi-provisioner:v5.3.0',
      'csi-attacher=registry.k8s.io/sig-storage/csi-attacher:v4.11.0',
      'csi-resizer=registry.k8s.io/sig-storage/csi-resizer:v2.1.0',
      'snapshot-controller=registry.k8s.io/sig-storage/snapshot-controller:v8.5.0',
      'csi-snapshotter=registry.k8s.io/sig-storage/csi-snapshotter:v8.5.0',
    ]);
    expect(podSpec(desired['csi-controller']).containers.map((c) => [c.name, c.args])).toEqual([
      ['lb-csi-plugin', ['-P']],
      ['csi-provisioner', ['--csi-address=$(ADDRESS)', '--v=4', '--default-fstype=ext4']],
      ['csi-attacher', ['--csi-address=$(ADDRESS)', '--v=5']],
      ['csi-resizer', ['--csi-address=$(ADDRESS)', '--v=4']],
      ['snapshot-controller', ['--leader-election=false', '--v=5']],
      ['csi-snapshotter', ['--csi-address=$(ADDRESS)', '--leader-election=false', '--v=5']],
    ]);
    expect(desired['csi-node']?.['metadata']).toMatchObject({
      name: 'lb-csi-node',
      namespace: 'kube-system',
    });
    expect(containers(desired['csi-node'])).toEqual([
      'lb-csi-plugin=docker.lightbitslabs.com/lightos-csi/lb-csi-plugin:v1.21.0',
      'csi-node-driver-registrar=registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.16.0',
      'lb-nvme-discovery-client=docker.lightbitslabs.com/lightos-csi/lb-nvme-discovery-client:v1.21.0',
    ]);
    expect(podSpec(desired['csi-node']).initContainers?.map((c) => c.name)).toEqual(['init-nvme-tcp']);
    // Both pods mount the token Secret the Token writes.
    for (const workload of ['csi-controller', 'csi-node'])
      expect(podSpec(desired[workload]).volumes).toContainEqual({
        name: 'etc-lb-csi',
        secret: { secretName: 'lb-csi-creds' },
      });
    expect(desired['csi-clusterrolebinding-lb-csi-provisioner-binding']).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'lb-csi-ctrl-sa', namespace: 'kube-system' }],
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'lb-csi-provisioner-role',
      },
    });
    expect(summarize(rsp).conditions.find((c) => c.type === 'CSIDriver')).toEqual({
      type: 'CSIDriver',
      status: 'False',
      reason: 'Unavailable',
      message:
        'waiting for the CSI driver pods in this cluster: StatefulSet kube-system/lb-csi-controller does not ' +
        'exist yet, DaemonSet kube-system/lb-csi-node does not exist yet',
    });
  });

  const snapshotPieces: Record<string, { reason: string; parts: RequestParts; want: string[] }> = {
    'no snapshot CRDs': {
      reason: 'the snapshotter and snapshot-controller would only fail without the CRDs',
      parts: { required: fetched({ 'volumesnapshotclass-crd': [] }) },
      want: ['lb-csi-plugin', 'csi-provisioner', 'csi-attacher', 'csi-resizer'],
    },
    'the cluster runs its own snapshot-controller': {
      reason: 'one snapshot-controller per cluster',
      parts: {
        input: withPlatform,
        required: fetched({
          'environment-config': [platform({ csiDriver: { snapshotController: false } })],
        }),
      },
      want: ['lb-csi-plugin', 'csi-provisioner', 'csi-attacher', 'csi-resizer', 'csi-snapshotter'],
    },
  };
  it.each(Object.entries(snapshotPieces))(
    'leaves out snapshot pieces: %s',
    async (_name, { parts, want }) => {
      const rsp = await run(parts);
      expect(podSpec(desiredResources(rsp)['csi-controller']).containers.map((c) => c.name)).toEqual(want);
      const roles = driverResourceNames(rsp).filter((name) => SNAPSHOT_RESOURCES.includes(name));
      expect(roles).toEqual(
        want.includes('csi-snapshotter')
          ? ['csi-clusterrole-external-snapshotter-runner', 'csi-clusterrolebinding-csi-snapshotter-role']
          : [],
      );
    },
  );

  it('takes images and the deploy switch from the EnvironmentConfig over the Composition input', async () => {
    const rsp = await run({
      input: withPlatform,
      required: fetched({
        'environment-config': [
          platform({ csiDriver: { images: { plugin: 'registry.example.com/lb-csi-plugin:v1.22.0' } } }),
        ],
      }),
    });
    expect(containers(desiredResources(rsp)['csi-controller'])[0]).toBe(
      'lb-csi-plugin=registry.example.com/lb-csi-plugin:v1.22.0',
    );
    expect(containers(desiredResources(rsp)['csi-controller'])[1]).toBe(
      'csi-provisioner=registry.k8s.io/sig-storage/csi-provisioner:v5.3.0',
    );
    const off = await run({
      input: withPlatform,
      required: fetched({ 'environment-config': [platform({ csiDriver: { deploy: false } })] }),
    });
    expect(driverResourceNames(off)).toEqual([]);
  });

  const badPlatform: Record<string, { reason: string; storage: Record<string, unknown>; want: string }> = {
    'an image without a tag': {
      reason: 'an untagged image silently follows latest',
      storage: { csiDriver: { images: { plugin: 'lb-csi-plugin' } } },
      want: 'data.storage.csiDriver.images.plugin: must be an image reference with a tag or digest, for example registry.k8s.io/x:v1',
    },
    'a network policy without the storage network': {
      reason: 'the policy must say where the storage servers are',
      storage: { networkPolicy: { enabled: true } },
      want: 'data.storage.networkPolicy.cidrs: must name the storage network when enabled is true, for example [10.128.0.0/14]',
    },
  };
  it.each(Object.entries(badPlatform))(
    'refuses bad platform settings: %s',
    async (_name, { storage, want }) => {
      const rsp = await run({
        input: withPlatform,
        desired: {},
        required: fetched({ 'environment-config': [platform(storage)] }),
      });
      expect(summarize(rsp)).toEqual({
        results: [
          {
            severity: 'Fatal',
            reason: 'InvalidPlatformConfig',
            message: `cannot compose StorageTenant tenant-a: EnvironmentConfig "stackplane-storage" over the Composition input is not usable: ${want}`,
          },
        ],
        conditions: [{ type: 'Valid', status: 'True', reason: 'ValidSpec' }],
      });
      expect(desiredResources(rsp)).toEqual({});
    },
  );
});

describe('StorageTenant: readiness of the driver', () => {
  const workload = (kind: string, status: Record<string, unknown>, generation = 1): KubeObject => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { generation },
    spec: { replicas: 1 },
    status: { observedGeneration: 1, ...status },
  });
  const statefulSet = (available: number, generation?: number) =>
    workload('StatefulSet', { availableReplicas: available, updatedReplicas: available }, generation);
  const daemonSet = (available: number, desired = 3) =>
    workload('DaemonSet', {
      desiredNumberScheduled: desired,
      numberAvailable: available,
      updatedNumberScheduled: available,
    });

  const cases: Record<
    string,
    { reason: string; observed: Record<string, KubeObject>; want: [string, string] }
  > = {
    'both available': {
      reason: 'one controller pod and a node pod on every node',
      observed: { 'csi-controller': statefulSet(1), 'csi-node': daemonSet(3) },
      want: ['True', 'True'],
    },
    'controller pod not available': {
      reason: 'volumes cannot be provisioned',
      observed: { 'csi-controller': statefulSet(0), 'csi-node': daemonSet(3) },
      want: ['False', 'True'],
    },
    'a node pod missing': {
      reason: 'volumes cannot be mounted on that node',
      observed: { 'csi-controller': statefulSet(1), 'csi-node': daemonSet(2) },
      want: ['True', 'False'],
    },
    'status of an older generation': {
      reason: 'a changed image is not rolled out yet',
      observed: { 'csi-controller': statefulSet(1, 2), 'csi-node': daemonSet(3) },
      want: ['False', 'True'],
    },
    'no nodes': {
      reason: 'a DaemonSet with nothing to schedule has nothing to wait for',
      observed: { 'csi-controller': statefulSet(1), 'csi-node': daemonSet(0, 0) },
      want: ['True', 'True'],
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { observed, want }) => {
    const readiness = desiredReadiness(await run({ observed, required: fetched() }));
    expect([readiness['csi-controller'], readiness['csi-node']]).toEqual(want);
  });

  it('says which pods it waits for, and is True once they are available', async () => {
    const waiting = await run({
      observed: { 'csi-controller': statefulSet(0), 'csi-node': daemonSet(2) },
      required: fetched(),
    });
    expect(summarize(waiting).conditions.find((c) => c.type === 'CSIDriver')?.message).toBe(
      'waiting for the CSI driver pods in this cluster: StatefulSet kube-system/lb-csi-controller 0/1 ' +
        'available, DaemonSet kube-system/lb-csi-node 2/3 available',
    );
    const done = await run({
      observed: { 'csi-controller': statefulSet(1), 'csi-node': daemonSet(3) },
      required: fetched(),
    });
    expect(summarize(done).conditions.find((c) => c.type === 'CSIDriver')).toEqual({
      type: 'CSIDriver',
      status: 'True',
      reason: 'Available',
      message:
        'StatefulSet kube-system/lb-csi-controller 1/1 available, DaemonSet kube-system/lb-csi-node 3/3 available',
    });
  });
});

describe('StorageTenant: the network policy to the storage servers', () => {
  it('composes the ClusterwideNetworkPolicy only when the platform enables it', async () => {
    const off = await run({ required: fetched() });
    expect(desiredResources(off)).not.toHaveProperty('network-policy');
    const on = await run({
      input: withPlatform,
      required: fetched({
        'environment-config': [platform({ networkPolicy: { enabled: true, cidrs: ['10.128.0.0/14'] } })],
      }),
    });
    expect(desiredResources(on)['network-policy']).toEqual({
      apiVersion: 'metal-stack.io/v1',
      kind: 'ClusterwideNetworkPolicy',
      metadata: {
        name: 'allow-to-storage',
        namespace: 'firewall',
        labels: { 'app.kubernetes.io/managed-by': 'stackplane', 'storage.stackplane.io/tenant': 'tenant-a' },
      },
      spec: {
        egress: [
          {
            ports: [
              { port: 443, protocol: 'TCP' },
              { port: 4420, protocol: 'TCP' },
              { port: 8009, protocol: 'TCP' },
            ],
            to: [{ cidr: '10.128.0.0/14' }],
          },
        ],
      },
    });
  });
});

describe("StorageTenant: a remote target, the tenant's own cluster", () => {
  const target = { namespace: 'shoot--a', providerConfigRef: { name: 'tenant-a-cluster' } };
  const remoteTenant = () => storageTenant(withSpec({ target }));
  const remoteToken = () => ({ ...tokenSecret(), metadata: { name: 'lb-csi-creds', namespace: 'shoot--a' } });
  const remoteFetched = (secret: KubeObject[] = [remoteToken()], objects: KubeObject[] = []) => ({
    'credentials-secret': secret,
    'tenant-objects': objects,
  });
  /** An observed provider-kubernetes Object that created its object and reports it back. */
  const reported = (manifest: KubeObject): KubeObject => ({
    apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
    kind: 'Object',
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
      atProvider: { manifest },
    },
  });

  it("asks for the token Secret and the tenant's Objects in the tenant's namespace, and not for a local CRD", async () => {
    const rsp = await run({ xr: remoteTenant() });
    expect(rsp.requirements?.resources).toEqual({
      'credentials-secret': {
        apiVersion: 'v1',
        kind: 'Secret',
        matchName: 'lb-csi-creds',
        namespace: 'shoot--a',
      },
      'tenant-objects': {
        apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
        kind: 'Object',
        matchLabels: { labels: { 'storage.stackplane.io/tenant': 'tenant-a' } },
        namespace: 'shoot--a',
      },
    });
  });

  it('wraps every object for the tenant cluster in an Object and keeps the storage MRs in its namespace', async () => {
    const rsp = await run({ xr: remoteTenant(), required: remoteFetched() });
    const desired = desiredResources(rsp);
    for (const [name, resource] of Object.entries(desired)) {
      if (name.startsWith('storage-')) {
        expect(resource['apiVersion'], name).toBe('storage.m.stackplane.io/v1alpha1');
        expect((resource['metadata'] as { namespace: string }).namespace, name).toBe('shoot--a');
        continue;
      }
      expect(resource).toMatchObject({
        apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
        kind: 'Object',
        metadata: { name: `tenant-a-${name}`, namespace: 'shoot--a' },
        spec: { providerConfigRef: { kind: 'ProviderConfig', name: 'tenant-a-cluster' } },
      });
    }
    expect(
      (desired['storageclass-gold']?.['spec'] as { forProvider: { manifest: KubeObject } }).forProvider
        .manifest,
    ).toMatchObject({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gold' } });
    // The token reaches the tenant cluster's kube-system/lb-csi-creds, patched in by provider-kubernetes.
    expect(desired['token-secret']?.['spec']).toEqual({
      forProvider: {
        manifest: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'lb-csi-creds', namespace: 'kube-system' },
          type: 'Opaque',
        },
      },
      references: [
        {
          patchesFrom: {
            apiVersion: 'v1',
            kind: 'Secret',
            name: 'lb-csi-creds',
            namespace: 'shoot--a',
            fieldPath: 'data.jwt',
          },
          toFieldPath: 'data.jwt',
        },
      ],
      providerConfigRef: { kind: 'ProviderConfig', name: 'tenant-a-cluster' },
    });
    // Whether the tenant cluster serves snapshots is read, never changed, through an observe-only Object.
    expect(desired['volumesnapshotclass-crd']?.['spec']).toMatchObject({
      forProvider: {
        manifest: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'volumesnapshotclasses.snapshot.storage.k8s.io' },
        },
      },
      managementPolicies: ['Observe'],
    });
    expect(desired).not.toHaveProperty('volumesnapshotclass');
    expect(desiredStatus(rsp)?.['target']).toBe('ProviderConfig shoot--a/tenant-a-cluster');
  });

  it('copies the token only once the storage Token wrote it', async () => {
    const rsp = await run({ xr: remoteTenant(), required: remoteFetched([]) });
    expect(desiredResources(rsp)).not.toHaveProperty('token-secret');
  });

  it("never copies a token another tenant's storage Token controls, and removes a copy made from it", async () => {
    const controlledBy = (token: string): KubeObject => {
      const secret = remoteToken();
      const metadata = secret['metadata'] as Record<string, unknown>;
      const owner = { apiVersion: 'storage.m.stackplane.io/v1alpha1', kind: 'Token', uid: 'u-1' };
      return {
        ...secret,
        metadata: { ...metadata, ownerReferences: [{ ...owner, name: token, controller: true }] },
      };
    };
    const copied = { 'token-secret': reported({ apiVersion: 'v1', kind: 'Secret', metadata: {} }) };
    const own = await run({ xr: remoteTenant(), required: remoteFetched([controlledBy('tenant-a')]) });
    const other = await run({ xr: remoteTenant(), required: remoteFetched([controlledBy('tenant-b')]) });
    const copiedBefore = await run({
      xr: remoteTenant(),
      observed: copied,
      required: remoteFetched([controlledBy('tenant-b')]),
    });
    const credentials = (rsp: Awaited<ReturnType<typeof run>>) =>
      summarize(rsp).conditions.find((c) => c.type === 'StorageCredentials');
    expect({
      own: 'token-secret' in desiredResources(own),
      other: 'token-secret' in desiredResources(other),
      copiedBefore: 'token-secret' in desiredResources(copiedBefore),
      condition: credentials(other),
    }).toEqual({
      own: true,
      other: false,
      copiedBefore: false,
      condition: {
        type: 'StorageCredentials',
        status: 'False',
        reason: 'WaitingForToken',
        message:
          'waiting for Secret shoot--a/lb-csi-creds with key jwt from storage Token shoot--a/tenant-a (the ' +
          "Secret is controlled by Token tenant-b, not by this tenant's Token: another StorageTenant writes " +
          'its token there; give each tenant cluster a namespace of its own): volumes cannot be provisioned ' +
          'until the tenant token exists',
      },
    });
  });

  /** The snapshot CRD as the observe-only Object reports it: there, or absent (crossplane-runtime's words). */
  const snapshotCrdAnswer = (first: Record<string, KubeObject>, present: boolean): KubeObject => {
    const probe = first['volumesnapshotclass-crd']!;
    const crd = (probe['spec'] as { forProvider: { manifest: KubeObject } }).forProvider.manifest;
    return present
      ? reported({ ...crd, spec: { versions: [{ name: 'v1', served: true, storage: true }] } })
      : {
          ...probe,
          status: {
            conditions: [
              {
                type: 'Synced',
                status: 'False',
                reason: 'ReconcileError',
                message: 'cannot observe external resource: external resource does not exist',
              },
            ],
          },
        };
  };

  it('waits for the snapshot check before composing the driver, whose sidecars depend on the answer', async () => {
    const rsp = await run({ xr: remoteTenant(), required: remoteFetched() });
    const first = desiredResources(rsp);
    expect(first).not.toHaveProperty('csi-controller');
    expect(desiredReadiness(rsp)['volumesnapshotclass-crd']).toBe('False');
    expect(summarize(rsp).conditions.find((c) => c.type === 'VolumeSnapshots')).toEqual({
      type: 'VolumeSnapshots',
      status: 'Unknown',
      reason: 'Checking',
      message:
        'checking whether the cluster of ProviderConfig shoot--a/tenant-a-cluster serves ' +
        'snapshot.storage.k8s.io/v1: Object tenant-a-volumesnapshotclass-crd has not reported yet',
    });

    // Absent is an answer too: the driver comes, without the snapshotter, and nothing waits on it.
    const absent = await run({
      xr: remoteTenant(),
      observed: { 'volumesnapshotclass-crd': snapshotCrdAnswer(first, false) },
      required: remoteFetched(),
    });
    expect(desiredReadiness(absent)['volumesnapshotclass-crd']).toBe('True');
    expect(desiredResources(absent)).toHaveProperty('csi-controller');
    expect(desiredResources(absent)).not.toHaveProperty('volumesnapshotclass');
    expect(summarize(absent).conditions.find((c) => c.type === 'VolumeSnapshots')?.reason).toBe(
      'SnapshotCRDsMissing',
    );
  });

  it('reads readiness from the objects the Objects report, and composes the snapshot class once the CRD is there', async () => {
    const initial = desiredResources(await run({ xr: remoteTenant(), required: remoteFetched() }));
    const probe = { 'volumesnapshotclass-crd': snapshotCrdAnswer(initial, true) };
    const first = desiredResources(
      await run({ xr: remoteTenant(), observed: probe, required: remoteFetched() }),
    );
    const manifest = (name: string) =>
      (first[name]?.['spec'] as { forProvider: { manifest: KubeObject } }).forProvider.manifest;
    const observed: Record<string, KubeObject> = {
      'storageclass-gold': reported(manifest('storageclass-gold')),
      'token-secret': reported(manifest('token-secret')),
      ...probe,
      'csi-controller': reported({
        ...manifest('csi-controller'),
        status: { availableReplicas: 1, updatedReplicas: 1 },
      }),
      // Created, but its pods are not up yet.
      'csi-node': reported({ ...manifest('csi-node'), status: { desiredNumberScheduled: 2 } }),
    };
    const rsp = await run({ xr: remoteTenant(), observed, required: remoteFetched() });
    const readiness = desiredReadiness(rsp);
    expect(readiness).toMatchObject({
      'storageclass-gold': 'True',
      'token-secret': 'True',
      'volumesnapshotclass-crd': 'True',
      'csi-controller': 'True',
      'csi-node': 'False',
      volumesnapshotclass: 'False',
    });
    expect(summarize(rsp).conditions.filter((c) => c.type !== 'Valid')).toEqual([
      {
        type: 'StorageCredentials',
        status: 'True',
        reason: 'TokenAvailable',
        message:
          'Secret shoot--a/lb-csi-creds holds the tenant token, copied to Secret kube-system/lb-csi-creds of the tenant cluster',
      },
      {
        type: 'CSIDriver',
        status: 'False',
        reason: 'Unavailable',
        message:
          'waiting for the CSI driver pods in the cluster of ProviderConfig shoot--a/tenant-a-cluster: StatefulSet ' +
          'kube-system/lb-csi-controller 1/1 available, DaemonSet kube-system/lb-csi-node 0/2 available',
      },
      {
        type: 'VolumeSnapshots',
        status: 'True',
        reason: 'Available',
        message: 'VolumeSnapshotClass partition-snapshot is composed',
      },
    ]);
  });

  it('replaces a changed class through deletion: left out while its old Object is still being deleted, composed anew once it is gone', async () => {
    const first = desiredResources(await run({ xr: remoteTenant(), required: remoteFetched() }));
    const gold = first['storageclass-gold'] as KubeObject;
    const oldManifest = (gold['spec'] as { forProvider: { manifest: KubeObject } }).forProvider.manifest;
    const changed = storageTenant(
      withSpec({ target, storageClasses: [{ name: 'gold', replicas: 2, default: true }] }),
    );
    const replicaCount = (rsp: Awaited<ReturnType<typeof run>>) =>
      (
        (desiredResources(rsp)['storageclass-gold']?.['spec'] as { forProvider: { manifest: KubeObject } })
          .forProvider.manifest['parameters'] as Record<string, string>
      )['replica-count'];

    // Observed with the old parameters: left out, so Crossplane deletes the Object.
    const replacing = await run({
      xr: changed,
      observed: { 'storageclass-gold': reported(oldManifest) },
      required: remoteFetched(),
    });
    expect(desiredResources(replacing)).not.toHaveProperty('storageclass-gold');
    expect(summarize(replacing).results.map((r) => r.reason)).toContain('ReplacingStorageClass');

    // No longer observed, but provider-kubernetes has not deleted the class yet: still left out, and
    // not Ready, so the terminating Object is never updated to parameters the class cannot take.
    const terminating = {
      ...gold,
      metadata: { ...(gold['metadata'] as object), deletionTimestamp: '2024-01-01T00:00:00Z' },
    };
    const waiting = await run({ xr: changed, required: remoteFetched(undefined, [terminating]) });
    expect(desiredResources(waiting)).not.toHaveProperty('storageclass-gold');
    expect(waiting.meta?.ttl).toEqual({ seconds: 5, nanos: 0 });

    // Gone: composed again with the new parameters.
    expect(replicaCount(await run({ xr: changed, required: remoteFetched(undefined, [gold]) }))).toBe('2');
    expect(replicaCount(await run({ xr: changed, required: remoteFetched() }))).toBe('2');
  });

  it('refuses a target without a provider config, naming the field', async () => {
    const rsp = await run({
      xr: storageTenant(withSpec({ target: { namespace: 'shoot--a' } })),
      desired: {},
      required: remoteFetched(),
    });
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Fatal',
        reason: 'InvalidSpec',
        message:
          'invalid StorageTenant tenant-a: spec.target.providerConfigRef: is required (expected object)',
      },
    ]);
  });
});

describe("StorageTenant: the replaced controller's fields", () => {
  const invalid = (message: string): Summary => ({
    results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
    conditions: [{ type: 'Valid', status: 'False', reason: 'InvalidSpec', message }],
  });

  it('accepts metalProjectID as the project id, with a warning saying what to write instead', async () => {
    const rsp = await run({
      xr: storageTenant(withoutSpecField('projectID'), withSpec({ metalProjectID: 'p-legacy' })),
      required: fetched(),
    });
    expect(desiredResources(rsp)['storage-project']?.['spec']).toMatchObject({
      forProvider: { name: 'p-legacy' },
    });
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Warning',
        reason: 'DeprecatedField',
        message:
          'spec.metalProjectID is the former name of spec.projectID and is used as the project id: write projectID: p-legacy instead',
      },
    ]);
  });

  const refused: Record<string, { reason: string; xr: KubeObject; want: string }> = {
    'both projectID and metalProjectID': {
      reason: 'two ids for one project: which one is meant is unclear',
      xr: storageTenant(withSpec({ metalProjectID: 'p-legacy' })),
      want: 'invalid StorageTenant tenant-a: spec.metalProjectID: is the former name of spec.projectID: set only projectID',
    },
    neither: {
      reason: 'the storage project is named after it',
      xr: storageTenant(withoutSpecField('projectID')),
      want: 'invalid StorageTenant tenant-a: spec.projectID: is required (expected string)',
    },
    'compression as the string "true"': {
      reason: 'the replaced controller took a string; a boolean cannot be both',
      xr: storageTenant(withSpec({ storageClasses: [{ name: 'gold', replicas: 3, compression: 'true' }] })),
      want: 'invalid StorageTenant tenant-a: spec.storageClasses[0].compression: must be a boolean: write compression: true without quotes',
    },
  };
  it.each(Object.entries(refused))('refuses %s with the fix', async (_name, { xr, want }) => {
    const rsp = await run({ xr, desired: {}, required: fetched() });
    expect(summarize(rsp)).toEqual(invalid(want));
  });
});
