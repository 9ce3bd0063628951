/**
 * What a PlacementAPI keeps of what the placement-operator asked of the mariadb-operator and the
 * keystone-operator (openstack-k8s-operators): the MariaDBAccount named `spec.databaseAccount`, with
 * its generated user (`spec.userName`) and the Secret holding its password (`spec.secret`, key
 * DatabasePassword), and the ids Keystone gave the service and endpoints (KeystoneService
 * `status.serviceID`, KeystoneEndpoint `status.endpointIDs`). Read from lib-common's
 * EnsureMariaDBAccount and placement-operator's controller: both objects are named after the service
 * (`placement`) and the PlacementAPI, in its namespace.
 */
import type { PlacementAdopted } from '../../../apis/openstack/placementapi.js';
import { findSecret, objectsOf, secretValue } from '../../objects.js';
import type { Adopted, Inventory, KubeObject } from '../../plan.js';

export const MARIADB_GROUP = 'mariadb.openstack.org';
export const KEYSTONE_GROUP = 'keystone.openstack.org';
/** The key of a MariaDBAccount's Secret that holds the password. */
export const DATABASE_PASSWORD_KEY = 'DatabasePassword';
/** The Keystone service placement registers, by name and type. */
const SERVICE_NAME = 'placement';

/** What the plan records in the composite's status, lists as adopted, and says. */
export interface Kept {
  adopted: PlacementAdopted;
  objects: Adopted[];
  notes: string[];
}

/** The kinds read besides the PlacementAPI, so the reader lists them. */
export const KEPT_KINDS = [
  { group: MARIADB_GROUP, version: 'v1beta1', kind: 'MariaDBAccount', plural: 'mariadbaccounts' },
  { group: MARIADB_GROUP, version: 'v1beta1', kind: 'MariaDBDatabase', plural: 'mariadbdatabases' },
  { group: KEYSTONE_GROUP, version: 'v1beta1', kind: 'KeystoneService', plural: 'keystoneservices' },
  { group: KEYSTONE_GROUP, version: 'v1beta1', kind: 'KeystoneEndpoint', plural: 'keystoneendpoints' },
  // The operator's Deployment, for its selector.
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments' },
].map((kind) => ({ ...kind, companion: true }));

const inNamespace = (objects: KubeObject[], namespace: string) =>
  objects.filter((o) => (o.metadata.namespace ?? 'default') === namespace);
const field = (object: KubeObject | undefined, path: 'spec' | 'status', key: string): unknown =>
  (object?.[path] as Record<string, unknown> | undefined)?.[key];
const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The database account and Keystone objects of one PlacementAPI, or the reason they cannot be kept:
 * a MariaDBAccount whose password Secret is gone would have the account's password replaced.
 */
