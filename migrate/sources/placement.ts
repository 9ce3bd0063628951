/**
 * placement-operator (`placement.openstack.org/v1beta1` PlacementAPI, openstack-k8s-operators):
 * each PlacementAPI becomes Stackplane's PlacementAPI of the same name and spec, which keeps the
 * operator's field names. Read from github.com/openstack-k8s-operators/placement-operator (commit
 * 8f5b392): the spec in api/v1beta1/placementapi_types.go, the database `placement` in
 * internal/placement/const.go, the owned objects and finalizer in
 * internal/controller/placementapi_controller.go.
 *
 * The operator is the controller (ownerReferences) of the Deployment, Services, config Secret,
 * ServiceAccount, Role, RoleBinding, db-sync Job and its MariaDB and Keystone resources. Crossplane
 * cannot compose an object another controller holds, so this original is released once its XR is
 * applied, before it can be Ready: its finalizer removed (so it cannot drop the database or the
 * Keystone service), then deleted with orphan propagation, which leaves every dependent running and
 * frees it for the XR.
 */
import { PlacementAPI, placementAPISpecSchema } from '../../apis/openstack/placementapi.js';
import { objectsOf, refOf, unfinished } from '../objects.js';
import {
  PAUSED,
  type Inventory,
  type KubeObject,
  type MigrationSource,
  type PlanEntry,
  type Release,
} from '../plan.js';
import { specIssues } from './stackplane-objects.js';
import { KEPT_KINDS, keptObjects } from './placement/kept.js';

export const PLACEMENT_GROUP = 'placement.openstack.org';
/** lib-common's helper names the finalizer `openstack.org/<kind>`. */
const OPERATOR_FINALIZER_PREFIX = 'openstack.org/';
/** The operator's database name, whatever the instance is called (internal/placement/const.go). */
const DATABASE_NAME = 'placement';

/** Fields of the original's spec that Stackplane's PlacementAPI has no field for. */
function withoutEquivalent(spec: Record<string, unknown>): string[] {
  const known = Object.keys(placementAPISpecSchema.shape);
  return Object.keys(spec).filter((field) => !known.includes(field));
}

function planPlacement(original: KubeObject, inventory: Inventory): PlanEntry {
  const { name, namespace = 'default' } = original.metadata;
  const spec = (original['spec'] ?? {}) as Record<string, unknown>;
  const reasons = [
    unfinished(original, 'Ready'),
    ...withoutEquivalent(spec).map(
      (field) =>
        `spec.${field}: Stackplane's PlacementAPI has no equivalent; remove it from the original and run migrate again`,
    ),
    ...specIssues(placementAPISpecSchema, spec),
  ].filter((r): r is string => r !== undefined);
  const account = typeof spec['databaseAccount'] === 'string' ? spec['databaseAccount'] : 'placement';
  const instance = String(spec['databaseInstance']);
  const { uid } = original.metadata;
  const kept = keptObjects(inventory, { name, namespace, ...(uid ? { uid } : {}), account, instance });
  if ('refused' in kept) reasons.push(kept.refused);
  if (reasons.length > 0 || 'refused' in kept)
    return { outcome: 'refuse', original: refOf(original), reasons };
  const recorded = Object.keys(kept.adopted).length > 0;
  const finalizers = (original.metadata.finalizers ?? []).filter((f) =>
    f.startsWith(OPERATOR_FINALIZER_PREFIX),
  );
  const dependents = statefulDependents(original, finalizers, inventory);
  return {
    outcome: 'migrate',
    original: refOf(original),
    platform: [],
    resources: [
      {
        apiVersion: `${PlacementAPI.group}/${PlacementAPI.version}`,
        kind: PlacementAPI.kind,
        // Written paused when it keeps recorded objects: the apply seeds status.adopted through the
        // status subresource before Crossplane first reconciles it.
        metadata: { name, namespace, ...(recorded ? { annotations: { [PAUSED]: 'true' } } : {}) },
        spec,
        ...(recorded ? { status: { adopted: kept.adopted } } : {}),
      },
    ],
    adopted: [{ what: `database on ${instance}`, externalName: DATABASE_NAME }, ...kept.objects],
    release: {
      finalizers,
      ...(dependents.length > 0 ? { dependents } : {}),
      // Always orphan: the operator owns the running Deployment and Services even if they were not read.
      orphanDependents: true,
      beforeReady: true,
    },
    notes: [
      `released once the XR is applied, before it is Ready: the operator controls Deployment ${name}, Services placement-internal and placement-public and the rest, which Crossplane cannot compose until the orphaning delete frees them`,
      ...kept.notes,
      ...(recorded
        ? [
            `created paused (${PAUSED}): status.adopted, what it keeps, is written through the status subresource, then the annotation is removed; -o yaml cannot carry status, so apply it with --apply`,
          ]
        : []),
    ],
  };
}

/**
 * The original's dependents that hold state (the MariaDBDatabase, MariaDBAccount, KeystoneService
 * and KeystoneEndpoint it creates, the account's password Secret) and what comes off them: the
 * original's finalizer, which lib-common puts on all but the Secret and the operator's delete takes
 * off, and their owner reference to it.
 */
function statefulDependents(
  original: KubeObject,
  finalizers: string[],
  inventory: Inventory,
): NonNullable<Release['dependents']> {
  const { uid, namespace = 'default' } = original.metadata;
  const owned = (o: KubeObject) =>
    (o.metadata.namespace ?? 'default') === namespace &&
    (o.metadata.ownerReferences ?? []).some((r) => r.kind === original.kind && r.uid === uid);
  const ours = (f: string) => finalizers.includes(f);
  if (uid === undefined) return [];
  return inventory.objects
    .filter((o) => STATEFUL_KINDS.includes(o.kind) && owned(o))
    .map((o) => ({
      object: refOf(o),
      finalizers: (o.metadata.finalizers ?? []).filter(ours),
      ownerUID: uid,
    }));
}
const STATEFUL_KINDS = ['MariaDBDatabase', 'MariaDBAccount', 'KeystoneService', 'KeystoneEndpoint', 'Secret'];

export const placementSource: MigrationSource = {
  name: 'placement-operator',
  // As openstack-operator installs it (OLM, namespace openstack-operators).
  operator: { namespace: 'openstack-operators', name: 'placement-operator-controller-manager' },
  kinds: [
    { group: PLACEMENT_GROUP, version: 'v1beta1', kind: 'PlacementAPI', plural: 'placementapis' },
    ...KEPT_KINDS,
  ],
  plan(inventory) {
    return objectsOf(inventory, PLACEMENT_GROUP, 'PlacementAPI').map((o) => planPlacement(o, inventory));
  },
};
