import type { UserSpec } from '../../../apis/reseller/user.js';
import { regionalUserName } from '../../naming/openstack-names.js';
import type { KubeObject, StepCondition } from '../../types.js';
import { base64, metadata, MR_API_VERSION, names, regionRef, usage } from './resources.js';

/** The user a step composes for: its composite's name and namespace, login and spec. */
export interface UserIdentity {
  name: string;
  namespace: string;
  login: string;
  spec: UserSpec;
}

/** The provider User of a region, in its default project, with the password from its Secret. */
export function providerUser(u: UserIdentity, region: string, defaultProjectID: string): KubeObject {
  return {
    apiVersion: MR_API_VERSION,
    kind: 'User',
    metadata: metadata(regionalUserName(u.name, region), u.namespace),
    spec: {
      forProvider: {
        email: u.login,
        description: u.spec.description,
        enabled: u.spec.enabled,
        defaultProjectID,
        passwordSecretRef: { name: names.passwordSecret(u.name), key: PASSWORD_KEY },
      },
      providerConfigRef: regionRef(region),
    },
  };
}

/** A Usage of the password Secret by a region's provider User. */
export function passwordUsage(u: UserIdentity, region: string): KubeObject {
  const user = regionalUserName(u.name, region);
  return usage(
    `${user}-password`,
    u.namespace,
    { apiVersion: 'v1', kind: 'Secret', name: names.passwordSecret(u.name) },
    { kind: 'User', name: user },
  );
}

/** The key of the password in its Secret. */
export const PASSWORD_KEY = 'password';

/**
 * Secret `<name>-openstack-password`: the password every regional user and application credential
 * of the user authenticates with. Generated once, then read back; immutable, as the original's was.
 */
export function passwordSecret(u: UserIdentity, password: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(names.passwordSecret(u.name), u.namespace),
    type: 'Opaque',
    immutable: true,
    data: { [PASSWORD_KEY]: base64(password) },
  };
}

/** The password a Secret holds, if it holds one. */
export function passwordIn(secret: KubeObject | undefined): string | undefined {
  const value = (secret?.['data'] as Record<string, unknown> | undefined)?.[PASSWORD_KEY];
  return typeof value === 'string' && value !== ''
    ? Buffer.from(value, 'base64').toString('utf8')
    : undefined;
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

/** CredentialsReady: which regions the Secret covers, or what it waits for. */
export function credentialsCondition(
  u: UserIdentity,
  regions: readonly string[],
  readyRegions: readonly string[],
): StepCondition[] {
  const secret = `Secret ${u.namespace}/${names.userSecret(u.name)}`;
  if (regions.length === 0) {
    return [
      {
        type: 'CredentialsReady',
        status: 'True',
        reason: 'Available',
        message: `${secret} holds username and password; OpenStack keys are added per region once a UserProjectBinding binds the user to a project`,
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

/** The external id a managed resource reports. */
export const atProviderID = (object: KubeObject | undefined): string | undefined =>
  ((object?.['status'] as { atProvider?: { id?: unknown } } | undefined)?.atProvider?.id as
    string | undefined) || undefined;

/** The default project an existing provider User has, kept when no bound project there has an id. */
export const defaultProjectIDOf = (object: KubeObject | undefined): string =>
  String(
    (object?.['spec'] as { forProvider?: { defaultProjectID?: unknown } } | undefined)?.forProvider
      ?.defaultProjectID ?? '',
  );
