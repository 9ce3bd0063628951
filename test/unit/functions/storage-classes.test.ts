import { Ready } from '@crossplane-org/function-sdk-typescript';
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
  volumeSnapshotClassCrd,
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

/** The step input of these cases: the classes and the storage MRs, without the CSI driver (its own file). */
const classesInput = (fields: Record<string, unknown> = {}) =>
  storageClassesInput({ csiDriver: { deploy: false }, ...fields });

const run = (parts: RequestParts) =>
  new StackplaneFunction(steps).RunFunction(runFunctionRequest({ input: classesInput(), ...parts }));

const labels = { 'app.kubernetes.io/managed-by': 'stackplane', 'storage.stackplane.io/tenant': 'tenant-a' };

/** A storage managed resource of tenant-a as the step composes it with the default input. */
const storageMR = (kind: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'storage.m.stackplane.io/v1alpha1',
  kind,
  metadata: { name: 'tenant-a', namespace: 'kube-system', labels },
  spec: { ...spec, providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' } },
});
const keepOnDelete = ['Observe', 'Create', 'Update', 'LateInitialize'];
const storageProject = () =>
  storageMR('Project', { forProvider: { name: 'p-123' }, managementPolicies: keepOnDelete });
const storageCredential = () =>
  storageMR('Credential', { forProvider: { projectName: 'p-123' }, managementPolicies: keepOnDelete });
const storageToken = () =>
  storageMR('Token', {
    forProvider: { projectName: 'p-123' },
    writeConnectionSecretToRef: { name: 'lb-csi-creds' },
  });

/** An observed object reporting Ready=True, as the provider sets it. */
const ready = (object: KubeObject): KubeObject => ({
  ...object,
  status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }] },
});

const invalid = (message: string): Summary => ({
  results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
  conditions: [{ type: 'Valid', status: 'False', reason: 'InvalidSpec', message }],
});

describe('StorageTenant: bad input is rejected with the field and the fix, and nothing is composed', () => {
  const classes = (...entries: Record<string, unknown>[]) => withSpec({ storageClasses: entries });
  const cases: Record<string, { reason: string; xr: KubeObject; want: Summary }> = {
    'empty projectID': {
      reason: 'the storage project is named after the cloud project id',
      xr: storageTenant(withSpec({ projectID: '' })),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.projectID: Too small: expected string to have >=1 characters',
      ),
    },
    'missing projectID': {
      reason: 'projectID is required',
      xr: storageTenant(withoutSpecField('projectID')),
      want: invalid('invalid StorageTenant tenant-a: spec.projectID: is required (expected string)'),
    },
    'no storage classes': {
      reason: 'a tenant without classes composes nothing useful',
      xr: storageTenant(classes()),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.storageClasses: Too small: expected array to have >=1 items',
      ),
    },
    'replicas out of range': {
      reason: 'the storage keeps one to three copies',
      xr: storageTenant(classes({ name: 'gold', replicas: 4 })),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.storageClasses[0].replicas: Too big: expected number to be <=3',
      ),
    },
    'name not DNS-1123': {
      reason: 'StorageClass names are DNS-1123 subdomains',
      xr: storageTenant(classes({ name: 'Gold_Class', replicas: 1 })),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.storageClasses[0].name: must be a DNS-1123 subdomain: lowercase letters, digits, "-" and "."',
      ),
    },
    'duplicate names': {
      reason: 'two entries cannot own one StorageClass',
      xr: storageTenant(classes({ name: 'gold', replicas: 1 }, { name: 'gold', replicas: 2 })),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.storageClasses[1].name: duplicate name "gold", already used by storageClasses[0]; give every entry its own name',
      ),
    },
    'two defaults': {
      reason: 'a cluster has one default StorageClass',
      xr: storageTenant(
        classes({ name: 'a', replicas: 1, default: true }, { name: 'b', replicas: 1, default: true }),
      ),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.storageClasses: at most one storage class can be the default, but storageClasses[0] and storageClasses[1] are; set default: false on all but one',
      ),
    },
    'encryption with compression explicitly true': {
      reason: 'encrypted volumes are not compressed; saying both is contradictory',
      xr: storageTenant(classes({ name: 'a', replicas: 1, encryption: true, compression: true })),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.storageClasses[0].compression: cannot be true when encryption is true (encrypted volumes are not compressed); remove it or set it to false',
      ),
    },
    'bad endpoint': {
      reason: 'endpoints are host:port',
      xr: storageTenant(withSpec({ endpoints: ['10.0.0.1'] })),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.endpoints[0]: must be host:port, for example 10.0.0.1:443',
      ),
    },
    'bad reclaim policy': {
      reason: 'only the Kubernetes reclaim policies are allowed',
      xr: storageTenant(classes({ name: 'a', replicas: 1, reclaimPolicy: 'Recycle' })),
      want: invalid(
        'invalid StorageTenant tenant-a: spec.storageClasses[0].reclaimPolicy: Invalid option: expected one of "Delete"|"Retain"',
      ),
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { xr, want }) => {
    const rsp = await run({ xr, required: fetched(), observed: {}, desired: {} });
    expect(summarize(rsp)).toEqual(want);
    expect(desiredResources(rsp)).toEqual({});
  });

  it('keeps what earlier steps and earlier runs composed when the spec turns invalid', async () => {
    const earlier = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } };
    const rsp = await run({
      xr: storageTenant(withSpec({ projectID: '' })),
      desired: { kept: earlier },
      required: fetched(),
    });
    expect(desiredResources(rsp)).toEqual({ kept: earlier });
  });
});

