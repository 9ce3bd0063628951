/** The storage part of a provider config, resolved with the values of its Secrets. */
import type { StorageProviderConfig as StorageSpec } from '../../../apis/provider/providerconfig.js';
import { ProviderConfigError } from '../runtime/providerconfig.js';

/** What the storage external clients need, with the Secrets' values in it. */
export interface StorageProviderConfig {
  id: string;
  endpoints: string[];
  adminToken: string;
  /** PEM RSA private key. */
  adminPrivateKey: string;
  ca?: string;
}

/** The values of the Secret keys the storage section references, read by the runtime. */
export interface StorageSecretValues {
  adminToken: Buffer | undefined;
  adminPrivateKey: Buffer | undefined;
  ca?: Buffer | undefined;
}

/** Combines the storage section with its Secret values; errors name the reference, never a value. */
export function resolveStorageConfig(
  id: string,
  storage: StorageSpec | undefined,
  values: StorageSecretValues,
): StorageProviderConfig {
  if (storage === undefined) {
    throw new ProviderConfigError('cannot use provider config: spec.storage is required for the storage API');
  }
  const text = (value: Buffer | undefined, field: string, ref: { name: string; key: string }): string => {
    const result = value?.toString('utf8').trim();
    if (result === undefined || result === '') {
      throw new ProviderConfigError(
        `cannot use provider config: spec.storage.${field} names Secret "${ref.name}" key "${ref.key}", which is empty or missing`,
      );
    }
    return result;
  };
  return {
    id,
    endpoints: storage.endpoints,
    adminToken: text(values.adminToken, 'adminTokenSecretRef', storage.adminTokenSecretRef),
    adminPrivateKey: text(
      values.adminPrivateKey,
      'adminPrivateKeySecretRef',
      storage.adminPrivateKeySecretRef,
    ),
    ...(storage.caSecretRef === undefined ? {} : { ca: text(values.ca, 'caSecretRef', storage.caSecretRef) }),
  };
}
