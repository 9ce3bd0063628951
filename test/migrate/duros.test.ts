import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../migrate/plan.js';
import { durosController } from '../../migrate/sources/duros.js';
import {
  build,
  inNamespace,
  named,
  validatePlan,
  vendored,
  withFinalizers,
  withSpec,
  withStatus,
  type Modifier,
} from './support.js';

const FINALIZER = 'storage.metal-stack.io/finalizer';
const PROJECT = '5820c4e7-fbd4-4e4b-a40b-2b83eb34bbe3';

/** The upstream sample as the controller leaves it: reconciled, its driver running. */
const duros = (...m: Modifier[]) =>
  build(
    vendored('duros/sample-duros.yaml'),
    withFinalizers(FINALIZER),
    withStatus({
      reconcileStatus: { lastReconcile: '2026-12-01T10:00:00Z' },
      managedResourceStatuses: [
        { name: 'lb-csi-node', group: 'DaemonSet', state: 'Running', description: 'All replicas are ready' },
        {
          name: 'lb-csi-controller',
          group: 'StatefulSet',
          state: 'Running',
          description: 'All replicas are ready',
        },
      ],
    }),
    ...m,
  );
const providerConfig = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
  kind: 'ProviderConfig',
  metadata: { name, namespace },
});
const classes = (...entries: Array<Record<string, unknown>>) => withSpec({ storageClasses: entries });
const gold = { name: 'partition-gold', replicas: 3, compression: true, default: false };

const SAMPLE_CLASSES = [
  {
    name: 'partition-silver',
    replicas: 2,
    compression: true,
    default: false,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  },
  {
    name: 'partition-gold',
    replicas: 3,
    compression: true,
    default: false,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  },
];
const NOTES = [
  `adopts storage project ${PROJECT} and its credential root by name; the StorageTenant composes them without the Delete policy, so deleting it keeps them, as the duros-controller did`,
  'composes in this cluster what the duros-controller deployed there: StorageClasses partition-silver, partition-gold, the Lightbits CSI driver (kube-system/lb-csi-controller, kube-system/lb-csi-node) and Secret kube-system/lb-csi-creds; --apply scales the duros-controller down before applying the StorageTenant, as it rewrites what it deployed on every reconcile',
  "reclaimPolicy Delete and volumeBindingMode Immediate, as the duros-controller's classes had (Stackplane's default is Retain); a class whose parameters differ is recreated under the same name, and volumes keep theirs",
  'the duros-controller took the storage endpoints from its command line: the StorageTenant reads data.storage.endpoints of EnvironmentConfig stackplane-storage',
  "Secret kube-system/lb-csi-creds, which the duros-controller wrote without an owner, must be deleted once the StorageTenant is applied: provider-stackplane's Token writes only a Secret it controls, and signs a new token with the admin key (no call to the storage API); until it has, new volumes wait, mounted ones are untouched",
];

