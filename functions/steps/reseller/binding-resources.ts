import { names, metadata, MR_API_VERSION, regionRef, usage } from './resources.js';
import type { KubeObject } from '../../types.js';

/** Composition resource names. */
export const RESOURCE = {
  membership: 'membership',
  projectUsage: 'usage-project',
  userUsage: 'usage-user',
  appCred: 'application-credential',
  appCredUsage: 'usage-application-credential',
  membershipUsage: 'usage-membership',
} as const;

/** Where a binding's managed resources go and what they reference. */
export interface BindingPlacement {
  name: string;
  namespace: string;
  region: string;
  /** The provider Project and the regional provider User (for Usages), and their ids. */
  projectMR: string;
  userMR: string;
  projectID: string;
  userID: string;
  /** The user's password Secret, to authenticate to Keystone as the user. */
  passwordSecret: string;
}

function managed(b: BindingPlacement, kind: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: MR_API_VERSION,
    kind,
    metadata: metadata(b.name, b.namespace),
    spec: { ...spec, providerConfigRef: regionRef(b.region) },
  };
}

/**
 * The membership, and Usages that keep the provider Project and User while it exists: deleting a
 * Project or User waits for its bindings instead of meeting the API's refusal (405).
 */
export function membershipResources(b: BindingPlacement): Record<string, KubeObject> {
  const by = { kind: 'ProjectMembership', name: b.name };
  return {
    [RESOURCE.membership]: managed(b, 'ProjectMembership', {
      forProvider: { projectID: b.projectID, userID: b.userID },
    }),
    [RESOURCE.projectUsage]: usage(
      `${b.name}-project`,
      b.namespace,
      { kind: 'Project', name: b.projectMR },
      by,
    ),
    [RESOURCE.userUsage]: usage(`${b.name}-user`, b.namespace, { kind: 'User', name: b.userMR }, by),
  };
}

/**
 * The application credential `<full project name>-<login>`, written by the provider into Secret
 * `<binding>-appcred`, and Usages that keep the user and the membership until the credential is gone:
 * the credential is deleted as the user while the user still has its role on the project.
 */
export function applicationCredentialResources(
  b: BindingPlacement,
  fullName: string,
  login: string,
): Record<string, KubeObject> {
  return {
    [RESOURCE.appCred]: managed(b, 'ApplicationCredential', {
      forProvider: {
        userID: b.userID,
        projectID: b.projectID,
        name: `${fullName}-${login}`,
        description: `UserProjectBinding ${b.namespace}/${b.name}`,
        passwordSecretRef: { name: b.passwordSecret, key: 'password' },
      },
      writeConnectionSecretToRef: { name: names.appCredSecret(b.name) },
    }),
    [RESOURCE.appCredUsage]: usage(
      `${b.name}-appcred`,
      b.namespace,
      { kind: 'User', name: b.userMR },
      { kind: 'ApplicationCredential', name: b.name },
    ),
    [RESOURCE.membershipUsage]: usage(
      `${b.name}-membership`,
      b.namespace,
      { kind: 'ProjectMembership', name: b.name },
      { kind: 'ApplicationCredential', name: b.name },
    ),
  };
}

/** An observed composed resource as it was desired: identity and spec, without what the server added. */
export function kept(object: KubeObject | undefined): KubeObject | undefined {
  if (!object) return undefined;
  const meta = (object['metadata'] ?? {}) as { name?: string; namespace?: string };
  return {
    apiVersion: object['apiVersion'],
    kind: object['kind'],
    metadata: metadata(meta.name ?? '', meta.namespace ?? ''),
    spec: object['spec'],
  };
}
