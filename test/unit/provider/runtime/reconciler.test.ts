import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ExternalClient } from '../../../../provider/src/runtime/external.js';
import { resourceTypeOf } from '../../../../provider/src/runtime/kind.js';
import {
  KubeProviderConfigResolver,
  providerConfigTypes,
} from '../../../../provider/src/runtime/providerconfig.js';
import { KubeApiError, type KubeObject } from '../../../../provider/src/runtime/kube.js';
import { noopMetrics } from '../../../../provider/src/runtime/metrics.js';
import {
  Reconciler,
  errors,
  pausedMessages,
  type ReconcileResult,
  type ReconcilerOptions,
} from '../../../../provider/src/runtime/reconciler.js';
import { Annotation, FINALIZER, type ManagedResource } from '../../../../provider/src/runtime/resource.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { FakeKube } from '../../../support/fake-kube.js';
import { widgetKind, WidgetSystem, type WidgetForProvider } from '../../../support/widgets.js';

type Modifier = (mr: ManagedResource) => void;
const widget = (...modifiers: Modifier[]): ManagedResource => {
  const mr: ManagedResource = {
    apiVersion: 'test.m.stackplane.io/v1alpha1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'ns', uid: 'uid-w', generation: 3 },
    spec: { forProvider: { size: 1 } },
  };
  for (const modify of modifiers) modify(mr);
  return mr;
};
const withAnnotations =
  (annotations: Record<string, string>): Modifier =>
  (mr) => {
    mr.metadata.annotations = { ...mr.metadata.annotations, ...annotations };
  };
const withSpec =
  (spec: Partial<ManagedResource['spec']>): Modifier =>
  (mr) => {
    mr.spec = { ...mr.spec, ...spec };
  };
const withFinalizer: Modifier = (mr) => {
  mr.metadata.finalizers = [FINALIZER];
};
const withDeletion: Modifier = (mr) => {
  mr.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
};
const existing = (id: string): Modifier => withAnnotations({ [Annotation.ExternalName]: id });

type Failing = Partial<Record<'observe' | 'create' | 'update' | 'delete' | 'connect' | 'publish', string>>;

interface Want {
  result: ReconcileResult['action'];
  ready?: string;
  synced: string;
  calls?: Partial<WidgetSystem['calls']>;
  annotations?: string[];
  finalizers?: string[] | undefined;
  /** Whether the resource's ProviderConfigUsage is still there. */
  usage?: boolean;
  events?: string[];
}

interface RunOptions {
  failing?: Failing;
  widgets?: string[];
  noProviderConfig?: boolean;
  rateLimited?: boolean;
  /** Metadata patches fail with the API server's 409, as when another writer got there first. */
  conflicting?: boolean;
  createRepeatable?: boolean;
  /** The external API answers an update with connection details, and an observation with none. */
  updatePublishes?: boolean;
  /** Observe reports the external resource unusable, for this reason. */
  unavailableBecause?: string;
}

