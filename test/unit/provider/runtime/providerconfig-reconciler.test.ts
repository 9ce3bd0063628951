import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../provider/src/runtime/kube.js';
import {
  IN_USE_FINALIZER,
  ProviderConfigReconciler,
} from '../../../../provider/src/runtime/providerconfig-reconciler.js';
import {
  PROVIDER_CONFIG_LABEL,
  providerConfigTypes,
} from '../../../../provider/src/runtime/providerconfig.js';
import type { ReconcileResult } from '../../../../provider/src/runtime/reconciler.js';
import { providerConfigKeysOf } from '../../../../provider/src/runtime/manager.js';
import { FakeKube } from '../../../support/fake-kube.js';

type Config = KubeObject & {
  status?: { users?: number };
  metadata: { finalizers?: string[]; deletionTimestamp?: string };
};

const config = (modify: (c: Config) => void = () => {}): Config => {
  const c: Config = { metadata: { name: 'default' }, status: {} };
  modify(c);
  return c;
};
const usage = (name: string, kind: string, namespace = 'ns') => ({
  metadata: { name, namespace, labels: { [PROVIDER_CONFIG_LABEL]: 'default' } },
  providerConfigRef: { kind, name: 'default' },
});

describe('ProviderConfigReconciler', () => {
  const cases: Record<
    string,
    {
      reason: string;
      config: Config;
      usages: ReturnType<typeof usage>[];
      want: {
        result: ReconcileResult;
        finalizers: string[] | undefined;
        users: number | undefined;
        exists: boolean;
      };
    }
  > = {
    new: {
      reason:
        'a config gets the in-use finalizer and its users counted, across namespaces for a cluster config',
      config: config(),
      usages: [
        usage('u1', 'ClusterProviderConfig'),
        usage('u2', 'ClusterProviderConfig', 'other'),
        usage('u3', 'ProviderConfig'),
      ],
      want: {
        result: { action: 'requeueAfter', ms: 60_000 },
        finalizers: [IN_USE_FINALIZER],
        users: 2,
        exists: true,
      },
    },
    'deleting in use': {
      reason: 'a config in use stays, and is checked again soon',
      config: config((c) => {
        c.metadata.finalizers = [IN_USE_FINALIZER];
        c.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
      }),
      usages: [usage('u1', 'ClusterProviderConfig')],
      want: {
        result: { action: 'requeueAfter', ms: 2_000 },
        finalizers: [IN_USE_FINALIZER],
        users: 1,
        exists: true,
      },
    },
    'deleting unused': {
      reason: 'the last user gone, the finalizer goes',
      config: config((c) => {
        c.metadata.finalizers = [IN_USE_FINALIZER];
        c.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
        c.status = { users: 1 };
      }),
      usages: [],
      want: { result: { action: 'done' }, finalizers: [], users: 0, exists: true },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, { config: seed, usages, want }) => {
    const kube = new FakeKube();
    kube.seed(providerConfigTypes.ClusterProviderConfig, seed);
    for (const u of usages) kube.seed(providerConfigTypes.ProviderConfigUsage, u);
    const reconciler = new ProviderConfigReconciler({
      kind: 'ClusterProviderConfig',
      kube,
      logger: pino({ level: 'silent' }),
    });
    const result = await reconciler.reconcile('', 'default');
    const after = await kube.get<Config>(providerConfigTypes.ClusterProviderConfig, 'default');
    expect({
      result,
      finalizers: after?.metadata.finalizers,
      users: after?.status?.users,
      exists: after !== undefined,
    }).toEqual(want);
  });
});

describe('providerConfigKeysOf', () => {
  const cases: Record<
    string,
    { reason: string; args: Parameters<typeof providerConfigKeysOf>; want: string[] }
  > = {
    namespaced: {
      reason: 'a ProviderConfig is keyed in the usage’s namespace',
      args: ['ProviderConfig', usage('u', 'ProviderConfig', 'team-a')],
      want: ['team-a/default'],
    },
    cluster: {
      reason: 'a ClusterProviderConfig is keyed by name',
      args: ['ClusterProviderConfig', usage('u', 'ClusterProviderConfig')],
      want: ['default'],
    },
    'other kind': {
      reason: 'a usage of the other kind is not this controller’s',
      args: ['ProviderConfig', usage('u', 'ClusterProviderConfig')],
      want: [],
    },
    malformed: { reason: 'anything else is ignored', args: ['ProviderConfig', { metadata: {} }], want: [] },
  };
  it.each(Object.entries(cases))('%s', (_, { args, want }) => {
    expect(providerConfigKeysOf(...args)).toEqual(want);
  });
});
