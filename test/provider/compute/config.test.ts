import { describe, expect, it } from 'vitest';
import { loadComputeConfig } from '../../../provider/src/kinds.js';
import { errNoCompute } from '../../../provider/src/compute/config.js';
import type { ProviderConfigSource, SecretRef } from '../../../provider/src/runtime/kind.js';
import { rejection } from '../../support/provider/managed.js';

/** A ClusterProviderConfig with spec and the Secrets it may read, keyed "namespace/name". */
function source(spec: unknown, secrets: Record<string, Record<string, string>> = {}): ProviderConfigSource {
  return {
    id: 'ClusterProviderConfig/region-1',
    kind: 'ClusterProviderConfig',
    name: 'region-1',
    spec,
    readSecret: async (ref: SecretRef) => {
      const data = secrets[`${ref.namespace ?? 'crossplane-system'}/${ref.name}`];
      return data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)]));
    },
  };
}

const compute = { credentialsSecretRef: { name: 'nova-admin' } };
const keystone = { keystone: { authURL: 'https://keystone.example.com/v3' } };

const appCredential = { application_credential_id: 'ac', application_credential_secret: 's3cret' };

describe('loadComputeConfig', () => {
  it.each<{ reason: string; source: ProviderConfigSource; want: object | string }>([
    {
      reason: 'an application credential, the auth URL of spec.keystone and the region',
      source: source(
        { ...keystone, regionName: 'region-1', compute },
        {
          'crossplane-system/nova-admin': {
            application_credential_id: 'ac',
            application_credential_secret: 's3cret',
          },
        },
      ),
      want: {
        id: 'ClusterProviderConfig/region-1',
        authURL: 'https://keystone.example.com/v3',
        credentials: { kind: 'applicationCredential', id: 'ac', secret: 's3cret' },
        interface: 'public',
        region: 'region-1',
      },
    },
    {
      reason: 'a password user with default domains, its own auth URL, endpoint and CA',
      source: source(
        {
          compute: {
            ...compute,
            authURL: 'https://id.region-1.example.com',
            endpoint: 'https://nova.region-1.example.com/v2.1',
            interface: 'internal',
            caSecretRef: { name: 'ca', key: 'ca.crt' },
          },
        },
        {
          'crossplane-system/nova-admin': { username: 'admin', password: 'pw', project_name: 'admin' },
          'crossplane-system/ca': { 'ca.crt': 'PEM' },
        },
      ),
      want: {
        id: 'ClusterProviderConfig/region-1',
        authURL: 'https://id.region-1.example.com',
        credentials: {
          kind: 'password',
          username: 'admin',
          password: 'pw',
          projectName: 'admin',
          userDomainName: 'Default',
          projectDomainName: 'Default',
        },
        interface: 'internal',
        endpoint: 'https://nova.region-1.example.com/v2.1',
        ca: 'PEM',
      },
    },
    { reason: 'no spec.compute', source: source(keystone), want: errNoCompute },
    {
      reason: 'no auth URL anywhere',
      source: source(
        { compute },
        {
          'crossplane-system/nova-admin': {
            application_credential_id: 'ac',
            application_credential_secret: 's',
          },
        },
      ),
      want: 'cannot use provider config: set spec.compute.authURL or spec.keystone.authURL',
    },
    {
      reason: 'a missing Secret',
      source: source({ ...keystone, compute }),
      want: 'cannot use provider config: Secret "nova-admin" of spec.compute.credentialsSecretRef does not exist',
    },
    {
      reason: 'an application credential without its secret',
      source: source(
        { ...keystone, compute },
        { 'crossplane-system/nova-admin': { application_credential_id: 'ac' } },
      ),
      want: 'cannot use provider config: Secret "nova-admin" has no key "application_credential_secret"',
    },
    ...(
      [
        {
          reason: 'an http:// spec.compute.authURL',
          spec: { compute: { ...compute, authURL: 'http://keystone.example.com/v3' } },
          field: 'spec.compute.authURL',
        },
        {
          reason: 'an http:// spec.keystone.authURL that compute falls back to',
          spec: { keystone: { authURL: 'http://keystone.example.com/v3' }, compute },
          field: 'spec.keystone.authURL',
        },
        {
          reason: 'an http:// spec.compute.endpoint, which receives the token',
          spec: { ...keystone, compute: { ...compute, endpoint: 'http://nova.example.com/v2.1' } },
          field: 'spec.compute.endpoint',
        },
      ] as const
    ).map(({ reason, spec, field }) => ({
      reason,
      source: source(spec, { 'crossplane-system/nova-admin': appCredential }),
      want:
        `cannot use provider config: ${field} is http://, which sends the credentials in clear text: ` +
        'use https://, or set spec.allowInsecureHTTP: true',
    })),
    {
      reason: 'an http:// Keystone with spec.allowInsecureHTTP, for loopback test setups',
      source: source(
        { allowInsecureHTTP: true, compute: { ...compute, authURL: 'http://127.0.0.1:5000/v3' } },
        { 'crossplane-system/nova-admin': appCredential },
      ),
      want: {
        id: 'ClusterProviderConfig/region-1',
        authURL: 'http://127.0.0.1:5000/v3',
        credentials: { kind: 'applicationCredential', id: 'ac', secret: 's3cret' },
        interface: 'public',
      },
    },
  ])('$reason', async ({ source, want }) => {
    if (typeof want === 'string') expect((await rejection(loadComputeConfig(source))).message).toBe(want);
    else expect(await loadComputeConfig(source)).toEqual(want);
  });
});
