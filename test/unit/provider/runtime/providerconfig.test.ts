import { describe, expect, it } from 'vitest';
import type { SecretRef } from '../../../../provider/src/runtime/kind.js';
import { KubeApiError, type KubeObject, type ResourceType } from '../../../../provider/src/runtime/kube.js';
import {
  KubeProviderConfigResolver,
  PROVIDER_CONFIG_LABEL,
  providerConfigTypes,
} from '../../../../provider/src/runtime/providerconfig.js';
import type { ManagedResource } from '../../../../provider/src/runtime/resource.js';
import { FakeKube } from '../../../support/fake-kube.js';

const secrets: ResourceType = { group: '', version: 'v1', plural: 'secrets', namespaced: true };

const widget = (providerConfigRef?: { kind: string; name: string }): ManagedResource => ({
  apiVersion: 'test.m.stackplane.io/v1alpha1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'team-a', uid: 'uid-w' },
  spec: { forProvider: {}, ...(providerConfigRef ? { providerConfigRef } : {}) },
});

function cluster(): FakeKube {
  const kube = new FakeKube();
  kube.seed(providerConfigTypes.ClusterProviderConfig, {
    metadata: { name: 'default' },
    spec: { endpoint: 'https://a' },
  });
  kube.seed(providerConfigTypes.ProviderConfig, {
    metadata: { name: 'team', namespace: 'team-a' },
    spec: { endpoint: 'https://b' },
  });
  for (const [namespace, value] of [
    ['crossplane-system', 'provider'],
    ['team-a', 'team-a'],
    ['team-b', 'team-b'],
  ] as const) {
    kube.seed(secrets, {
      metadata: { name: 'creds', namespace },
      data: { password: Buffer.from(value).toString('base64') },
    } as KubeObject);
  }
  return kube;
}

describe('KubeProviderConfigResolver.resolve', () => {
  const cases: Record<string, { reason: string; args: ManagedResource; want: object | string }> = {
    default: {
      reason: 'no reference means ClusterProviderConfig default',
      args: widget(),
      want: {
        id: 'ClusterProviderConfig/default',
        kind: 'ClusterProviderConfig',
        name: 'default',
        spec: { endpoint: 'https://a' },
      },
    },
    namespaced: {
      reason: 'a ProviderConfig is looked up in the resource’s namespace',
      args: widget({ kind: 'ProviderConfig', name: 'team' }),
      want: {
        id: 'ProviderConfig/team-a/team',
        kind: 'ProviderConfig',
        name: 'team',
        namespace: 'team-a',
        spec: { endpoint: 'https://b' },
      },
    },
    missing: {
      reason: 'the error names what is missing',
      args: widget({ kind: 'ProviderConfig', name: 'nope' }),
      want: 'ProviderConfig team-a/nope not found',
    },
    'unknown kind': {
      reason: 'only the two provider config kinds exist',
      args: widget({ kind: 'Other', name: 'x' }),
      want: 'unknown provider config kind "Other"',
    },
  };
  it.each(Object.entries(cases))('%s', async (_, { args, want }) => {
    const resolver = new KubeProviderConfigResolver(cluster());
    if (typeof want === 'string') {
      await expect(resolver.resolve(args)).rejects.toThrow(want);
      return;
    }
    const { readSecret: _readSecret, ...source } = await resolver.resolve(args);
    expect(source).toEqual(want);
  });

  it('records one ProviderConfigUsage per resource, labelled and owned by it', async () => {
    const kube = cluster();
    const resolver = new KubeProviderConfigResolver(kube);
    await resolver.resolve(widget());
    await resolver.resolve(widget());
    const usages = await kube.list<KubeObject & { providerConfigRef: unknown; resourceRef: unknown }>(
      providerConfigTypes.ProviderConfigUsage,
      'team-a',
    );
    expect(
      usages.items.map((u) => ({
        name: u.metadata.name,
        label: u.metadata.labels?.[PROVIDER_CONFIG_LABEL],
        owner: u.metadata.ownerReferences?.[0]?.uid,
        providerConfigRef: u.providerConfigRef,
        resourceRef: u.resourceRef,
      })),
    ).toEqual([
      {
        name: 'uid-w',
        label: 'default',
        owner: 'uid-w',
        providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
        resourceRef: { apiVersion: 'test.m.stackplane.io/v1alpha1', kind: 'Widget', name: 'w', uid: 'uid-w' },
      },
    ]);
  });
});

describe('KubeProviderConfigResolver.release', () => {
  /** A cluster whose RBAC, like the role Crossplane gives a provider, has no delete on usages. */
  class NoDeleteKube extends FakeKube {
    override async delete(type: ResourceType, name: string, namespace?: string): Promise<void> {
      if (type.plural === providerConfigTypes.ProviderConfigUsage.plural) {
        throw new KubeApiError(403, 'Forbidden', `DELETE ${type.plural}/${name}: 403 Forbidden`);
      }
      return super.delete(type, name, namespace);
    }
  }

  it.each([
    { reason: 'deletes the usage where it may', kube: () => cluster(), usages: 0 },
    {
      reason: "leaves it to the garbage collector (it is the resource's) where it may not delete",
      kube: () => Object.assign(new NoDeleteKube(), { objects: cluster().objects }),
      usages: 1,
    },
  ])('$reason', async ({ kube: make, usages }) => {
    const kube = make();
    const resolver = new KubeProviderConfigResolver(kube);
    await resolver.resolve(widget());
    await expect(resolver.release(widget())).resolves.toBeUndefined();
    expect((await kube.list(providerConfigTypes.ProviderConfigUsage, 'team-a')).items).toHaveLength(usages);
  });
});

describe('ProviderConfigSource.readSecret', () => {
  const cases: Record<
    string,
    {
      reason: string;
      config?: { kind: string; name: string };
      ref: SecretRef;
      want: string | undefined | Error;
    }
  > = {
    'cluster, provider namespace': {
      reason: 'a ClusterProviderConfig’s Secret defaults to the provider’s namespace',
      ref: { name: 'creds' },
      want: 'provider',
    },
    'cluster, named namespace': {
      reason: 'a ClusterProviderConfig may name one',
      ref: { name: 'creds', namespace: 'team-b' },
      want: 'team-b',
    },
    'namespaced, own namespace': {
      reason: 'a ProviderConfig reads its own namespace',
      config: { kind: 'ProviderConfig', name: 'team' },
      ref: { name: 'creds' },
      want: 'team-a',
    },
    'namespaced, other namespace': {
      reason: 'a ProviderConfig never reaches another namespace’s Secrets',
      config: { kind: 'ProviderConfig', name: 'team' },
      ref: { name: 'creds', namespace: 'team-b' },
      want: new Error(
        'ProviderConfig/team-a/team cannot read Secret team-b/creds: a ProviderConfig reads Secrets of its own namespace only',
      ),
    },
    missing: {
      reason: 'a missing Secret is undefined, for the loader to name',
      ref: { name: 'nope' },
      want: undefined,
    },
  };
  it.each(Object.entries(cases))('%s', async (_, { config, ref, want }) => {
    const source = await new KubeProviderConfigResolver(cluster()).resolve(widget(config));
    if (want instanceof Error) {
      await expect(source.readSecret(ref)).rejects.toThrow(want.message);
      return;
    }
    const data = await source.readSecret(ref);
    expect(data?.['password']?.toString()).toEqual(want);
  });
});