async function run(mr: ManagedResource, options: RunOptions) {
  const system = new WidgetSystem();
  for (const id of options.widgets ?? [])
    system.widgets.set(id, { id, owner: 'ns/w', size: 1, color: 'blue' });
  const base = widgetKind(system);
  const failing = options.failing ?? {};
  const fail = (op: keyof Failing) => {
    const message = failing[op];
    if (message !== undefined) throw new Error(message);
  };
  const kind = {
    ...base,
    ...(options.createRepeatable ? { createRepeatable: true } : {}),
    connector: {
      connect: async (pc: { endpoint: string }): Promise<ExternalClient<WidgetForProvider>> => {
        fail('connect');
        const client = await base.connector.connect(pc);
        return {
          observe: async (v) => {
            fail('observe');
            const observation = await client.observe(v);
            const because = options.unavailableBecause;
            const observed =
              because === undefined
                ? observation
                : { ...observation, available: false, unavailableBecause: because };
            if (!options.updatePublishes) return observed;
            const { connectionDetails: _details, ...rest } = observed;
            return rest;
          },
          create: async (v) => (fail('create'), client.create(v)),
          update: async (v) => {
            fail('update');
            const update = await client.update(v);
            return options.updatePublishes
              ? { ...update, connectionDetails: { token: Buffer.from('t') } }
              : update;
          },
          delete: async (v) => (fail('delete'), client.delete(v)),
        };
      },
    },
  };
  const kube = new FakeKube();
  kube.seed(resourceTypeOf(kind), mr);
  if (options.conflicting) {
    const patch = kube.mergePatch.bind(kube);
    kube.mergePatch = async (type, name, namespace, body, subresource) => {
      if (subresource === undefined) {
        throw new KubeApiError(409, 'Conflict', 'the object has been modified');
      }
      return patch(type, name, namespace, body, subresource);
    };
  }
  kube.seed(providerConfigTypes.ProviderConfigUsage, {
    metadata: { name: mr.metadata.uid ?? '', namespace: 'ns' },
    providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
  } as KubeObject);
  const events: string[] = [];
  if (!options.noProviderConfig) {
    kube.seed(providerConfigTypes.ClusterProviderConfig, { metadata: { name: 'default' }, spec: {} });
  }
  const reconciler = new Reconciler({
    kind,
    kube,
    providerConfigs: new KubeProviderConfigResolver(kube),
    logger: pino({ level: 'silent' }),
    clock: new FakeClock(),
    criticalAttempts: 1,
    events: { record: (_, e) => events.push(`${e.type} ${e.reason}`) },
    connectionPublisher: {
      publish: async () => fail('publish'),
      unpublish: async () => {},
      read: async () => undefined,
    },
    ...(options.rateLimited
      ? { providerConfigRateLimiter: { reserve: () => 250, reserveUnlessBacklogged: () => undefined } }
      : {}),
  });
  const result = await reconciler.reconcile('ns', 'w');
  const after = await kube.get<ManagedResource>(resourceTypeOf(kind), 'w', 'ns');
  const condition = (type: string) => {
    const c = after?.status?.conditions?.find((x) => x.type === type);
    return c && [c.status, c.reason, c.message].filter(Boolean).join(' ');
  };
  return {
    result: result.action,
    ready: condition('Ready'),
    synced: condition('Synced') ?? '',
    calls: system.calls,
    annotations: Object.keys(after?.metadata.annotations ?? {}).sort(),
    finalizers: after?.metadata.finalizers,
    observedGeneration: after?.status?.observedGeneration,
    usage:
      (await kube.get(providerConfigTypes.ProviderConfigUsage, mr.metadata.uid ?? '', 'ns')) !== undefined,
    events,
  };
}