describe('StorageTenant: composing', () => {
  it('asks for the token Secret and the EnvironmentConfig before composing anything', async () => {
    const rsp = await run({
      xr: storageTenant(withoutSpecField('endpoints')),
      input: classesInput({ environmentConfig: { name: 'platform' } }),
    });
    expect(rsp.requirements?.resources).toEqual({
      'credentials-secret': {
        apiVersion: 'v1',
        kind: 'Secret',
        matchName: 'lb-csi-creds',
        namespace: 'kube-system',
      },
      'environment-config': {
        apiVersion: 'apiextensions.crossplane.io/v1beta1',
        kind: 'EnvironmentConfig',
        matchName: 'platform',
      },
      'volumesnapshotclass-crd': {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        matchName: 'volumesnapshotclasses.snapshot.storage.k8s.io',
      },
    });
    expect(desiredResources(rsp)).toEqual({});
    expect(summarize(rsp).results).toEqual([]);
  });

  it('composes one StorageClass per entry and a VolumeSnapshotClass, with the Lightbits parameters', async () => {
    const rsp = await run({
      xr: storageTenant(withSpec({ storageClasses: [{ name: 'gold', replicas: 3, default: true }] })),
      required: fetched(),
    });
    const secretParams = (op: string) => ({
      [`csi.storage.k8s.io/${op}-secret-name`]: 'lb-csi-creds',
      [`csi.storage.k8s.io/${op}-secret-namespace`]: 'kube-system',
    });
    expect(desiredResources(rsp)).toEqual({
      'storage-project': storageProject(),
      'storage-credential': storageCredential(),
      'storageclass-gold': {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name: 'gold',
          labels: {
            'app.kubernetes.io/managed-by': 'stackplane',
            'storage.stackplane.io/tenant': 'tenant-a',
          },
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: 'csi.lightbitslabs.com',
        allowVolumeExpansion: true,
        reclaimPolicy: 'Retain',
        volumeBindingMode: 'Immediate',
        parameters: {
          'mgmt-scheme': 'grpcs',
          'mgmt-endpoint': '10.0.0.1:443,10.0.0.2:443',
          'project-name': 'p-123',
          'replica-count': '3',
          compression: 'enabled',
          ...secretParams('provisioner'),
          ...secretParams('controller-publish'),
          ...secretParams('controller-expand'),
          ...secretParams('node-stage'),
          ...secretParams('node-publish'),
        },
      },
      volumesnapshotclass: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotClass',
        metadata: {
          name: 'partition-snapshot',
          labels: {
            'app.kubernetes.io/managed-by': 'stackplane',
            'storage.stackplane.io/tenant': 'tenant-a',
          },
          annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' },
        },
        driver: 'csi.lightbitslabs.com',
        deletionPolicy: 'Delete',
        parameters: {
          'csi.storage.k8s.io/snapshotter-secret-name': 'lb-csi-creds',
          'csi.storage.k8s.io/snapshotter-secret-namespace': 'kube-system',
          'csi.storage.k8s.io/snapshotter-list-secret-name': 'lb-csi-creds',
          'csi.storage.k8s.io/snapshotter-list-secret-namespace': 'kube-system',
          'snapshot.storage.kubernetes.io/deletion-secret-name': 'lb-csi-creds',
          'snapshot.storage.kubernetes.io/deletion-secret-namespace': 'kube-system',
        },
      },
    });
    expect(desiredStatus(rsp)).toEqual({
      storageClasses: ['gold'],
      defaultStorageClass: 'gold',
      volumeSnapshotClass: 'partition-snapshot',
      endpoints: '10.0.0.1:443,10.0.0.2:443',
      target: 'local',
    });
    expect(summarize(rsp)).toEqual({
      results: [],
      conditions: [
        { type: 'Valid', status: 'True', reason: 'ValidSpec' },
        {
          type: 'StorageCredentials',
          status: 'True',
          reason: 'TokenAvailable',
          message: 'Secret kube-system/lb-csi-creds holds the tenant token',
        },
        {
          type: 'CSIDriver',
          status: 'True',
          reason: 'NotComposed',
          message: 'the platform installs the CSI driver (csiDriver.deploy is false)',
        },
        {
          type: 'VolumeSnapshots',
          status: 'True',
          reason: 'Available',
          message: 'VolumeSnapshotClass partition-snapshot is composed',
        },
      ],
    });
  });

  it('encryption disables compression and points the node secrets at the claim namespace key', async () => {
    const rsp = await run({
      xr: storageTenant(withSpec({ storageClasses: [{ name: 'secure', replicas: 2, encryption: true }] })),
      required: fetched(),
    });
    const parameters = desiredResources(rsp)['storageclass-secure']?.['parameters'] as Record<string, string>;
    expect(parameters).toMatchObject({
      compression: 'disabled',
      'host-encryption': 'enabled',
      'csi.storage.k8s.io/node-stage-secret-name': 'storage-encryption-key',
      'csi.storage.k8s.io/node-stage-secret-namespace': '${pvc.namespace}',
      'csi.storage.k8s.io/node-publish-secret-name': 'storage-encryption-key',
      'csi.storage.k8s.io/node-publish-secret-namespace': '${pvc.namespace}',
      'csi.storage.k8s.io/provisioner-secret-name': 'lb-csi-creds',
      'csi.storage.k8s.io/controller-expand-secret-name': 'lb-csi-creds',
    });
  });

  const withoutSnapshots: Record<string, { reason: string; crd: KubeObject[]; missing: string }> = {
    'no snapshot CRDs': {
      reason: 'a cluster without the external-snapshotter CRDs cannot serve VolumeSnapshotClass',
      crd: [],
      missing: 'CustomResourceDefinition volumesnapshotclasses.snapshot.storage.k8s.io does not exist',
    },
    'only the old v1beta1 CRD': {
      reason: 'the class is composed as snapshot.storage.k8s.io/v1, which that CRD does not serve',
      crd: [
        {
          ...volumeSnapshotClassCrd(),
          spec: { versions: [{ name: 'v1beta1', served: true, storage: true }] },
        },
      ],
      missing:
        'CustomResourceDefinition volumesnapshotclasses.snapshot.storage.k8s.io does not serve snapshot.storage.k8s.io/v1',
    },
  };
  it.each(Object.entries(withoutSnapshots))(
    'composes the classes and the token but no VolumeSnapshotClass, and says why: %s',
    async (_name, { crd, missing }) => {
      const rsp = await run({
        xr: storageTenant(),
        observed: { 'storage-credential': ready(storageCredential()) },
        required: fetched({ 'volumesnapshotclass-crd': crd }),
      });
      expect(Object.keys(desiredResources(rsp)).sort()).toEqual([
        'storage-credential',
        'storage-project',
        'storage-token',
        'storageclass-gold',
      ]);
      expect(desiredStatus(rsp)).not.toHaveProperty('volumeSnapshotClass');
      expect(summarize(rsp).results).toEqual([]);
      expect(summarize(rsp).conditions.find((c) => c.type === 'VolumeSnapshots')).toEqual({
        type: 'VolumeSnapshots',
        status: 'False',
        reason: 'SnapshotCRDsMissing',
        message:
          `${missing}, so no VolumeSnapshotClass is composed (the StorageClasses and the token are): install ` +
          'the CSI snapshot CRDs of kubernetes-csi/external-snapshotter (client/config/crd) and the ' +
          'VolumeSnapshotClass follows on the next reconcile',
      });
    },
  );

  it('keeps the VolumeSnapshotClass name a tenant was created with, so the cluster never gets two defaults', async () => {
    const observedClass = { metadata: { name: 'tenant-a' } };
    const rsp = await run({
      xr: storageTenant(),
      observed: { volumesnapshotclass: observedClass },
      required: fetched(),
    });
    expect(desiredResources(rsp)['volumesnapshotclass']?.['metadata']).toMatchObject({ name: 'tenant-a' });
    expect(desiredStatus(rsp)?.['volumeSnapshotClass']).toBe('tenant-a');
  });

  it('takes the endpoints from the platform EnvironmentConfig when the tenant names none', async () => {
    const config = {
      apiVersion: 'apiextensions.crossplane.io/v1beta1',
      kind: 'EnvironmentConfig',
      metadata: { name: 'platform' },
      data: { storage: { endpoints: ['10.9.9.9:443'] } },
    };
    const rsp = await run({
      xr: storageTenant(withoutSpecField('endpoints')),
      input: classesInput({ environmentConfig: { name: 'platform' } }),
      required: fetched({ 'environment-config': [config] }),
    });
    expect(desiredStatus(rsp)?.['endpoints']).toBe('10.9.9.9:443');
  });

  const missingEndpoints: Record<string, { reason: string; parts: RequestParts; want: string }> = {
    'no EnvironmentConfig named': {
      reason: 'without either source there are no endpoints',
      parts: { xr: storageTenant(withoutSpecField('endpoints')), required: fetched() },
      want: 'cannot compose StorageTenant tenant-a: spec.endpoints is not set and the Composition names no EnvironmentConfig (input.environmentConfig.name); set one of them',
    },
    'EnvironmentConfig missing': {
      reason: 'the named config does not exist',
      parts: {
        xr: storageTenant(withoutSpecField('endpoints')),
        input: classesInput({ environmentConfig: { name: 'platform' } }),
        required: fetched({ 'environment-config': [] }),
      },
      want: 'cannot compose StorageTenant tenant-a: spec.endpoints is not set and EnvironmentConfig "platform" does not exist; set spec.endpoints or data.storage.endpoints of that EnvironmentConfig',
    },
    'EnvironmentConfig without endpoints': {
      reason: 'the config exists but says nothing about storage',
      parts: {
        xr: storageTenant(withoutSpecField('endpoints')),
        input: classesInput({ environmentConfig: { name: 'platform' } }),
        required: fetched({
          'environment-config': [{ kind: 'EnvironmentConfig', data: { storage: { endpoints: ['nope'] } } }],
        }),
      },
      want: 'cannot compose StorageTenant tenant-a: spec.endpoints is not set and EnvironmentConfig "platform" is not usable: data.storage.endpoints[0]: must be host:port, for example 10.0.0.1:443; set spec.endpoints or data.storage.endpoints of that EnvironmentConfig',
    },
  };

  it.each(Object.entries(missingEndpoints))('%s', async (_name, { parts, want }) => {
    const rsp = await run({ ...parts, desired: {} });
    expect(summarize(rsp).results).toEqual([
      { severity: 'Fatal', reason: 'MissingEndpoints', message: want },
    ]);
    expect(desiredResources(rsp)).toEqual({});
  });
});