export function keptObjects(
  inventory: Inventory,
  original: { name: string; namespace: string; uid?: string; account: string; instance: string },
): Kept | { refused: string } {
  const { name, namespace, account, instance } = original;
  const kept: Kept = { adopted: {}, objects: [], notes: [] };

  const mariadbAccount = inNamespace(objectsOf(inventory, MARIADB_GROUP, 'MariaDBAccount'), namespace).find(
    (o) => o.metadata.name === account,
  );
  if (mariadbAccount) {
    const user = nonEmpty(field(mariadbAccount, 'spec', 'userName'));
    const secretName = nonEmpty(field(mariadbAccount, 'spec', 'secret')) ?? `${account}-db-secret`;
    const password = secretValue(findSecret(inventory, namespace, secretName), DATABASE_PASSWORD_KEY);
    if (!user)
      return {
        refused: `MariaDBAccount ${namespace}/${account} spec.userName is empty: the database user is unknown; let the mariadb-operator finish it and run migrate again`,
      };
    if (!password)
      return {
        refused: `MariaDBAccount ${namespace}/${account} spec.secret: Secret ${namespace}/${secretName} does not exist or has no key ${DATABASE_PASSWORD_KEY}, so the account's password would be replaced; restore the Secret (or point spec.secret at the one holding it) and run migrate again`,
      };
    kept.adopted = { databaseUser: user, databasePasswordSecret: secretName };
    kept.objects.push({ what: `database account on ${instance}`, externalName: `${user}@%` });
    kept.notes.push(
      `the database account ${user}@% (MariaDBAccount ${account}) keeps its password: Secret ${secretName} (key ${DATABASE_PASSWORD_KEY}) is set on it and read by the pods, never generated anew`,
    );
    kept.notes.push(
      `MariaDBAccount ${namespace}/${account}: with the openstack-mariadb-operator backend the PlacementAPI composes it as its own, and deleting the PlacementAPI drops the database user ${user}@%, as with any backend; with the sql-provider backend it stays, orphaned, and the mariadb-operator still runs it: deleting it drops the database user ${user}@% (its delete job runs DROP USER) and placement cannot reach its database until Stackplane's account creates the user again, so leave it alone`,
    );
  } else {
    kept.objects.push({ what: `database account on ${instance}`, externalName: `${account}@%` });
    kept.notes.push(
      `no MariaDBAccount ${namespace}/${account}: the database account's password is generated into Secret ${name}-db-account and set on ${account}@%; the pods roll onto it`,
    );
  }

  const service = inNamespace(objectsOf(inventory, KEYSTONE_GROUP, 'KeystoneService'), namespace).find(
    (o) => field(o, 'spec', 'serviceName') === SERVICE_NAME || o.metadata.name === SERVICE_NAME,
  );
  const serviceID = nonEmpty(field(service, 'status', 'serviceID'));
  const endpoint = inNamespace(objectsOf(inventory, KEYSTONE_GROUP, 'KeystoneEndpoint'), namespace).find(
    (o) => o.metadata.name === name,
  );
  const ids = (field(endpoint, 'status', 'endpointIDs') ?? {}) as Record<string, unknown>;
  const internal = nonEmpty(ids['internal']);
  const publicID = nonEmpty(ids['public']);
  const endpointIDs: { internal?: string; public?: string } = {
    ...(internal ? { internal } : {}),
    ...(publicID ? { public: publicID } : {}),
  };
  if (serviceID) {
    kept.adopted.keystoneServiceID = serviceID;
    kept.objects.push({ what: `Keystone service ${SERVICE_NAME}`, externalName: serviceID });
  }
  for (const which of ['internal', 'public'] as const) {
    const id = endpointIDs[which];
    if (id) kept.objects.push({ what: `Keystone ${which} endpoint`, externalName: id });
  }
  if (Object.keys(endpointIDs).length > 0) kept.adopted.keystoneEndpointIDs = endpointIDs;
  kept.notes.push(
    serviceID
      ? `the Keystone service and endpoints keep their ids (KeystoneService ${service?.metadata.name}, KeystoneEndpoint ${name}): provider-openstack observes them by id, or, with the keystone-operator backend, Stackplane composes those same two objects by name`
      : `no KeystoneService for ${SERVICE_NAME} with a serviceID in ${namespace}: provider-openstack registers the service and endpoints anew`,
  );
  const user = field(service, 'spec', 'serviceUser');
  if (service && serviceID)
    kept.notes.push(orphanedKeystoneNote(namespace, service, serviceID, endpoint, user));
  if (serviceID && typeof user === 'string')
    kept.notes.push(
      `the Keystone user ${user} exists (the keystone-operator made it) and no object records its id, which is all provider-openstack adopts by: with the openstack-provider backend its UserV3 meets the existing name and stays unready, as Stackplane has no field for that id yet; use the keystone-operator backend`,
    );
  keepDeploymentSelector(inventory, original, kept);
  return kept;
}

/**
 * What deleting the keystone-operator's orphaned objects does: its KeystoneService delete removes
 * the Keystone service and user without waiting for other finalizers (keystoneservice_controller.go
 * reconcileDelete), and its KeystoneEndpoint delete removes the endpoints.
 */
function orphanedKeystoneNote(
  namespace: string,
  service: KubeObject,
  serviceID: string,
  endpoint: KubeObject | undefined,
  user: unknown,
): string {
  const objects = [`KeystoneService ${namespace}/${service.metadata.name}`];
  if (endpoint) objects.push(`KeystoneEndpoint ${namespace}/${endpoint.metadata.name}`);
  const [they, stay, them] = objects.length > 1 ? ['they', 'stay', 'them'] : ['it', 'stays', 'it'];
  return (
    `${objects.join(' and ')}: with the keystone-operator backend the PlacementAPI composes ${them} as its own; with the ` +
    `openstack-provider backend ${they} ${stay}, orphaned, and the keystone-operator still runs ${them}: deleting the KeystoneService ` +
    `deletes Keystone service ${serviceID}${typeof user === 'string' ? ` and user ${user}` : ''} at once` +
    `${endpoint ? ', deleting the KeystoneEndpoint deletes its endpoints' : ''}, and clients no longer find placement, so leave ${them} alone`
  );
}

/**
 * The selector of the Deployment the original controls (lib-common's `service` and `owner` labels):
 * a Deployment's selector cannot change, so the composed one keeps it, or taking it over would fail.
 */
function keepDeploymentSelector(
  inventory: Inventory,
  original: { name: string; namespace: string; uid?: string },
  kept: Kept,
): void {
  const deployment = inNamespace(objectsOf(inventory, 'apps', 'Deployment'), original.namespace).find(
    (o) =>
      o.metadata.name === original.name &&
      (o.metadata.ownerReferences ?? []).some((r) => r.kind === 'PlacementAPI' && r.uid === original.uid),
  );
  const selector = (field(deployment, 'spec', 'selector') as { matchLabels?: unknown } | undefined)
    ?.matchLabels;
  if (typeof selector !== 'object' || selector === null || Object.keys(selector).length === 0) return;
  const labels = Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)]));
  kept.adopted.deploymentSelector = labels;
  kept.notes.push(
    `Deployment ${original.name} keeps its selector ${Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')} (a selector cannot change): its pods get Stackplane's labels besides`,
  );
}