describe('Reconciler', () => {
  const cases: Record<
    string,
    {
      reason: string;
      mr: ManagedResource;
      failing?: Failing;
      widgets?: string[];
      noProviderConfig?: boolean;
      rateLimited?: boolean;
      conflicting?: boolean;
      createRepeatable?: boolean;
      updatePublishes?: boolean;
      unavailableBecause?: string;
      want: Want;
    }
  > = {
    create: {
      reason: 'a new resource gets its finalizer, pending then succeeded annotations and external name',
      mr: widget(),
      want: {
        result: 'requeueAfter',
        ready: 'False Creating',
        synced: 'True ReconcileSuccess',
        calls: { observe: 1, create: 1 },
        annotations: [
          Annotation.ExternalCreatePending,
          Annotation.ExternalCreateSucceeded,
          Annotation.ExternalName,
        ],
        finalizers: [FINALIZER],
      },
    },
    'up to date': {
      reason: 'exactly one observe and nothing else for an unchanged resource',
      mr: widget(withFinalizer, existing('w-9'), withSpec({ forProvider: { size: 1, color: 'blue' } })),
      widgets: ['w-9'],
      want: {
        result: 'requeueAfter',
        ready: 'True Available',
        synced: 'True ReconcileSuccess',
        calls: { observe: 1 },
      },
    },
    'invalid spec': {
      reason: 'the schema is enforced before any external call, and only an edit can fix it',
      mr: widget(withSpec({ forProvider: { size: 0 } })),
      want: {
        result: 'done',
        synced: expect.stringMatching(
          /^False ReconcileError cannot validate spec\.forProvider: .*size/s,
        ) as unknown as string,
        calls: { observe: 0 },
      },
    },
    'unknown policy': {
      reason: 'a typo in the policies is reported, not ignored',
      mr: widget(withSpec({ managementPolicies: ['Observe', 'Destroy'] })),
      want: {
        result: 'done',
        synced:
          'False ReconcileError cannot apply management policies: unknown management policies ["Destroy"]',
        calls: { observe: 0 },
      },
    },
    'invalid poll interval': {
      reason: 'a bad annotation is named, with what would be accepted',
      mr: widget(withAnnotations({ [Annotation.PollInterval]: 'often' })),
      want: {
        result: 'done',
        synced:
          'False ReconcileError cannot read poll interval: cannot parse annotation crossplane.io/poll-interval "often": want a positive duration like 30s, 1m or 1h30m',
        calls: { observe: 0 },
      },
    },
    'no provider config': {
      reason: 'the default ClusterProviderConfig must exist',
      mr: widget(),
      noProviderConfig: true,
      want: {
        result: 'backoff',
        synced:
          'False ReconcileError cannot resolve provider config: ClusterProviderConfig default not found',
      },
    },
    'connect fails': {
      reason: 'connect errors back off',
      mr: widget(),
      failing: { connect: 'dial tcp: refused' },
      want: {
        result: 'backoff',
        synced: 'False ReconcileError cannot connect to external API: dial tcp: refused',
      },
    },
    'observe fails': {
      reason: 'observe errors back off without writing anything else',
      mr: widget(),
      failing: { observe: 'timeout' },
      want: {
        result: 'backoff',
        synced: 'False ReconcileError cannot observe external resource: timeout',
        finalizers: undefined,
      },
    },
    'create fails': {
      reason: 'a failed create records failed, so the next reconcile may create again',
      mr: widget(),
      failing: { create: 'quota exceeded' },
      want: {
        result: 'backoff',
        ready: 'False Creating',
        synced: 'False ReconcileError cannot create external resource: quota exceeded',
        annotations: [Annotation.ExternalCreateFailed, Annotation.ExternalCreatePending],
      },
    },
    'create incomplete': {
      reason: 'a pending create without an outcome is never repeated',
      mr: widget(
        withFinalizer,
        withAnnotations({ [Annotation.ExternalCreatePending]: '2026-01-01T00:00:00.000Z' }),
      ),
      want: {
        result: 'done',
        ready: 'False Creating',
        synced: `False ReconcileError ${errors.createIncomplete}`,
        calls: { observe: 0, create: 0 },
      },
    },
    'create incomplete, repeatable': {
      reason: 'a kind whose create cannot duplicate (a derived name) recovers from a lost outcome alone',
      mr: widget(
        withFinalizer,
        withAnnotations({ [Annotation.ExternalCreatePending]: '2026-01-01T00:00:00.000Z' }),
      ),
      createRepeatable: true,
      want: {
        result: 'requeueAfter',
        ready: 'False Creating',
        synced: 'True ReconcileSuccess',
        calls: { observe: 1, create: 1 },
      },
    },
    'created within the grace period': {
      reason: 'an eventually consistent API that does not list a new resource yet is not believed',
      mr: widget(
        withFinalizer,
        existing('w-9'),
        withAnnotations({
          [Annotation.ExternalCreatePending]: '2025-12-31T23:59:49.000Z',
          [Annotation.ExternalCreateSucceeded]: '2025-12-31T23:59:50.000Z',
        }),
      ),
      want: {
        result: 'requeue',
        synced: '',
        calls: { observe: 1, create: 0 },
        events: ['Normal PendingExternalResource'],
      },
    },
    'created before the grace period': {
      reason: 'after the grace period a missing resource is believed gone and created again',
      mr: widget(
        withFinalizer,
        existing('w-9'),
        withAnnotations({
          [Annotation.ExternalCreatePending]: '2025-12-31T23:59:00.000Z',
          [Annotation.ExternalCreateSucceeded]: '2025-12-31T23:59:01.000Z',
        }),
      ),
      want: { result: 'requeueAfter', synced: 'True ReconcileSuccess', calls: { observe: 1, create: 1 } },
    },
    conflict: {
      reason: 'a conflict with a concurrent write requeues without reporting an error',
      mr: widget(),
      conflicting: true,
      want: { result: 'requeue', synced: '', calls: { observe: 1, create: 0 }, events: [] },
    },
    'other finalizers': {
      reason: 'the external resource stays while other controllers still hold the managed resource',
      mr: widget(
        withDeletion,
        existing('w-9'),
        (mr) => (mr.metadata.finalizers = [FINALIZER, 'example.org/keep']),
      ),
      widgets: ['w-9'],
      want: {
        result: 'requeue',
        ready: 'False Deleting',
        synced: '',
        calls: { observe: 1, delete: 0 },
        finalizers: [FINALIZER, 'example.org/keep'],
        usage: true,
      },
    },
    'deleted before finalized': {
      reason: 'a resource deleted before its first reconcile added the finalizer still loses its usage',
      mr: widget(withDeletion, (mr) => (mr.metadata.finalizers = ['example.org/keep'])),
      want: {
        result: 'done',
        synced: '',
        calls: { observe: 0 },
        finalizers: ['example.org/keep'],
        usage: false,
      },
    },
    unusable: {
      reason: 'an external resource its API calls unusable is Ready=False, saying why',
      mr: widget(withFinalizer, existing('w-9')),
      widgets: ['w-9'],
      unavailableBecause: 'expired at 2020-01-01T00:00:00Z',
      want: {
        result: 'requeueAfter',
        ready: 'False Unavailable expired at 2020-01-01T00:00:00Z',
        synced: 'True ReconcileSuccess',
      },
    },
    'update fails': {
      reason: 'update errors back off',
      mr: widget(withFinalizer, existing('w-9'), withSpec({ forProvider: { size: 2, color: 'blue' } })),
      widgets: ['w-9'],
      failing: { update: 'locked' },
      want: { result: 'backoff', synced: 'False ReconcileError cannot update external resource: locked' },
    },
    'update publishes': {
      reason: 'connection details an update answered with are published, and the update reported',
      mr: widget(withFinalizer, existing('w-9'), withSpec({ forProvider: { size: 2, color: 'blue' } })),
      widgets: ['w-9'],
      updatePublishes: true,
      want: {
        result: 'requeueAfter',
        ready: 'True Available',
        synced: 'True ReconcileSuccess',
        calls: { observe: 1, update: 1 },
        events: ['Normal UpdatedExternalResource'],
      },
    },
    'publishing after an update fails': {
      reason:
        'a connection Secret that cannot be written is a publishing failure, not a failed update: the update happened',
      mr: widget(withFinalizer, existing('w-9'), withSpec({ forProvider: { size: 2, color: 'blue' } })),
      widgets: ['w-9'],
      updatePublishes: true,
      failing: { publish: 'secrets "w" is forbidden' },
      want: {
        result: 'backoff',
        synced: 'False ReconcileError cannot publish connection details: secrets "w" is forbidden',
        calls: { observe: 1, update: 1 },
        // As crossplane-runtime: the update is reported once its connection details are published.
        events: ['Warning CannotPublishConnectionDetails'],
      },
    },
    'delete requested': {
      reason: 'deleting calls Delete, then waits to confirm before removing the finalizer',
      mr: widget(withFinalizer, withDeletion, existing('w-9')),
      widgets: ['w-9'],
      want: {
        result: 'requeueAfter',
        ready: 'False Deleting',
        synced: 'True ReconcileSuccess',
        calls: { observe: 1, delete: 1 },
        finalizers: [FINALIZER],
      },
    },
    'delete fails': {
      reason: 'the finalizer stays while Delete fails',
      mr: widget(withFinalizer, withDeletion, existing('w-9')),
      widgets: ['w-9'],
      failing: { delete: 'in use' },
      want: {
        result: 'backoff',
        ready: 'False Deleting',
        synced: 'False ReconcileError cannot delete external resource: in use',
        finalizers: [FINALIZER],
      },
    },
    'deleted externally': {
      reason: 'once the external resource is gone the finalizer goes',
      mr: widget(withFinalizer, withDeletion, existing('w-9')),
      want: {
        result: 'done',
        synced: '',
        calls: { observe: 1, delete: 0 },
        finalizers: undefined,
        usage: false,
      },
    },
    'orphan on delete': {
      reason: 'without the Delete policy nothing external is called on deletion',
      mr: widget(
        withFinalizer,
        withDeletion,
        existing('w-9'),
        withSpec({ managementPolicies: ['Observe', 'Create'] }),
      ),
      widgets: ['w-9'],
      want: {
        result: 'done',
        synced: '',
        calls: { observe: 0, delete: 0 },
        finalizers: undefined,
        usage: false,
      },
    },
    'rate limited': {
      reason: 'a provider config out of budget defers the reconcile before any external call',
      mr: widget(),
      rateLimited: true,
      want: { result: 'requeueAfter', synced: '', calls: { observe: 0 }, finalizers: undefined },
    },
    paused: {
      reason: 'a paused resource is only told it is paused',
      mr: widget(withAnnotations({ [Annotation.Paused]: 'true' })),
      want: {
        result: 'done',
        synced: `False ReconcilePaused ${pausedMessages.annotation}`,
        calls: { observe: 0 },
        finalizers: undefined,
        events: ['Normal ReconciliationPaused'],
      },
    },
    'no policies': {
      reason: 'managementPolicies: [] pauses, as in crossplane-runtime, even while deleting',
      mr: widget(withFinalizer, withDeletion, existing('w-9'), withSpec({ managementPolicies: [] })),
      widgets: ['w-9'],
      want: {
        result: 'done',
        synced: `False ReconcilePaused ${pausedMessages.policies}`,
        calls: { observe: 0, delete: 0 },
        finalizers: [FINALIZER],
        events: ['Normal ReconciliationPaused'],
      },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, { mr, want, reason: _reason, ...options }) => {
    const got = await run(mr, options);
    expect(got).toMatchObject({
      ...want,
      ...(want.calls ? { calls: { observe: 0, create: 0, update: 0, delete: 0, ...want.calls } } : {}),
    });
    if (want.annotations) expect(got.annotations).toEqual(want.annotations);
    if ('finalizers' in want) expect(got.finalizers).toEqual(want.finalizers);
  });
});

