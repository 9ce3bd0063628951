// Builders for RunFunction requests: start from a valid request and apply modifiers.
import { Ready, type RunFunctionRequest, type State } from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../../functions/types.js';

export type Modifier<T> = (value: T) => void;

/** A StorageTenant XR as the API server would hand it to the function. */
export function storageTenant(...modifiers: Modifier<KubeObject & { spec: Record<string, unknown> }>[]) {
  const xr = {
    apiVersion: 'storage.stackplane.io/v1alpha1',
    kind: 'StorageTenant',
    metadata: { name: 'tenant-a', uid: '0d5c0b0e-1111-4222-8333-444455556666' },
    spec: {
      projectID: 'p-123',
      endpoints: ['10.0.0.1:443', '10.0.0.2:443'],
      storageClasses: [{ name: 'gold', replicas: 3 }] as Record<string, unknown>[],
    } as Record<string, unknown>,
  };
  for (const modify of modifiers) modify(xr);
  return xr;
}

export const withSpec =
  (fields: Record<string, unknown>): Modifier<{ spec: Record<string, unknown> }> =>
  (xr) => {
    Object.assign(xr.spec, fields);
  };

export const withoutSpecField =
  (field: string): Modifier<{ spec: Record<string, unknown> }> =>
  (xr) => {
    delete xr.spec[field];
  };

export const storageClassesInput = (fields: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'fn.stackplane.io/v1alpha1',
  kind: 'StorageClasses',
  ...fields,
});

export interface RequestParts {
  xr?: KubeObject;
  input?: KubeObject | undefined;
  observed?: Record<string, KubeObject>;
  desired?: Record<string, KubeObject>;
  required?: Record<string, KubeObject[]>;
  context?: Record<string, unknown>;
}

const state = (composite: KubeObject | undefined, resources: Record<string, KubeObject> = {}): State => ({
  composite: composite
    ? { resource: composite, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED }
    : undefined,
  resources: Object.fromEntries(
    Object.entries(resources).map(([name, resource]) => [
      name,
      { resource, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED },
    ]),
  ),
});

/** A RunFunctionRequest for the given parts; by default a valid StorageTenant request. */
export function runFunctionRequest(parts: RequestParts = {}): RunFunctionRequest {
  const input = 'input' in parts ? parts.input : storageClassesInput();
  return {
    meta: { tag: 'test', capabilities: [] },
    observed: state(parts.xr ?? storageTenant(), parts.observed),
    desired: state(undefined, parts.desired),
    ...(input ? { input } : {}),
    ...(parts.context ? { context: parts.context } : {}),
    extraResources: {},
    credentials: {},
    requiredResources: Object.fromEntries(
      Object.entries(parts.required ?? {}).map(([name, items]) => [
        name,
        {
          items: items.map((resource) => ({
            resource,
            connectionDetails: {},
            ready: Ready.READY_UNSPECIFIED,
          })),
        },
      ]),
    ),
    requiredSchemas: {},
  };
}

/** The token Secret as the storage Token managed resource writes it. */
export const tokenSecret = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'lb-csi-creds', namespace: 'kube-system' },
  data: { jwt: 'c2VjcmV0LXRva2VuLXZhbHVl' },
});

/** The CSI snapshot CRD of VolumeSnapshotClass, as a cluster with the external-snapshotter CRDs has it. */
export const volumeSnapshotClassCrd = (): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'volumesnapshotclasses.snapshot.storage.k8s.io' },
  spec: {
    group: 'snapshot.storage.k8s.io',
    scope: 'Cluster',
    versions: [
      { name: 'v1', served: true, storage: true },
      { name: 'v1beta1', served: false, storage: false },
    ],
  },
});

/** The required resources a StorageTenant step needs once Crossplane fetched them. */
export const fetched = (extra: Record<string, KubeObject[]> = {}) => ({
  'credentials-secret': [tokenSecret()],
  'volumesnapshotclass-crd': [volumeSnapshotClassCrd()],
  ...extra,
});

/** A PlacementAPI XR as the API server would hand it to the function (the basic sample). */
export function placementAPI(...modifiers: Modifier<KubeObject & { spec: Record<string, unknown> }>[]) {
  const xr = {
    apiVersion: 'openstack.stackplane.io/v1alpha1',
    kind: 'PlacementAPI',
    metadata: { name: 'placement', namespace: 'openstack', uid: '5a0c7e1e-2222-4333-8444-555566667777' },
    spec: { databaseInstance: 'openstack', secret: 'osp-secret' } as Record<string, unknown>,
  };
  for (const modify of modifiers) modify(xr);
  return xr;
}

export const placementInput = (fields: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'fn.stackplane.io/v1alpha1',
  kind: 'PlacementAPI',
  ...fields,
});

/** The value of the service password in passwordSecret(); it must never appear in any output. */
export const SERVICE_PASSWORD_VALUE = 'c2VydmljZS1wYXNzd29yZC12YWx1ZQ==';

/** The Secret holding the service password, as the user creates it. */
export const passwordSecret = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'osp-secret', namespace: 'openstack' },
  data: { PlacementPassword: SERVICE_PASSWORD_VALUE },
});
