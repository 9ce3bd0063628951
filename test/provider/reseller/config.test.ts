import { describe, expect, it } from 'vitest';
import { providerConfigSpecSchema } from '../../../apis/provider/providerconfig.js';
import { resolveResellerConfig } from '../../../provider/src/reseller/config.js';
import { ProviderConfigError } from '../../../provider/src/runtime/providerconfig.js';

const secret = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value)]));
const spec = (fields: object) =>
  providerConfigSpecSchema.parse({
    credentials: { secretRef: { name: 'region', namespace: 'crossplane-system' } },
    ...fields,
  });

describe('resolveResellerConfig', () => {
  it.each<{ reason: string; spec: object; data: Record<string, string>; want: object | string }>([
    {
      reason: "the original Region Secret's endpoint, username and password work unchanged",
      spec: {},
      data: { endpoint: 'https://reseller.example.com', username: 'u@example.com', password: 'pw\n' },
      want: {
        id: 'cfg',
        endpoint: 'https://reseller.example.com',
        username: 'u@example.com',
        password: 'pw',
      },
    },
    {
      reason: 'spec.endpoint wins over the Secret',
      spec: { endpoint: 'https://other.example.com', regionName: 'RegionOne' },
      data: { endpoint: 'https://reseller.example.com', username: 'u', password: 'pw' },
      want: {
        id: 'cfg',
        endpoint: 'https://other.example.com',
        username: 'u',
        password: 'pw',
        regionName: 'RegionOne',
      },
    },
    {
      reason: 'keystone gets its default user domain',
      spec: { endpoint: 'https://r.example.com', keystone: { authURL: 'https://id.example.com/v3' } },
      data: { username: 'u', password: 'pw' },
      want: {
        id: 'cfg',
        endpoint: 'https://r.example.com',
        username: 'u',
        password: 'pw',
        keystone: { authURL: 'https://id.example.com/v3', userDomainName: 'Default' },
      },
    },
    {
      reason: 'no endpoint anywhere is an error',
      spec: {},
      data: { username: 'u', password: 'pw' },
      want: 'cannot use provider config: spec.endpoint is empty and Secret "region" has no key "endpoint"',
    },
    {
      reason: 'an http:// endpoint would send the credentials in clear text',
      spec: {},
      data: { endpoint: 'http://r.example.com', username: 'u', password: 'pw' },
      want:
        'cannot use provider config: Secret "region" key "endpoint" is http://, which sends the credentials ' +
        'in clear text: use https://, or set spec.allowInsecureHTTP: true',
    },
    {
      reason: 'so would an http:// Keystone',
      spec: { endpoint: 'https://r.example.com', keystone: { authURL: 'http://id.example.com/v3' } },
      data: { username: 'u', password: 'pw' },
      want:
        'cannot use provider config: spec.keystone.authURL is http://, which sends the credentials ' +
        'in clear text: use https://, or set spec.allowInsecureHTTP: true',
    },
    {
      reason: 'http:// only when the provider config says so explicitly',
      spec: { endpoint: 'http://127.0.0.1:8080', allowInsecureHTTP: true },
      data: { username: 'u', password: 'pw' },
      want: { id: 'cfg', endpoint: 'http://127.0.0.1:8080', username: 'u', password: 'pw' },
    },
    {
      reason: 'a missing password names the key, not a value',
      spec: { endpoint: 'https://r.example.com' },
      data: { username: 'u' },
      want: 'cannot use provider config: Secret "region" has no key "password"',
    },
  ])('$reason', ({ spec: fields, data, want }) => {
    const resolve = () => resolveResellerConfig('cfg', spec(fields), secret(data));
    if (typeof want === 'string') {
      expect(resolve).toThrow(ProviderConfigError);
      expect(resolve).toThrow(want);
    } else expect(resolve()).toEqual(want);
  });
});
