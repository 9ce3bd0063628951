import { ResellerSessions } from '../../provider/src/reseller/sessions.js';
import { describe, expect, it } from 'vitest';
import { providerManagedKinds } from '../../apis/provider/kinds.js';
import * as compute from '../../apis/provider/compute.js';
import * as notification from '../../apis/provider/notification.js';
import * as reseller from '../../apis/provider/reseller.js';
import * as storage from '../../apis/provider/storage.js';
import {
  loadResellerConfig,
  loadStorageConfig,
  providerKinds,
  registerProviderKinds,
  resellerProviderConfigStatus,
} from '../../provider/src/kinds.js';
import type { ResellerProviderConfig } from '../../provider/src/reseller/config.js';
import type { ManagedKind, ProviderConfigSource, SecretRef } from '../../provider/src/runtime/kind.js';

const bytes = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value)]));

/** A ClusterProviderConfig with spec and the Secrets it may read, keyed "namespace/name". */
function source(spec: unknown, secrets: Record<string, Record<string, string>> = {}): ProviderConfigSource {
  return {
    id: 'ClusterProviderConfig/default',
    kind: 'ClusterProviderConfig',
    name: 'default',
    spec,
    readSecret: async (ref: SecretRef) => {
      const data = secrets[`${ref.namespace ?? 'crossplane-system'}/${ref.name}`];
      return data === undefined ? undefined : bytes(data);
    },
  };
}

const region = { credentials: { secretRef: { name: 'prod1' } } };
const storageSpec = {
  storage: {
    endpoints: ['10.0.0.1:443'],
    adminTokenSecretRef: { name: 'lightos', key: 'token' },
    adminPrivateKeySecretRef: { name: 'lightos', key: 'key.pem' },
    caSecretRef: { name: 'lightos-ca', namespace: 'storage', key: 'ca.crt' },
  },
};

describe('loadResellerConfig', () => {
  it.each<{ reason: string; source: ProviderConfigSource; want: object | string }>([
    {
      reason: "a Region Secret in the provider's namespace works unchanged",
      source: source(region, {
        'crossplane-system/prod1': { endpoint: 'https://r.example.com', username: 'u', password: 'pw' },
      }),
      want: {
        id: 'ClusterProviderConfig/default',
        endpoint: 'https://r.example.com',
        username: 'u',
        password: 'pw',
      },
    },
    {
      reason: 'a missing Secret says the credentials cannot be used',
      source: source(region),
      want: 'cannot use provider config: spec.credentials is required for the reseller API',
    },
    {
      reason: 'an invalid spec names the field',
      source: source({ endpoint: 'not a url' }),
      want: 'cannot validate spec of ClusterProviderConfig/default',
    },
  ])('$reason', async ({ source: config, want }) => {
    if (typeof want === 'string') await expect(loadResellerConfig(config)).rejects.toThrow(want);
    else expect(await loadResellerConfig(config)).toEqual(want);
  });
});

describe('loadStorageConfig', () => {
  it.each<{ reason: string; source: ProviderConfigSource; want: object | string }>([
    {
      reason: 'reads the token, the key and the CA from their Secrets',
      source: source(storageSpec, {
        'crossplane-system/lightos': { token: 'admin-jwt', 'key.pem': 'PEM' },
        'storage/lightos-ca': { 'ca.crt': 'CA' },
      }),
      want: {
        id: 'ClusterProviderConfig/default',
        endpoints: ['10.0.0.1:443'],
        adminToken: 'admin-jwt',
        adminPrivateKey: 'PEM',
        ca: 'CA',
      },
    },
    {
      reason: 'a missing key names the reference, never a value',
      source: source(storageSpec, { 'crossplane-system/lightos': { token: 'admin-jwt' } }),
      want: 'cannot use provider config: spec.storage.adminPrivateKeySecretRef names Secret "lightos" key "key.pem", which is empty or missing',
    },
    {
      reason: 'a config without storage cannot serve storage kinds',
      source: source(region),
      want: 'cannot use provider config: spec.storage is required for the storage API',
    },
  ])('$reason', async ({ source: config, want }) => {
    if (typeof want === 'string') await expect(loadStorageConfig(config)).rejects.toThrow(want);
    else expect(await loadStorageConfig(config)).toEqual(want);
  });
});

