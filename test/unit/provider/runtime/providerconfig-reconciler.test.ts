import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../../provider/src/runtime/conditions.js';
import type { ProviderConfigStatusObserver } from '../../../../provider/src/runtime/kind.js';
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
      reason: 'the last user gone, the finalizer goes and with it the config',
      config: config((c) => {
        c.metadata.finalizers = [IN_USE_FINALIZER];
        c.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
        c.status = { users: 1 };
      }),
      usages: [],
      want: { result: { action: 'done' }, finalizers: undefined, users: undefined, exists: false },
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

describe('ProviderConfigReconciler status observers', () => {
  type Status = { projectPrefix?: string; users?: number; conditions?: Condition[] };
  const T0 = '2026-01-01T00:00:00.000Z';
  const synced = (status: 'True' | 'False', message?: string) => ({
    type: 'Synced',
    status,
    reason: status === 'True' ? 'ReconcileSuccess' : 'ReconcileError',
    ...(message === undefined ? {} : { message }),
    lastTransitionTime: T0,
  });
  const observer = (
    load: () => Promise<string | undefined>,
    observe: (config: string) => Promise<Record<string, unknown>> = async (c) => ({ projectPrefix: c }),
  ): ProviderConfigStatusObserver<unknown> => ({
    noun: 'reseller project prefix',
    providerConfig: load,
    observeStatus: (config) => observe(config as string),
  });
  const cases: Record<
    string,
    {
      reason: string;
      status: Status;
      observers: ProviderConfigStatusObserver<unknown>[];
      want: { status: Status; statusWrites: number };
    }
  > = {
    'no observers': {
      reason: 'without observers only users are written',
      status: { users: 0 },
      observers: [],
      want: { status: { users: 0 }, statusWrites: 0 },
    },
    observed: {
      reason: 'an observed field and Synced=True are written',
      status: { users: 0 },
      observers: [observer(async () => 'c0042-')],
      want: { status: { users: 0, projectPrefix: 'c0042-', conditions: [synced('True')] }, statusWrites: 1 },
    },
    unchanged: {
      reason: 'an unchanged observation writes nothing',
      status: { users: 0, projectPrefix: 'c0042-', conditions: [synced('True')] },
      observers: [observer(async () => 'c0042-')],
      want: { status: { users: 0, projectPrefix: 'c0042-', conditions: [synced('True')] }, statusWrites: 0 },
    },
    'not configured': {
      reason: 'a config without this API gets neither the field nor a condition',
      status: { users: 0 },
      observers: [observer(async () => undefined)],
      want: { status: { users: 0 }, statusWrites: 0 },
    },
    'cannot load': {
      reason: 'a config that cannot be loaded sets Synced=False and keeps the field',
      status: { users: 0, projectPrefix: 'c0042-' },
      observers: [
        observer(async () => {
          throw new Error('Secret "region" has no key "password"');
        }),
      ],
      want: {
        status: {
          users: 0,
          projectPrefix: 'c0042-',
          conditions: [
            synced('False', 'cannot observe reseller project prefix: Secret "region" has no key "password"'),
          ],
        },
        statusWrites: 1,
      },
    },
    'cannot observe': {
      reason: 'a failing external API sets Synced=False; other observers still write their fields',
      status: { users: 0 },
      observers: [
        observer(
          async () => 'x',
          async () => {
            throw new Error('503 Service Unavailable');
          },
        ),
        {
          ...observer(
            async () => 'y',
            async () => ({ region: 'RegionOne' }),
          ),
          noun: 'region',
        },
      ],
      want: {
        status: {
          users: 0,
          region: 'RegionOne',
          conditions: [synced('False', 'cannot observe reseller project prefix: 503 Service Unavailable')],
        } as Status,
        statusWrites: 1,
      },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, { status, observers, want }) => {
    const kube = new FakeKube();
    kube.seed(providerConfigTypes.ClusterProviderConfig, {
      metadata: { name: 'default', finalizers: [IN_USE_FINALIZER] },
      status,
    });
    const reconciler = new ProviderConfigReconciler({
      kind: 'ClusterProviderConfig',
      kube,
      logger: pino({ level: 'silent' }),
      statusObservers: observers,
      clock: { now: () => new Date(T0), after: () => () => {} },
    });
    await reconciler.reconcile('', 'default');
    const after = await kube.get<Config>(providerConfigTypes.ClusterProviderConfig, 'default');
    expect({
      status: after?.status,
      statusWrites: kube.calls.filter((c) => c.startsWith('patch clusterproviderconfigs/status')).length,
    }).toEqual(want);
  });

  it('observes at most once per poll interval, and again when the spec changes', async () => {
    const kube = new FakeKube();
    kube.seed(providerConfigTypes.ClusterProviderConfig, {
      metadata: { name: 'default', finalizers: [IN_USE_FINALIZER], generation: 1 },
    });
    let now = Date.parse(T0);
    let observed = 0;
    const reconciler = new ProviderConfigReconciler({
      kind: 'ClusterProviderConfig',
      kube,
      logger: pino({ level: 'silent' }),
      pollIntervalMs: 60_000,
      statusObservers: [
        observer(
          async () => 'c0042-',
          async () => ({ projectPrefix: `p${++observed}-` }),
        ),
      ],
      clock: { now: () => new Date(now), after: () => () => {} },
    });
    const prefix = async () =>
      (await kube.get<Config & { status?: Status }>(providerConfigTypes.ClusterProviderConfig, 'default'))
        ?.status?.projectPrefix;
    const seen: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) await reconciler.reconcile('', 'default');
    seen.push(await prefix());
    now += 60_000;
    await reconciler.reconcile('', 'default');
    seen.push(await prefix());
    // A spec edit moves the generation, as the API server does.
    await kube.mergePatch(providerConfigTypes.ClusterProviderConfig, 'default', undefined, {
      spec: { edited: true },
    });
    await reconciler.reconcile('', 'default');
    seen.push(await prefix());
    expect({ seen, observed }).toEqual({ seen: ['p1-', 'p2-', 'p3-'], observed: 3 });
  });
});
