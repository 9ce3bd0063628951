import { describe, expect, it } from 'vitest';
import { providerConfigSpecSchema } from '../../../apis/provider/providerconfig.js';
import { ProviderConfigError } from '../../../provider/src/runtime/providerconfig.js';
import { resolveStorageConfig, type StorageSecretValues } from '../../../provider/src/storage/config.js';

const spec = providerConfigSpecSchema.parse({
  storage: {
    endpoints: ['10.0.10.11:443', '10.0.10.12:443'],
    adminTokenSecretRef: { name: 'storage-admin', namespace: 'crossplane-system', key: 'token' },
    adminPrivateKeySecretRef: { name: 'storage-admin', namespace: 'crossplane-system', key: 'key.pem' },
    caSecretRef: { name: 'storage-ca', namespace: 'crossplane-system', key: 'ca.crt' },
  },
});

describe('resolveStorageConfig', () => {
  it.each<{ reason: string; values: StorageSecretValues; want: object | string }>([
    {
      reason: 'reads the token, the key and the CA',
      values: {
        adminToken: Buffer.from('jwt\n'),
        adminPrivateKey: Buffer.from('PEM'),
        ca: Buffer.from('CA'),
      },
      want: {
        id: 'cfg',
        endpoints: ['10.0.10.11:443', '10.0.10.12:443'],
        adminToken: 'jwt',
        adminPrivateKey: 'PEM',
        ca: 'CA',
      },
    },
    {
      reason: 'names the missing key without any value',
      values: { adminToken: Buffer.from('jwt'), adminPrivateKey: undefined, ca: Buffer.from('CA') },
      want: 'cannot use provider config: spec.storage.adminPrivateKeySecretRef names Secret "storage-admin" key "key.pem", which is empty or missing',
    },
  ])('$reason', ({ values, want }) => {
    const resolve = () => resolveStorageConfig('cfg', spec.storage, values);
    if (typeof want === 'string') {
      expect(resolve).toThrow(ProviderConfigError);
      expect(resolve).toThrow(want);
    } else expect(resolve()).toEqual(want);
  });

  it('needs the storage section', () => {
    expect(() =>
      resolveStorageConfig('cfg', undefined, { adminToken: undefined, adminPrivateKey: undefined }),
    ).toThrow('cannot use provider config: spec.storage is required for the storage API');
  });
});
