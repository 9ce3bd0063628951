import type { Placement } from './names.js';

/** Keys of the Secret the keystone operator writes an application credential to. */
export const AC_ID_KEY = 'AC_ID';
export const AC_SECRET_KEY = 'AC_SECRET';

/** Where the service's Keystone credentials come from: a password, or an application credential. */
export type ServiceCredentials =
  | { kind: 'password'; secret: string; key: string }
  | { kind: 'applicationCredential'; secret: string; idKey: string; secretKey: string };

/**
 * The service's Keystone credentials. `auth.applicationCredentialSecret` (the current operator's
 * field) wins: a Secret with keys AC_ID and AC_SECRET; then the older passwordSelectors pair in
 * `spec.secret`; else the service password there.
 */
export function serviceCredentials(p: Placement): ServiceCredentials {
  const appCredSecret = p.spec.auth?.applicationCredentialSecret;
  if (appCredSecret) {
    return {
      kind: 'applicationCredential',
      secret: appCredSecret,
      idKey: AC_ID_KEY,
      secretKey: AC_SECRET_KEY,
    };
  }
  const selectors = p.spec.passwordSelectors;
  if (selectors.applicationCredentialID && selectors.applicationCredentialSecret) {
    return {
      kind: 'applicationCredential',
      secret: p.spec.secret,
      idKey: selectors.applicationCredentialID,
      secretKey: selectors.applicationCredentialSecret,
    };
  }
  return { kind: 'password', secret: p.spec.secret, key: selectors.service };
}

/** The keys the pods read from the credentials Secret. */
export function credentialKeys(c: ServiceCredentials): string[] {
  return c.kind === 'password' ? [c.key] : [c.idKey, c.secretKey];
}
