/**
 * The ServiceAccounts and cluster RBAC of the Lightbits CSI driver, under the names the replaced
 * controller gives them (so a cluster it managed is taken over object by object, not duplicated).
 * The rules are those of the kubernetes-csi sidecars the controller pod runs.
 */
import type { KubeObject } from '../../types.js';
import { tenantLabels } from './storage-class.js';

export const CONTROLLER_SERVICE_ACCOUNT = 'lb-csi-ctrl-sa';
export const NODE_SERVICE_ACCOUNT = 'lb-csi-node-sa';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const rule = (apiGroups: string[], resources: string[], verbs: string[]): Rule => ({
  apiGroups,
  resources,
  verbs,
});

const READ = ['get', 'list', 'watch'];
const EVENTS = rule([''], ['events'], ['list', 'watch', 'create', 'update', 'patch']);
const SNAPSHOT = 'snapshot.storage.k8s.io';

/** A ClusterRole, the ServiceAccount bound to it and the name of the binding. */
interface Grant {
  role: string;
  binding: string;
  serviceAccount: string;
  rules: Rule[];
}

const DRIVER_GRANTS: Grant[] = [
  // The node plugin needs no API access; the binding is kept as the replaced controller has it.
  { role: 'lb-csi-node', binding: 'lb-csi-node', serviceAccount: NODE_SERVICE_ACCOUNT, rules: [] },
  {
    role: 'lb-csi-attacher-role',
    binding: 'lb-csi-attacher-binding',
    serviceAccount: CONTROLLER_SERVICE_ACCOUNT,
    rules: [
      rule([''], ['persistentvolumes'], [...READ, 'create', 'delete', 'patch']),
      rule([''], ['nodes'], READ),
      rule(['storage.k8s.io'], ['csinodes'], READ),
      rule(
        ['storage.k8s.io'],
        ['volumeattachments', 'volumeattachments/status'],
        [...READ, 'update', 'patch'],
      ),
    ],
  },
  {
    role: 'lb-csi-provisioner-role',
    binding: 'lb-csi-provisioner-binding',
    serviceAccount: CONTROLLER_SERVICE_ACCOUNT,
    rules: [
      rule([''], ['secrets'], ['get', 'list']),
      rule([''], ['persistentvolumes'], [...READ, 'create', 'delete']),
      rule([''], ['persistentvolumeclaims'], [...READ, 'update']),
      rule(['storage.k8s.io'], ['storageclasses'], READ),
      rule(['storage.k8s.io'], ['csinodes'], READ),
      rule([SNAPSHOT], ['volumesnapshotclasses'], READ),
      rule([SNAPSHOT], ['volumesnapshotcontents'], ['create', ...READ, 'update', 'patch', 'delete']),
      rule([SNAPSHOT], ['volumesnapshots'], [...READ, 'update', 'patch', 'delete']),
      EVENTS,
      rule([''], ['nodes'], READ),
    ],
  },
  {
    role: 'external-resizer-runner',
    binding: 'csi-resizer-role',
    serviceAccount: CONTROLLER_SERVICE_ACCOUNT,
    rules: [
      rule([''], ['persistentvolumes'], [...READ, 'create', 'delete']),
      rule([''], ['persistentvolumeclaims'], [...READ, 'update']),
      rule([''], ['persistentvolumeclaims/status'], ['patch']),
      EVENTS,
      rule([''], ['pods'], READ),
    ],
  },
];

const SNAPSHOTTER_GRANT: Grant = {
  role: 'external-snapshotter-runner',
  binding: 'csi-snapshotter-role',
  serviceAccount: CONTROLLER_SERVICE_ACCOUNT,
  rules: [
    EVENTS,
    rule([''], ['secrets'], ['get', 'list']),
    rule([SNAPSHOT], ['volumesnapshotclasses'], READ),
    rule([SNAPSHOT], ['volumesnapshotcontents'], ['create', ...READ, 'update', 'patch', 'delete']),
    // The sidecar reports snapshot results through the status subresource since external-snapshotter v4.
    rule([SNAPSHOT], ['volumesnapshotcontents/status'], ['update', 'patch']),
  ],
};

const SNAPSHOT_CONTROLLER_GRANT: Grant = {
  role: 'snapshot-controller-runner',
  binding: 'snapshot-controller-role',
  serviceAccount: CONTROLLER_SERVICE_ACCOUNT,
  rules: [
    rule([''], ['persistentvolumes'], READ),
    rule([''], ['persistentvolumeclaims'], [...READ, 'update']),
    rule(['storage.k8s.io'], ['storageclasses'], READ),
    EVENTS,
    rule([SNAPSHOT], ['volumesnapshotclasses'], READ),
    rule([SNAPSHOT], ['volumesnapshotcontents'], ['create', ...READ, 'update', 'delete']),
    rule([SNAPSHOT], ['volumesnapshots'], [...READ, 'update']),
    rule([SNAPSHOT], ['volumesnapshots/status'], ['update', 'patch']),
    rule([SNAPSHOT], ['volumesnapshotcontents/status'], ['update', 'patch']),
  ],
};

/** Which snapshot pieces run: none without the snapshot CRDs. */
export interface SnapshotPieces {
  snapshotter: boolean;
  snapshotController: boolean;
}

/**
 * The ServiceAccounts, ClusterRoles and ClusterRoleBindings, by composition resource name
 * (`csi-serviceaccount-*`, `csi-clusterrole-*`, `csi-clusterrolebinding-*`).
 */
export function csiRbac(
  namespace: string,
  tenant: string,
  pieces: SnapshotPieces,
): Record<string, KubeObject> {
  const labels = tenantLabels(tenant);
  const grants = [
    ...DRIVER_GRANTS,
    ...(pieces.snapshotter ? [SNAPSHOTTER_GRANT] : []),
    ...(pieces.snapshotController ? [SNAPSHOT_CONTROLLER_GRANT] : []),
  ];
  const out: Record<string, KubeObject> = {};
  for (const serviceAccount of [CONTROLLER_SERVICE_ACCOUNT, NODE_SERVICE_ACCOUNT]) {
    out[`csi-serviceaccount-${serviceAccount}`] = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: serviceAccount, namespace, labels },
    };
  }
  for (const grant of grants) {
    out[`csi-clusterrole-${grant.role}`] = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: grant.role, labels },
      rules: grant.rules,
    };
    out[`csi-clusterrolebinding-${grant.binding}`] = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: grant.binding, labels },
      subjects: [{ kind: 'ServiceAccount', name: grant.serviceAccount, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: grant.role },
    };
  }
  return out;
}
