import { ENDPOINTS } from '../../../apis/openstack/placementapi.js';
import type { KubeObject, Requirement } from '../../types.js';
import { credentialKeys, serviceCredentials } from './credentials.js';
import { holdsKeys } from '../../observed.js';
import { TOPOLOGY, topologyRequirement } from './topology.js';
import { databaseAccount, podLabels, type Placement } from './names.js';

/** Requirement names: the Secrets the pods read, and the API pods for their network status. */
export const PASSWORD_SECRET = 'password-secret';
/** The database account's existing password Secret, read only when a migration recorded one. */
export const DATABASE_PASSWORD_SECRET = 'database-password-secret';
export const CA_BUNDLE_SECRET = 'ca-bundle-secret';
export const API_PODS = 'api-pods';
export const tlsRequirement = (endpoint: string) => `tls-${endpoint}-secret`;

const secret = (name: string, namespace: string): Requirement => ({
  apiVersion: 'v1',
  kind: 'Secret',
  matchName: name,
  namespace,
});

/** What the step asks Crossplane to fetch for a PlacementAPI. Only the keys of Secrets are read. */
export function requirementsFor(p: Placement): Record<string, Requirement> {
  const out: Record<string, Requirement> = {
    [PASSWORD_SECRET]: secret(serviceCredentials(p).secret, p.namespace),
  };
  const account = databaseAccount(p);
  if (account.kept) out[DATABASE_PASSWORD_SECRET] = secret(account.secret, p.namespace);
  for (const endpoint of ENDPOINTS) {
    const name = p.spec.tls?.api?.[endpoint]?.secretName;
    if (name) out[tlsRequirement(endpoint)] = secret(name, p.namespace);
  }
  if (p.spec.tls?.caBundleSecretName)
    out[CA_BUNDLE_SECRET] = secret(p.spec.tls.caBundleSecretName, p.namespace);
  const topology = topologyRequirement(p);
  if (topology) out[TOPOLOGY] = topology;
  if (p.spec.networkAttachments?.length) {
    out[API_PODS] = { apiVersion: 'v1', kind: 'Pod', matchLabels: podLabels(p), namespace: p.namespace };
  }
  return out;
}

/** Why the inputs are not usable yet, or undefined when they are. */
export interface InputProblems {
  secret?: string;
  tls?: string;
}

/** Checks the fetched Secrets hold the keys the pods will read. */
export function inputProblems(p: Placement, required: Readonly<Record<string, KubeObject[]>>): InputProblems {
  const out: InputProblems = {};
  const credentials = serviceCredentials(p);
  const keys = credentialKeys(credentials);
  const waiting: string[] = [];
  if (!holdsKeys(required[PASSWORD_SECRET]?.[0], keys))
    waiting.push(`Secret ${credentials.secret} with key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`);
  const account = databaseAccount(p);
  if (account.kept && !holdsKeys(required[DATABASE_PASSWORD_SECRET]?.[0], [account.key]))
    waiting.push(`Secret ${account.secret} with key ${account.key} (status.adopted.databasePasswordSecret)`);
  if (waiting.length > 0)
    out.secret = `${waiting.join(' and ')} ${waiting.length > 1 ? 'do' : 'does'} not exist yet`;
  const missing: string[] = [];
  for (const endpoint of ENDPOINTS) {
    const name = p.spec.tls?.api?.[endpoint]?.secretName;
    if (name && !holdsKeys(required[tlsRequirement(endpoint)]?.[0], ['tls.crt', 'tls.key']))
      missing.push(`Secret ${name} with keys tls.crt, tls.key`);
  }
  const ca = p.spec.tls?.caBundleSecretName;
  if (ca && !holdsKeys(required[CA_BUNDLE_SECRET]?.[0], ['tls-ca-bundle.pem']))
    missing.push(`Secret ${ca} with key tls-ca-bundle.pem`);
  if (missing.length > 0)
    out.tls = `${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist yet`;
  return out;
}