describe('Reconciler status writes', () => {
  function setup(mr: ManagedResource, observe?: ExternalClient<WidgetForProvider>['observe']) {
    const system = new WidgetSystem();
    system.widgets.set('w-9', { id: 'w-9', owner: 'ns/w', size: 1, color: 'blue' });
    const base = widgetKind(system);
    const kind = {
      ...base,
      connector: {
        connect: async (pc: { endpoint: string }) => {
          const client = await base.connector.connect(pc);
          return observe === undefined ? client : { ...client, observe };
        },
      },
    };
    const kube = new FakeKube();
    kube.seed(resourceTypeOf(kind), mr);
    kube.seed(providerConfigTypes.ClusterProviderConfig, { metadata: { name: 'default' }, spec: {} });
    const clock = new FakeClock();
    const reconciler = new Reconciler({
      kind,
      kube,
      providerConfigs: new KubeProviderConfigResolver(kube),
      logger: pino({ level: 'silent' }),
      clock,
    });
    const read = () => kube.get<ManagedResource>(resourceTypeOf(kind), 'w', 'ns');
    return { kube, clock, reconciler, read, system };
  }
  const upToDate = widget(
    withFinalizer,
    existing('w-9'),
    withSpec({ forProvider: { size: 1, color: 'blue' } }),
  );

  it('writes nothing when a poll finds nothing changed, whatever order the API server returns keys in', async () => {
    const { kube, reconciler } = setup(upToDate);
    await reconciler.reconcile('ns', 'w');
    kube.calls.length = 0;
    await reconciler.reconcile('ns', 'w');
    expect(kube.calls.filter((c) => !c.startsWith('get '))).toEqual([]);
  });

  it('removes atProvider fields the external resource no longer reports', async () => {
    const { reconciler, read } = setup(
      widget(withFinalizer, existing('w-9'), withSpec({ forProvider: { size: 1, color: 'blue' } }), (mr) => {
        mr.status = { atProvider: { id: 'w-9', size: 1, color: 'blue', retired: 'yes' } };
      }),
    );
    await reconciler.reconcile('ns', 'w');
    expect((await read())?.status?.atProvider).toEqual({ id: 'w-9', size: 1, color: 'blue' });
  });

  it('shows the state an update answered with, not the state observed before it', async () => {
    const { reconciler, read } = setup(
      widget(withFinalizer, existing('w-9'), withSpec({ forProvider: { size: 1, color: 'red' } })),
    );
    await reconciler.reconcile('ns', 'w');
    expect((await read())?.status?.atProvider).toMatchObject({ color: 'red' });
  });

  it('writes no status computed from a stale read: the conflict requeues, silently', async () => {
    const { kube, reconciler, read } = setup(upToDate);
    const patch = kube.mergePatch.bind(kube);
    kube.mergePatch = async (type, name, namespace, body, subresource) => {
      // Another writer changes the resource between the read and the status write.
      if (subresource === 'status')
        await patch(type, name, namespace, { metadata: { labels: { touched: 'yes' } } });
      return patch(type, name, namespace, body, subresource);
    };
    const result = await reconciler.reconcile('ns', 'w');
    expect(result.action).toBe('requeue');
    expect((await read())?.status?.conditions).toBeUndefined();
  });

  it('abandons a reconcile whose external call outlives the reconcile timeout', async () => {
    const { reconciler, clock, read } = setup(upToDate, () => new Promise(() => {}));
    const pending = reconciler.reconcile('ns', 'w');
    // Let the reconcile reach the external call before time moves.
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(60_000);
    const result = await pending;
    expect({
      action: result.action,
      synced: (await read())?.status?.conditions?.find((c) => c.type === 'Synced')?.message,
    }).toEqual({ action: 'backoff', synced: `${errors.observe}: ${errors.timedOut}` });
  });
});

