// Builders for the reseller kinds' requests: a valid object to start from, and modifiers.
import type { KubeObject } from '../../functions/types.js';
import type { Modifier } from './requests.js';

export const KUBE_SYSTEM_UID = '8f2d6c1e-7a3b-4c5d-9e0f-1a2b3c4d5e6f';
/** controllerIdFromUid(KUBE_SYSTEM_UID). */
export const DERIVED_ID = 'kkkfqd';
/** The password in passwordSecret(); it must never appear in status or results. */
export const PASSWORD = 'Kq7mXz2Pw9Lr4Tn8Vb3Hc6Jd5Fg1Sa0Y';

type Object_ = KubeObject & { metadata: Record<string, unknown>; spec: Record<string, unknown> };

function build(object: Object_, modifiers: Modifier<Object_>[]): Object_ {
  for (const modify of modifiers) modify(object);
  return object;
}

const xr = (kind: string, name: string, spec: Record<string, unknown>, namespace = 'default'): Object_ => ({
  apiVersion: 'reseller.stackplane.io/v1alpha1',
  kind,
  metadata: { name, namespace, uid: `uid-${kind}-${name}` },
  spec,
});

export const project = (name = 'project-sample', ...m: Modifier<Object_>[]) =>
  build(xr('Project', name, { region: 'prod1' }), m);
export const user = (name = 'user-sample', ...m: Modifier<Object_>[]) => build(xr('User', name, {}), m);
export const binding = (name: string, userName: string, projectName: string, ...m: Modifier<Object_>[]) =>
  build(xr('UserProjectBinding', name, { user: userName, project: projectName }), m);

export const withStatus =
  (status: Record<string, unknown>): Modifier<Object_> =>
  (o) => {
    o['status'] = { ...((o['status'] as object | undefined) ?? {}), ...status };
  };
export const inNamespace =
  (namespace: string): Modifier<Object_> =>
  (o) => {
    o.metadata['namespace'] = namespace;
  };
export const createdAt =
  (timestamp: string): Modifier<Object_> =>
  (o) => {
    o.metadata['creationTimestamp'] = timestamp;
  };
export const deleting: Modifier<Object_> = (o) => {
  o.metadata['deletionTimestamp'] = '2026-02-01T00:00:00Z';
};

/** A Project XR whose provider Project is ready. */
export const readyProject = (name: string, region: string, ...m: Modifier<Object_>[]) =>
  project(
    name,
    (o) => {
      o.spec['region'] = region;
    },
    withStatus({
      openstackName: `${DERIVED_ID}-default-${name}`,
      fullName: `p500123-${DERIVED_ID}-default-${name}`,
      projectID: `${name}-id`,
      region,
    }),
    ...m,
  );

export const region = (name: string): KubeObject => ({
  apiVersion: 'm.stackplane.io/v1alpha1',
  kind: 'ClusterProviderConfig',
  metadata: { name },
  spec: {
    endpoint: `https://${name}.api.example:60312/`,
    credentials: { secretRef: { name: `${name}-secret`, namespace: 'crossplane-system' } },
    keystone: { authURL: `https://${name}.api.example:5000/v3` },
    regionName: name,
  },
});

export const kubeSystem = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'kube-system', uid: KUBE_SYSTEM_UID },
});

export const environmentConfig = (data: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'EnvironmentConfig',
  metadata: { name: 'stackplane-reseller' },
  data,
});

export const passwordSecret = (userName = 'user-sample'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: `${userName}-openstack-password`, namespace: 'default' },
  data: { password: Buffer.from(PASSWORD).toString('base64') },
});

/** A composed managed resource as observed, Ready or not. */
export const observedMR = (
  kind: string,
  name: string,
  ready: boolean,
  status: Record<string, unknown> = {},
) => ({
  apiVersion: 'reseller.m.stackplane.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {},
  status: {
    ...status,
    conditions: [
      { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Available' : 'Creating' },
    ],
  },
});

export const input = (kind: string, fields: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'fn.stackplane.io/v1alpha1',
  kind,
  ...fields,
});

/** The context a UniqueName step leaves for the next step. */
export const uniqueNameContext = (name: string) => ({ 'stackplane.io/unique-name': { name } });