describe('StorageTenant: readiness and change', () => {
  async function composeOnce() {
    const rsp = await run({ xr: storageTenant(), required: fetched() });
    return desiredResources(rsp);
  }

  it('is ready only once the classes exist and the token Secret holds a token', async () => {
    const observed = await composeOnce();
    // The managed resources report no Ready condition here: the classes follow the Secret alone.
    const notReadyMRs = { 'storage-project': 'False', 'storage-credential': 'False' };
    const cases: Array<[string, RequestParts, Record<string, string>]> = [
      [
        'nothing observed',
        { required: fetched() },
        { ...notReadyMRs, 'storageclass-gold': 'False', volumesnapshotclass: 'False' },
      ],
      [
        'observed, no token',
        { observed, required: fetched({ 'credentials-secret': [] }) },
        { ...notReadyMRs, 'storageclass-gold': 'False', volumesnapshotclass: 'False' },
      ],
      [
        'observed with token',
        { observed, required: fetched() },
        { ...notReadyMRs, 'storageclass-gold': 'True', volumesnapshotclass: 'True' },
      ],
    ];
    for (const [name, parts, want] of cases) {
      const rsp = await run({ xr: storageTenant(), ...parts });
      expect(desiredReadiness(rsp), name).toEqual(want);
    }
  });

  it('runs again within seconds until everything it composed is ready, then at the normal TTL', async () => {
    const observed = await composeOnce();
    const ttl = async (parts: RequestParts) =>
      (await run({ xr: storageTenant(), ...parts })).meta?.ttl?.seconds;
    expect(await ttl({ required: fetched() })).toBe(5);
    // Classes there and the token written, but the storage managed resources not Ready yet.
    expect(await ttl({ observed, required: fetched() })).toBe(5);
    // The provider reports each storage managed resource Ready; the Token is composed after the
    // Credential is, so that takes one more run.
    const providerReady = (desired: Record<string, KubeObject>) =>
      Object.fromEntries(
        Object.entries(desired).map(([name, object]) => [
          name,
          name.startsWith('storage-') ? ready(object) : object,
        ]),
      );
    const once = await run({ xr: storageTenant(), observed: providerReady(observed), required: fetched() });
    expect(once.meta?.ttl?.seconds).toBe(5);
    const rsp = await run({
      xr: storageTenant(),
      observed: providerReady(desiredResources(once)),
      required: fetched(),
    });
    expect(Object.values(desiredReadiness(rsp))).toEqual(Array(5).fill('True'));
    expect(rsp.meta?.ttl?.seconds).toBe(60);
  });

  it('replaces a StorageClass whose immutable parameters changed: left out once, with a warning and a short TTL', async () => {
    const observed = await composeOnce();
    const rsp = await run({
      xr: storageTenant(withSpec({ storageClasses: [{ name: 'gold', replicas: 2 }] })),
      observed,
      required: fetched(),
    });
    expect(Object.keys(desiredResources(rsp))).toEqual([
      'storage-project',
      'storage-credential',
      'volumesnapshotclass',
    ]);
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Warning',
        reason: 'ReplacingStorageClass',
        message:
          'StorageClass "gold" is being replaced: parameters.replica-count: "3" → "2". StorageClasses cannot change in place, so it is deleted now and created again with the new settings; existing volumes keep theirs',
      },
    ]);
    expect(rsp.meta?.ttl).toEqual({ seconds: 5, nanos: 0 });
    expect(rsp.desired?.composite?.ready).toBe(Ready.READY_FALSE);
    // Once Crossplane deleted it, the next run creates it with the new parameters.
    const next = await run({
      xr: storageTenant(withSpec({ storageClasses: [{ name: 'gold', replicas: 2 }] })),
      observed: { volumesnapshotclass: observed['volumesnapshotclass']! },
      required: fetched(),
    });
    expect(
      (desiredResources(next)['storageclass-gold']?.['parameters'] as Record<string, string>)[
        'replica-count'
      ],
    ).toBe('2');
  });

  it('updates in place what StorageClasses allow to change (the default annotation)', async () => {
    const observed = await composeOnce();
    const rsp = await run({
      xr: storageTenant(withSpec({ storageClasses: [{ name: 'gold', replicas: 3, default: true }] })),
      observed,
      required: fetched(),
    });
    expect(summarize(rsp).results).toEqual([]);
    expect(desiredResources(rsp)['storageclass-gold']?.['metadata']).toMatchObject({
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    });
  });

  it('drops the StorageClass of a removed entry, so Crossplane deletes it', async () => {
    const rsp = await run({
      xr: storageTenant(withSpec({ storageClasses: [{ name: 'silver', replicas: 1 }] })),
      observed: await composeOnce(),
      required: fetched(),
    });
    expect(Object.keys(desiredResources(rsp)).sort()).toEqual([
      'storage-credential',
      'storage-project',
      'storageclass-silver',
      'volumesnapshotclass',
    ]);
  });
});