describe('Reconciler admission', () => {
  type Options = Partial<ReconcilerOptions<WidgetForProvider, Record<string, unknown>>>;
  /** A Reconciler of the widget ns/w, seeded with its provider config. */
  const reconcilerOf = (system: WidgetSystem, modifiers: Modifier[], options: Options) => {
    const kind = widgetKind(system);
    const kube = new FakeKube();
    kube.seed(resourceTypeOf(kind), widget(...modifiers));
    kube.seed(providerConfigTypes.ClusterProviderConfig, { metadata: { name: 'default' }, spec: {} });
    return new Reconciler({
      kind,
      kube,
      providerConfigs: new KubeProviderConfigResolver(kube),
      logger: pino({ level: 'silent' }),
      clock: new FakeClock(),
      ...options,
    });
  };
  /** An external widget w-9 and a resource in sync with it: what a poll finds. */
  const polled = (...modifiers: Modifier[]) => {
    const system = new WidgetSystem();
    system.widgets.set('w-9', { id: 'w-9', owner: 'ns/w', size: 1, color: 'blue' });
    const inSync = [withFinalizer, existing('w-9'), withSpec({ forProvider: { size: 1, color: 'blue' } })];
    return { system, modifiers: [...inSync, ...modifiers] };
  };

  it('holds a reserved token across early wake-ups and goes when it is due, taking no second one', async () => {
    const system = new WidgetSystem();
    const clock = new FakeClock();
    let reservations = 0;
    const results: string[] = [];
    const reconciler = reconcilerOf(system, [], {
      clock,
      providerConfigRateLimiter: {
        reserve: () => (++reservations === 1 ? 250 : 0),
        reserveUnlessBacklogged: () => 0,
      },
      metrics: { ...noopMetrics, reconciled: (_kind, result) => results.push(result) },
    });
    const waiting = await reconciler.reconcile('ns', 'w');
    clock.advance(100);
    const early = await reconciler.reconcile('ns', 'w');
    clock.advance(150);
    const due = await reconciler.reconcile('ns', 'w');
    expect({
      waiting,
      early,
      due: due.action,
      reservations,
      observes: system.calls.observe,
      results,
    }).toEqual({
      waiting: { action: 'requeueAfter', ms: 250, throttled: true },
      early: { action: 'requeueAfter', ms: 150, throttled: true },
      due: 'requeueAfter',
      reservations: 1,
      observes: 1,
      // Counted apart in stackplane_managed_reconciles_total: deferred before any external call.
      results: ['throttled', 'throttled', 'success'],
    });
  });

  it('skips the poll of a settled resource while pending work waits for the budget, never new work', async () => {
    // Ready and Synced at the current generation: what a resource looks like at its poll.
    const settled: Modifier = (mr) => {
      const at = { lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 3 };
      mr.status = {
        conditions: [
          { type: 'Ready', status: 'True', reason: 'Available', ...at },
          { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', ...at },
        ],
      };
    };
    const changed: Modifier = (mr) => {
      mr.metadata.generation = 4;
    };
    const run = async (backlogged: boolean, ...modifiers: Modifier[]) => {
      const { system, modifiers: widgetModifiers } = polled(...modifiers);
      const reservations: string[] = [];
      const reconciler = reconcilerOf(system, widgetModifiers, {
        random: () => 0.5,
        providerConfigRateLimiter: {
          reserve: () => (reservations.push('next'), backlogged ? 4_000 : 0),
          reserveUnlessBacklogged: () => {
            if (backlogged) return undefined;
            reservations.push('free');
            return 0;
          },
        },
      });
      const result = await reconciler.reconcile('ns', 'w');
      return {
        result:
          result.action === 'requeueAfter' && result.throttled ? `throttled ${result.ms}` : result.action,
        reservations,
        observes: system.calls.observe,
      };
    };
    expect({
      settledBacklogged: await run(true, settled),
      settledFree: await run(false, settled),
      changedBacklogged: await run(true, settled, changed),
      newBacklogged: await run(true),
    }).toEqual({
      // Skipped until its next poll, holding no reservation.
      settledBacklogged: { result: 'throttled 60000', reservations: [], observes: 0 },
      settledFree: { result: 'requeueAfter', reservations: ['free'], observes: 1 },
      // A spec change since the last sync is pending work: it reserves its place however far ahead.
      changedBacklogged: { result: 'throttled 4000', reservations: ['next'], observes: 0 },
      newBacklogged: { result: 'throttled 4000', reservations: ['next'], observes: 0 },
    });
  });

  it('varies polls by the jitter, so resources created together do not poll together', async () => {
    const polls: number[] = [];
    for (const random of [0, 0.5, 0.999]) {
      const { system, modifiers } = polled();
      const reconciler = reconcilerOf(system, modifiers, { random: () => random });
      const result = await reconciler.reconcile('ns', 'w');
      if (result.action === 'requeueAfter') polls.push(result.ms);
    }
    expect(polls).toEqual([57_000, 60_000, 62_994]);
  });
});
