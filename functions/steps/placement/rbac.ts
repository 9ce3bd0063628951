import type { KubeObject } from '../../types.js';
import { RESOURCE, metadata, objectNames, type Placement } from './names.js';

/**
 * The ServiceAccount the pods run as, with a Role and RoleBinding as the original created. The one
 * rule lets the pods use OpenShift's nonroot-v2 SCC (they run as uid 42482); elsewhere it is inert.
 */
export function rbacResources(p: Placement): Record<string, KubeObject> {
  const name = objectNames(p).rbac;
  return {
    [RESOURCE.serviceAccount]: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(p, name) },
    [RESOURCE.role]: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: metadata(p, name),
      rules: [
        {
          apiGroups: ['security.openshift.io'],
          resources: ['securitycontextconstraints'],
          resourceNames: ['nonroot-v2'],
          verbs: ['use'],
        },
      ],
    },
    [RESOURCE.roleBinding]: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(p, name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: p.namespace }],
    },
  };
}
