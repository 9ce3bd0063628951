import type { Endpoint, PlacementAdopted, PlacementAPISpec } from '../../../apis/openstack/placementapi.js';
import type { PlacementInput } from '../../../apis/functions/placement-input.js';

/** The port every Placement endpoint listens on. */
export const PLACEMENT_PORT = 8778;

/** The uid of the placement user in the upstream images; the pods never run as root. */
export const PLACEMENT_UID = 42482;

/** Composition resource names, one per composed object. */
export const RESOURCE = {
  configSecret: 'config-secret',
  serviceAccount: 'service-account',
  role: 'role',
  roleBinding: 'role-binding',
  serviceInternal: 'service-internal',
  servicePublic: 'service-public',
  database: 'database',
  databaseUser: 'database-user',
  databaseGrant: 'database-grant',
  dbSync: 'db-sync',
  deployment: 'deployment',
  keystoneService: 'keystone-service',
  keystoneUser: 'keystone-user',
  keystoneRoleAssignment: 'keystone-role-assignment',
  keystoneEndpointInternal: 'keystone-endpoint-internal',
  keystoneEndpointPublic: 'keystone-endpoint-public',
  keystoneEndpoint: 'keystone-endpoint',
} as const;

/** Everything the step derives from one PlacementAPI and its Composition input. */
export interface Placement {
  name: string;
  namespace: string;
  spec: PlacementAPISpec;
  input: PlacementInput;
  /** What a migration recorded in status of the objects this resource took over, if anything. */
  adopted?: PlacementAdopted;
}

/** The key of the placement-operator's account Secret that holds the password (MariaDBAccount). */
export const ADOPTED_PASSWORD_KEY = 'DatabasePassword';

/** The database account placement connects as: its user, and where its password is. */
export interface DatabaseAccount {
  user: string;
  secret: string;
  key: string;
  /** True when the password exists already (adopted): it is set on the account, never generated. */
  kept: boolean;
}

/**
 * The database account: `spec.databaseAccount` with a password the backend generates into
 * `<name>-db-account`, or, once a migration recorded them, the existing user and the Secret that
 * holds its password, so the account and the pods keep both.
 */
export function databaseAccount(p: Placement): DatabaseAccount {
  const user = p.adopted?.databaseUser ?? p.spec.databaseAccount;
  const kept = p.adopted?.databasePasswordSecret;
  return kept
    ? { user, secret: kept, key: ADOPTED_PASSWORD_KEY, kept: true }
    : { user, secret: objectNames(p).databaseAccountSecret, key: 'password', kept: false };
}

/** Names of the Kubernetes objects composed for a PlacementAPI. */
export function objectNames(p: Placement) {
  return {
    deployment: p.name,
    configSecret: `${p.name}-config-data`,
    // Written by the database backend with the generated account password (key "password").
    databaseAccountSecret: `${p.name}-db-account`,
    rbac: `placement-${p.name}`,
    service: (endpoint: Endpoint) => `placement-${endpoint}`,
    dbSyncJob: (hash: string) => `${p.name}-db-sync-${hash.slice(0, 10)}`,
  };
}

/** Labels on every composed object. */
export function commonLabels(p: Placement): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'stackplane',
    'openstack.stackplane.io/placementapi': p.name,
  };
}

/** Labels of the API pods; the Services select them. */
export function podLabels(p: Placement): Record<string, string> {
  return { service: 'placement', 'openstack.stackplane.io/placementapi': p.name };
}

/** The database server host: the Service of the named instance. */
export function databaseHostname(p: Placement): string {
  return `${p.spec.databaseInstance}.${p.namespace}${p.input.database.hostnameSuffix}`;
}

/** Keystone URLs placement authenticates against. */
export function keystoneURLs(p: Placement): { internal: string; public: string } {
  return {
    internal: p.input.keystone.internalURL ?? `http://keystone-internal.${p.namespace}.svc:5000`,
    public: p.input.keystone.publicURL ?? `http://keystone-public.${p.namespace}.svc:5000`,
  };
}

/** `metadata` of a composed namespaced object. */
export function metadata(p: Placement, name: string, extraLabels: Record<string, string> = {}) {
  return { name, namespace: p.namespace, labels: { ...commonLabels(p), ...extraLabels } };
}