describe('resellerProviderConfigStatus', () => {
  const login = { endpoint: 'https://r.example.com', username: 'u', password: 'secret-pw' };
  it.each<{
    reason: string;
    source: ProviderConfigSource;
    prefix: (config: ResellerProviderConfig) => Promise<string>;
    want: object | string | undefined;
  }>([
    {
      reason: 'reseller credentials: the prefix test-token reports',
      source: source(region, { 'crossplane-system/prod1': login }),
      prefix: async (config) => (config.password === 'secret-pw' ? 'c0042-' : 'wrong-'),
      want: { projectPrefix: 'c0042-' },
    },
    {
      reason: 'storage only: nothing to observe',
      source: source(storageSpec),
      prefix: async () => 'unused-',
      want: undefined,
    },
    {
      reason: 'a Secret without the password: the loader names the key',
      source: source(region, { 'crossplane-system/prod1': { endpoint: login.endpoint, username: 'u' } }),
      prefix: async () => 'unused-',
      want: 'Secret "prod1" has no key "password"',
    },
    {
      reason: 'test-token fails: the error passes to the reconciler',
      source: source(region, { 'crossplane-system/prod1': login }),
      prefix: async () => {
        throw new Error('reseller API answered 503');
      },
      want: 'reseller API answered 503',
    },
  ])('$reason', async ({ source: config, prefix, want }) => {
    const observer = resellerProviderConfigStatus({ projectPrefix: prefix, forget: () => {} });
    const observe = async () => {
      const loaded = await observer.providerConfig(config);
      return loaded === undefined ? undefined : observer.observeStatus(loaded);
    };
    if (typeof want === 'string') await expect(observe()).rejects.toThrow(want);
    else expect(await observe()).toEqual(want);
  });

  it('forgets the logged-in client of a deleted provider config, which holds its password', () => {
    const sessions = new ResellerSessions();
    const observer = resellerProviderConfigStatus(sessions);
    const config = { id: 'ClusterProviderConfig/prod1', ...login };
    const before = sessions.client(config);
    const kept = sessions.client(config);
    observer.forget?.('ClusterProviderConfig/prod1');
    expect({ kept: kept === before, afterForget: sessions.client(config) === before }).toEqual({
      kept: true,
      afterForget: false,
    });
  });

  it('is shared by every reseller kind and by no storage kind', () => {
    const kinds = Object.values(providerKinds({ readSecret: async () => undefined }));
    const observers = new Set(kinds.map((k) => k.providerConfigStatus).filter((o) => o !== undefined));
    expect({
      observers: observers.size,
      reseller: kinds.filter((k) => k.providerConfigStatus !== undefined).map((k) => k.group),
    }).toEqual({ observers: 1, reseller: Array(4).fill('reseller.m.stackplane.io') });
  });
});

describe('providerKinds', () => {
  it('registers every managed kind of apis/provider once', () => {
    const registered: string[] = [];
    registerProviderKinds(
      {
        register: (kind: ManagedKind<unknown, unknown>) =>
          registered.push(`${kind.plural}.${kind.group}/${kind.version}`),
      },
      providerKinds({ readSecret: async () => undefined }),
    );
    const listed = providerManagedKinds.map((k) => `${k.plural}.${k.group}/${k.version}`);
    // A kind exported by apis/provider but missing from the list would get no CRD and no controller.
    const defined = [
      ...Object.values(reseller),
      ...Object.values(storage),
      ...Object.values(compute),
      ...Object.values(notification),
    ]
      .filter((k): k is typeof reseller.Project => typeof k === 'object' && k !== null && 'plural' in k)
      .map((k) => `${k.plural}.${k.group}/${k.version}`);
    expect(listed.sort()).toEqual(defined.sort());
    expect(registered.sort()).toEqual(defined.sort());
  });
});
