import type { UserSpec } from '../../../apis/reseller/user.js';
import { regionalUserName } from '../../naming/openstack-names.js';
import type { KubeObject, StepCondition } from '../../types.js';
import { base64, metadata, MR_API_VERSION, names, regionRef } from './resources.js';

/** The user a step composes for: its composite's name and namespace, login and spec. */
export interface UserIdentity {
  name: string;
  namespace: string;
  login: string;
  spec: UserSpec;
}

/**
 * The provider User of a region. Its password comes from the Secret every regional user names;
 * the provider generates it there when absent (32 characters, letters and digits).
 */
export function providerUser(u: UserIdentity, region: string, defaultProject: string): KubeObject {
  return {
    apiVersion: MR_API_VERSION,
    kind: 'User',
    metadata: metadata(regionalUserName(u.name, region), u.namespace),
    spec: {
      forProvider: {
        email: u.login,
        description: u.spec.description,
        enabled: u.spec.enabled,
        defaultProjectRef: { name: names.projectMR(defaultProject) },
        passwordSecretRef: { name: names.passwordSecret(u.name), key: 'password' },
      },
      providerConfigRef: regionRef(region),
    },
  };
}

/** Secret `<name>-openstack` with the given keys. */
export function credentialsSecret(u: UserIdentity, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(names.userSecret(u.name), u.namespace),
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, base64(value)])),
  };
}

/** CredentialsReady: which regions the Secret covers, or what it waits for. None without bindings. */
export function credentialsCondition(
  u: UserIdentity,
  regions: readonly string[],
  readyRegions: readonly string[],
  hasPassword: boolean,
): StepCondition[] {
  if (regions.length === 0) return [];
  const secret = `Secret ${u.namespace}/${names.userSecret(u.name)}`;
  if (!hasPassword) {
    return [
      {
        type: 'CredentialsReady',
        status: 'False',
        reason: 'WaitingForPassword',
        message: `waiting for the OpenStack user in region ${regions[0] ?? ''} and its password in Secret ${u.namespace}/${names.passwordSecret(u.name)}; the other regions follow`,
      },
    ];
  }
  const missing = regions.filter((r) => !readyRegions.includes(r));
  return [
    missing.length > 0
      ? {
          type: 'CredentialsReady',
          status: 'False',
          reason: 'WaitingForOpenStackUser',
          message: `waiting for the OpenStack user in region ${missing.join(', ')}${readyRegions.length > 0 ? `; ${secret} holds credentials for ${readyRegions.join(', ')}` : ''}`,
        }
      : {
          type: 'CredentialsReady',
          status: 'True',
          reason: 'Available',
          message: `${secret} holds credentials for region ${readyRegions.join(', ')}`,
        },
  ];
}