describe('duros-controller source', () => {
  it('moves the upstream sample: a StorageTenant adopting the storage project, released with orphan', async () => {
    const entries = durosController.plan({ objects: [duros()] });
    expect(entries).toEqual([
      {
        outcome: 'migrate',
        original: {
          apiVersion: 'storage.metal-stack.io/v1',
          kind: 'Duros',
          namespace: 'duros',
          name: 'sample',
        },
        platform: [],
        resources: [
          {
            apiVersion: 'storage.stackplane.io/v1alpha1',
            kind: 'StorageTenant',
            metadata: { name: 'duros-sample' },
            spec: { projectID: PROJECT, storageClasses: SAMPLE_CLASSES },
          },
        ],
        adopted: [
          { what: 'storage project', externalName: PROJECT },
          { what: 'storage credential', externalName: `${PROJECT}:root` },
        ],
        release: { finalizers: [FINALIZER], orphanDependents: true },
        notes: NOTES,
      },
    ]);
    await validatePlan(entries);
  });

  it('targets the tenant cluster through the provider-kubernetes config in the Duros namespace', async () => {
    const objects = [
      duros(
        inNamespace('shoot--p--c'),
        named('shoot--p--c'),
        classes({ ...gold, encryption: true, compression: false, default: true }),
      ),
      providerConfig('shoot--p--c', 'tenant-kubeconfig'),
      duros(inNamespace('shoot--p--d'), named('duros')),
      providerConfig('shoot--p--d', 'tenant-d'),
    ];
    const entries = durosController.plan({ objects });
    expect(
      entries.map((e) => (e.outcome === 'migrate' ? [e.resources[0], e.notes[1], e.notes.length] : e)),
    ).toEqual([
      [
        {
          apiVersion: 'storage.stackplane.io/v1alpha1',
          kind: 'StorageTenant',
          metadata: { name: 'shoot--p--c' },
          spec: {
            projectID: PROJECT,
            storageClasses: [
              {
                name: 'partition-gold',
                replicas: 3,
                compression: false,
                encryption: true,
                default: true,
                reclaimPolicy: 'Delete',
                volumeBindingMode: 'Immediate',
              },
            ],
            target: {
              namespace: 'shoot--p--c',
              providerConfigRef: { kind: 'ProviderConfig', name: 'tenant-kubeconfig' },
            },
          },
        },
        "composes in the tenant's cluster through ProviderConfig shoot--p--c/tenant-kubeconfig what the duros-controller deployed there: StorageClasses partition-gold, the Lightbits CSI driver (kube-system/lb-csi-controller, kube-system/lb-csi-node) and Secret kube-system/lb-csi-creds; --apply scales the duros-controller down before applying the StorageTenant, as it rewrites what it deployed on every reconcile",
        // No note about deleting lb-csi-creds: provider-kubernetes takes over the tenant cluster's Secret.
        NOTES.length - 1,
      ],
      expect.arrayContaining([expect.objectContaining({ metadata: { name: 'shoot--p--d-duros' } })]),
    ]);
    await validatePlan(entries);
  });

  it('says which CSI workload is not running', () => {
    const [entry] = durosController.plan({
      objects: [
        duros(
          withStatus({
            reconcileStatus: { lastReconcile: '2026-12-01T10:00:00Z' },
            managedResourceStatuses: [
              { name: 'lb-csi-node', group: 'DaemonSet', state: 'Not Running', description: '1/3 ready' },
            ],
          }),
        ),
      ],
    });
    expect(entry?.outcome === 'migrate' && entry.notes.slice(NOTES.length)).toEqual([
      'status.managedResourceStatuses says lb-csi-node is Not Running: the StorageTenant is Ready only once the CSI pods are',
    ]);
  });

  const refusals: Record<string, { objects: KubeObject[]; reasons: string[] }> = {
    'the sample never reconciled': {
      objects: [duros(withStatus(undefined))],
      reasons: [
        'status.reconcileStatus.lastReconcile is empty: the duros-controller never reconciled it, so there is no storage project to adopt; let it reconcile and plan again',
      ],
    },
    'a last reconcile that failed': {
      objects: [
        duros(
          withStatus({
            reconcileStatus: { lastReconcile: '2026-12-01T10:00:00Z', error: 'unable to create project' },
          }),
        ),
      ],
      reasons: [
        'status.reconcileStatus.error says "unable to create project": the duros-controller\'s last reconcile failed, so the storage project or the driver may be incomplete; fix that first and plan again',
      ],
    },
    'a string where the CRD has a boolean': {
      objects: [duros(classes({ ...gold, compression: 'true' }))],
      reasons: [
        'spec.storageClasses.0.compression: Invalid input: expected boolean, received string; fix the original and plan again',
      ],
    },
    'no project and no classes': {
      objects: [duros(withSpec({ metalProjectID: undefined, storageClasses: [] }))],
      reasons: [
        'spec.metalProjectID is empty: there is no storage project to adopt; set it to the cloud project id the storage project is named after and plan again',
        'spec.storageClasses is empty: the duros-controller refuses that too (at least one storageclass must be defined); add the classes the cluster uses and plan again',
      ],
    },
    'classes a StorageTenant cannot hold': {
      objects: [
        duros(
          classes(
            { ...gold, default: true },
            { ...gold, replicas: 4, default: true },
            { name: 'Partition_Bronze', replicas: 1, compression: true, default: false, encryption: true },
          ),
        ),
      ],
      reasons: [
        'spec.storageClasses[1].name "partition-gold" repeats storageClasses[0]; remove one and plan again',
        'spec.storageClasses[1].replicas 4: the storage keeps 1 to 3 copies of a volume; set 1, 2 or 3 and plan again',
        'spec.storageClasses[2].name "Partition_Bronze" is not a DNS-1123 subdomain, so no StorageClass has that name; fix it and plan again',
        'spec.storageClasses[2]: compression and encryption are both true, which Stackplane refuses (encrypted volumes are not compressed); set compression: false on the original and plan again',
        'spec.storageClasses: storageClasses[0] and storageClasses[1] are all the default; at most one class can be, so set default: false on all but one and plan again',
      ],
    },
    'two provider-kubernetes configs in its namespace': {
      objects: [duros(), providerConfig('duros', 'a'), providerConfig('duros', 'b')],
      reasons: [
        "namespace duros holds provider-kubernetes ProviderConfigs a, b, so the tenant's cluster is ambiguous; keep only the one that reaches it and plan again",
      ],
    },
    'two tenants that would both deploy into this cluster': {
      objects: [duros(), duros(inNamespace('other'))],
      reasons: [
        "2 Duros have no provider-kubernetes ProviderConfig (kubernetes.m.crossplane.io/v1alpha1) in their namespace, and a StorageTenant without spec.target deploys into this cluster, one tenant per cluster; create a ProviderConfig reaching each tenant's cluster in its Duros's namespace and plan again",
      ],
    },
  };
  it.each(Object.entries(refusals))('refuses %s', (_, { objects, reasons }) => {
    const entries = durosController.plan({ objects });
    const { apiVersion, kind, metadata } = objects[0]!;
    expect(entries[0]).toEqual({
      outcome: 'refuse',
      original: { apiVersion, kind, namespace: metadata.namespace, name: metadata.name },
      reasons,
    });
  });

  it("scales the controller's Deployment as its manifest installs it, unless --operator names another", () => {
    expect(durosController.operator).toEqual({ namespace: 'duros', name: 'duros-controller' });
  });

  it('lists the kind of the vendored CRD', () => {
    const crd = vendored('duros/crd-duros.yaml')['spec'] as {
      group: string;
      names: { kind: string; plural: string };
      versions: Array<{ name: string }>;
    };
    expect(durosController.kinds).toEqual([
      { group: crd.group, version: crd.versions[0]!.name, kind: crd.names.kind, plural: crd.names.plural },
    ]);
  });
});