describe('StorageTenant: the storage Project, Credential and Token', () => {
  const waiting = (pending: string) =>
    'waiting for Secret kube-system/lb-csi-creds with key jwt from storage Token kube-system/tenant-a' +
    `${pending}: volumes cannot be provisioned until the tenant token exists`;
  const cases: Record<
    string,
    {
      reason: string;
      args: RequestParts;
      want: { resources: Record<string, KubeObject>; readiness: Record<string, string>; message: string };
    }
  > = {
    'new tenant': {
      reason: 'the Project and the Credential come first; the Token waits for the Credential',
      args: { required: fetched({ 'credentials-secret': [] }) },
      want: {
        resources: { 'storage-project': storageProject(), 'storage-credential': storageCredential() },
        readiness: { 'storage-project': 'False', 'storage-credential': 'False' },
        message: waiting(' (storage Project kube-system/tenant-a is not Ready)'),
      },
    },
    'project Ready': {
      reason: 'the condition names the next managed resource not Ready',
      args: {
        observed: { 'storage-project': ready(storageProject()), 'storage-credential': storageCredential() },
        required: fetched({ 'credentials-secret': [] }),
      },
      want: {
        resources: { 'storage-project': storageProject(), 'storage-credential': storageCredential() },
        readiness: { 'storage-project': 'True', 'storage-credential': 'False' },
        message: waiting(' (storage Credential kube-system/tenant-a is not Ready)'),
      },
    },
    'credential Ready': {
      reason: 'the storage cluster holds the key that verifies the token: the Token is composed',
      args: {
        observed: {
          'storage-project': ready(storageProject()),
          'storage-credential': ready(storageCredential()),
        },
        required: fetched({ 'credentials-secret': [] }),
      },
      want: {
        resources: {
          'storage-project': storageProject(),
          'storage-credential': storageCredential(),
          'storage-token': storageToken(),
        },
        readiness: { 'storage-project': 'True', 'storage-credential': 'True', 'storage-token': 'False' },
        message: waiting(' (storage Token kube-system/tenant-a is not Ready)'),
      },
    },
    'token Ready, Secret not seen yet': {
      reason: 'the classes follow the Secret, not the Token condition',
      args: {
        observed: {
          'storage-project': ready(storageProject()),
          'storage-credential': ready(storageCredential()),
          'storage-token': ready(storageToken()),
        },
        required: fetched({ 'credentials-secret': [] }),
      },
      want: {
        resources: {
          'storage-project': storageProject(),
          'storage-credential': storageCredential(),
          'storage-token': storageToken(),
        },
        readiness: { 'storage-project': 'True', 'storage-credential': 'True', 'storage-token': 'True' },
        message: waiting(''),
      },
    },
    'credential no longer Ready': {
      reason: 'an existing Token stays composed: dropping it would delete the Secret the CSI driver uses',
      args: {
        observed: {
          'storage-project': ready(storageProject()),
          'storage-credential': storageCredential(),
          'storage-token': ready(storageToken()),
        },
        required: fetched(),
      },
      want: {
        resources: {
          'storage-project': storageProject(),
          'storage-credential': storageCredential(),
          'storage-token': storageToken(),
        },
        readiness: { 'storage-project': 'True', 'storage-credential': 'False', 'storage-token': 'True' },
        message: 'Secret kube-system/lb-csi-creds holds the tenant token',
      },
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { args, want }) => {
    const rsp = await run({ xr: storageTenant(), ...args });
    const managed = ([name]: [string, unknown]) => name.startsWith('storage-');
    expect(Object.fromEntries(Object.entries(desiredResources(rsp)).filter(managed))).toEqual(want.resources);
    expect(Object.fromEntries(Object.entries(desiredReadiness(rsp)).filter(managed))).toEqual(want.readiness);
    const condition = summarize(rsp).conditions.find((c) => c.type === 'StorageCredentials');
    expect(condition?.message).toBe(want.message);
  });

  const inputs: Record<
    string,
    {
      reason: string;
      input: Record<string, unknown>;
      want: { secret: { name: string; namespace: string }; providerConfigRef: unknown };
    }
  > = {
    'a ClusterProviderConfig by name': {
      reason: 'the kind defaults to ClusterProviderConfig',
      input: { providerConfigRef: { name: 'lightbits-east' } },
      want: {
        secret: { name: 'lb-csi-creds', namespace: 'kube-system' },
        providerConfigRef: { kind: 'ClusterProviderConfig', name: 'lightbits-east' },
      },
    },
    'a ProviderConfig beside another credentials Secret': {
      reason: 'the managed resources live where the Token must write its connection Secret',
      input: {
        providerConfigRef: { kind: 'ProviderConfig', name: 'lightbits' },
        credentialsSecret: { name: 'csi-token', namespace: 'lightbits' },
      },
      want: {
        secret: { name: 'csi-token', namespace: 'lightbits' },
        providerConfigRef: { kind: 'ProviderConfig', name: 'lightbits' },
      },
    },
  };

  it.each(Object.entries(inputs))('takes the provider config from the input: %s', async (_name, c) => {
    const rsp = await run({
      xr: storageTenant(),
      input: classesInput(c.input),
      observed: { 'storage-credential': ready(storageCredential()) },
      required: fetched({ 'credentials-secret': [{ ...tokenSecret(), metadata: c.want.secret }] }),
    });
    const resources = desiredResources(rsp);
    for (const name of ['storage-project', 'storage-credential', 'storage-token']) {
      const object = resources[name] as { metadata: { namespace: string }; spec: Record<string, unknown> };
      expect(object.metadata.namespace, name).toBe(c.want.secret.namespace);
      expect(object.spec['providerConfigRef'], name).toEqual(c.want.providerConfigRef);
    }
    expect(resources['storage-token']?.['spec']).toMatchObject({
      writeConnectionSecretToRef: { name: c.want.secret.name },
    });
  });
});
