/**
 * What keeps an orphaned operator object a migrated PlacementAPI depends on from being deleted by
 * mistake: a Crossplane Usage with a reason, which Crossplane's webhook uses to refuse the delete and
 * say what it would do, and the right for Crossplane to mark the object in use. Only for what
 * Stackplane never composes (the MariaDBAccount): a Usage on an object the composite composes would
 * hold up the composite's own deletion.
 */
import type { KubeObject } from '../../plan.js';

const USAGE_API_VERSION = 'protection.crossplane.io/v1beta1';
const MARIADB_API_VERSION = 'mariadb.openstack.org/v1beta1';
/** Aggregated into Crossplane's ClusterRole by its label, as package/rbac/ does for compositions. */
const CROSSPLANE_ROLE = 'stackplane:migrate:aggregate-to-crossplane';

/** The Usage (by name) and the platform objects that protect one MariaDBAccount. */
export function protectAccount(account: {
  namespace: string;
  account: string;
  user: string;
  placement: string;
}): { usage: string; platform: KubeObject[] } {
  const usage = `stackplane-keeps-mariadbaccount-${account.account}`;
  return {
    usage,
    platform: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: CROSSPLANE_ROLE, labels: { 'rbac.crossplane.io/aggregate-to-crossplane': 'true' } },
        // The Usage controller reads the object and labels it crossplane.io/in-use.
        rules: [
          {
            apiGroups: ['mariadb.openstack.org'],
            resources: ['mariadbaccounts'],
            verbs: ['get', 'list', 'watch', 'update', 'patch'],
          },
        ],
      },
      {
        apiVersion: USAGE_API_VERSION,
        kind: 'Usage',
        metadata: { name: usage, namespace: account.namespace },
        spec: {
          of: {
            apiVersion: MARIADB_API_VERSION,
            kind: 'MariaDBAccount',
            resourceRef: { name: account.account },
          },
          reason:
            `PlacementAPI ${account.namespace}/${account.placement} runs on database user ${account.user}@%, which ` +
            `deleting this MariaDBAccount drops (the mariadb-operator runs DROP USER); delete this Usage first only ` +
            'once placement no longer needs that user',
        },
      },
    ],
  };
}
