import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Annotation, FINALIZER, type ManagedResource } from '../../../provider/src/runtime/resource.js';
import { RestKubeClient, type KubeClient, type KubeObject } from '../../../provider/src/runtime/kube.js';
import type { Manager } from '../../../provider/src/runtime/manager.js';
import { providerConfigTypes } from '../../../provider/src/runtime/providerconfig.js';
import { errors } from '../../../provider/src/runtime/reconciler.js';
import {
  kubeApiServerOrSkip,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../testing/kube-apiserver.js';
import {
  conditionSummary,
  createNamespace,
  eventType,
  eventually,
  getWidget,
  installWidgetApi,
  isReady,
  secretType,
  startProvider,
  widget,
  widgetType,
  withAnnotation,
  withConnectionSecret,
  withPolicies,
  withProviderConfig,
} from '../../support/runtime-cluster.js';
import { WidgetSystem } from '../../support/widgets.js';

const binaries = kubeApiServerOrSkip('managed-resource runtime tests');

describe.skipIf(!binaries)('the managed-resource runtime against a real kube-apiserver', () => {
  let server: KubeApiServer;
  let kube: RestKubeClient;
  let provider: Manager | undefined;
  let namespaces = 0;

  beforeAll(async () => {
    server = await startKubeApiServer(binaries!);
    kube = new RestKubeClient(server.kubeConfig);
    await installWidgetApi(kube, new WidgetSystem());
  }, 120_000);
  afterEach(async () => {
    await provider?.stop();
    provider = undefined;
  });
  afterAll(async () => {
    kube?.close();
    await server?.stop();
  });

  /** A fresh namespace per test, so tests never see each other's resources. */
  async function namespace(): Promise<string> {
    const name = `test-${++namespaces}`;
    await createNamespace(kube, name);
    return name;
  }

  async function ready(ns: string, name: string): Promise<ManagedResource> {
    return eventually(`${ns}/${name} Ready`, async () => {
      const w = await getWidget(kube, ns, name);
      return isReady(w) ? w : undefined;
    });
  }

  async function gone(ns: string, name: string): Promise<void> {
    await eventually(`${ns}/${name} gone`, async () =>
      (await getWidget(kube, ns, name)) ? undefined : true,
    );
  }

  it('creates the external resource, publishes its connection Secret and becomes Ready', async () => {
    const system = new WidgetSystem();
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns });
    await kube.create(widgetType, widget(ns, 'a', withConnectionSecret('a-conn')));

    const mr = await ready(ns, 'a');
    const generation = mr.metadata.generation;
    expect({
      ready: conditionSummary(mr, 'Ready'),
      synced: conditionSummary(mr, 'Synced'),
      externalName: mr.metadata.annotations?.[Annotation.ExternalName],
      finalizers: mr.metadata.finalizers,
      lateInitialized: mr.spec.forProvider,
      atProvider: mr.status?.atProvider,
      creates: system.calls.create,
    }).toEqual({
      ready: { status: 'True', reason: 'Available', message: undefined },
      synced: { status: 'True', reason: 'ReconcileSuccess', message: undefined },
      externalName: 'w-1',
      finalizers: [FINALIZER],
      lateInitialized: { size: 1, color: 'blue' },
      atProvider: { id: 'w-1', size: 1, color: 'blue' },
      creates: 1,
    });
    const observed = await eventually('observedGeneration', async () => {
      const w = await getWidget(kube, ns, 'a');
      return w?.status?.observedGeneration === w?.metadata.generation ? w : undefined;
    });
    expect(observed.metadata.generation).toBeGreaterThanOrEqual(generation ?? 0);

    const secret = await kube.get<KubeObject & { type: string; data: Record<string, string> }>(
      secretType,
      'a-conn',
      ns,
    );
    expect({
      type: secret?.type,
      data: Object.fromEntries(
        Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
      ),
      owner: secret?.metadata.ownerReferences?.map((o) => ({
        kind: o.kind,
        name: o.name,
        controller: o.controller,
      })),
    }).toEqual({
      type: 'connection.crossplane.io/v1alpha1',
      data: { endpoint: 'widget://w-1', password: 'secret-w-1' },
      owner: [{ kind: 'Widget', name: 'a', controller: true }],
    });

    const usages = await kube.list<KubeObject & { providerConfigRef: unknown }>(
      providerConfigTypes.ProviderConfigUsage,
      ns,
    );
    expect(usages.items.map((u) => u.providerConfigRef)).toEqual([
      { kind: 'ClusterProviderConfig', name: 'default' },
    ]);
    const events = await kube.list<KubeObject & { reason: string }>(eventType, ns);
    expect(events.items.map((e) => e.reason)).toContain('CreatedExternalResource');
  });

  it('applies a spec edit to the external resource and reports the observed generation', async () => {
    const system = new WidgetSystem();
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns });
    await kube.create(widgetType, widget(ns, 'e'));
    await ready(ns, 'e');
    const edited = await kube.mergePatch<ManagedResource>(widgetType, 'e', ns, {
      spec: { forProvider: { size: 3, color: 'green' } },
    });
    const observed = await eventually('the edit observed', async () => {
      const w = await getWidget(kube, ns, 'e');
      return w?.status?.observedGeneration === edited.metadata.generation && isReady(w) ? w : undefined;
    });
    expect({
      widget: system.widgets.get('w-1'),
      updates: system.calls.update,
      conditionGenerations: observed.status?.conditions?.map((c) => c.observedGeneration),
    }).toEqual({
      widget: { id: 'w-1', owner: `${ns}/e`, size: 3, color: 'green' },
      updates: 1,
      conditionGenerations: [edited.metadata.generation, edited.metadata.generation],
    });
  });

  it("reconciles a new resource twice until the poll, not again for its own writes' watch events", async () => {
    const system = new WidgetSystem();
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns, pollIntervalMs: 60_000 });
    await kube.create(widgetType, widget(ns, 'o', withConnectionSecret('o-conn')));
    await ready(ns, 'o');
    // The create's reconcile writes the finalizer, the create annotations and external name and the
    // late-initialized spec; its confirmation a second later observes once more. Each of those writes
    // is a watch event that would otherwise be reconciled again. Waited past the confirmation.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(system.callsBy.get(`${ns}/o`)).toEqual({ observe: 2, create: 1, update: 0, delete: 0 });

    // Anyone else's write is still reconciled at once.
    await kube.mergePatch(widgetType, 'o', ns, { metadata: { labels: { team: 'a' } } });
    await eventually('the label reconciled', async () =>
      system.callsBy.get(`${ns}/o`)!.observe === 3 ? true : undefined,
    );
  });

  it('repairs drift: an external edit is reverted, an external deletion re-created, one observe per poll', async () => {
    const system = new WidgetSystem();
    const ns = await namespace();
    // Counts the provider's status writes of the widget: kube-apiserver drops a write that changes
    // nothing without a new resourceVersion, so only the requests show a needless write.
    let statusWrites = 0;
    const counting: KubeClient = Object.create(kube, {
      mergePatch: {
        value: (...args: Parameters<KubeClient['mergePatch']>) => {
          if (args[1] === 'd' && args[4] === 'status') statusWrites++;
          return kube.mergePatch(...args);
        },
      },
    }) as KubeClient;
    provider = await startProvider(server.kubeConfig, system, { namespace: ns, kube: counting });
    await kube.create(widgetType, widget(ns, 'd', withAnnotation(Annotation.PollInterval, '1s')));
    await ready(ns, 'd');

    // Steady state, counted in polls rather than seconds so a slow machine cannot change the counts.
    // The first observes after Ready belong to the create (the confirmation the create asked for and
    // the watch events of its own writes); from then on only the poll observes, and writes nothing.
    const observes = () => system.observedAt.get(`${ns}/d`) ?? [];
    const settled = observes().length + 3;
    await eventually('settled', async () => (observes().length >= settled + 1 ? true : undefined));
    const writesBefore = statusWrites;
    await eventually('three polls', async () => (observes().length >= settled + 4 ? true : undefined));
    const times = observes().slice(settled, settled + 4);
    expect({
      // No status write per poll: nothing changed.
      statusWrites: statusWrites - writesBefore,
      // Each observe is a poll: none closer to the previous one than the interval less its jitter.
      pollsEarly: times.slice(1).filter((t, i) => t - (times[i] ?? 0) < 850).length,
    }).toEqual({ statusWrites: 0, pollsEarly: 0 });

    system.widgets.get('w-1')!.size = 7;
    await eventually('size repaired', async () => (system.widgets.get('w-1')?.size === 1 ? true : undefined));
    expect(system.calls.update).toBe(1);

    system.widgets.delete('w-1');
    const recreated = await eventually('re-created', async () => {
      const w = await getWidget(kube, ns, 'd');
      return w?.metadata.annotations?.[Annotation.ExternalName] === 'w-2' && isReady(w) ? w : undefined;
    });
    expect(recreated.metadata.annotations?.[Annotation.ExternalName]).toBe('w-2');
    expect([...system.widgets.keys()]).toEqual(['w-2']);
  });

  it('never writes to the external system under the Observe policy', async () => {
    const system = new WidgetSystem();
    system.widgets.set('existing', { id: 'existing', owner: 'elsewhere', size: 5, color: 'red' });
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns });
    await kube.create(
      widgetType,
      widget(ns, 'o', withPolicies('Observe'), withAnnotation(Annotation.ExternalName, 'existing')),
    );
    await kube.create(widgetType, widget(ns, 'missing', withPolicies('Observe')));

    const observed = await ready(ns, 'o');
    expect({ forProvider: observed.spec.forProvider, atProvider: observed.status?.atProvider }).toEqual({
      forProvider: { size: 1 },
      atProvider: { id: 'existing', size: 5, color: 'red' },
    });
    const missing = await eventually('missing reports its error', async () => {
      const w = await getWidget(kube, ns, 'missing');
      return conditionSummary(w, 'Synced')?.reason === 'ReconcileError' ? w : undefined;
    });
    expect(conditionSummary(missing, 'Synced')).toEqual({
      status: 'False',
      reason: 'ReconcileError',
      message: errors.observeOnlyMissing,
    });

    await kube.delete(widgetType, 'o', ns);
    await kube.delete(widgetType, 'missing', ns);
    await gone(ns, 'o');
    await gone(ns, 'missing');
    expect({ create: system.calls.create, update: system.calls.update, delete: system.calls.delete }).toEqual(
      {
        create: 0,
        update: 0,
        delete: 0,
      },
    );
    expect(system.widgets.get('existing')).toEqual({
      id: 'existing',
      owner: 'elsewhere',
      size: 5,
      color: 'red',
    });
  });

  it('keeps the external resource on deletion without the Delete policy', async () => {
    const system = new WidgetSystem();
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns });
    await kube.create(
      widgetType,
      widget(ns, 'k', withPolicies('Observe', 'Create', 'Update', 'LateInitialize')),
    );
    await ready(ns, 'k');
    await kube.delete(widgetType, 'k', ns);
    await gone(ns, 'k');
    expect({ widgets: [...system.widgets.keys()], deletes: system.calls.delete }).toEqual({
      widgets: ['w-1'],
      deletes: 0,
    });
  });

  it('deletes the external resource, then the connection Secret, the usage and the finalizer', async () => {
    const system = new WidgetSystem();
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns });
    await kube.create(widgetType, widget(ns, 'x', withConnectionSecret('x-conn')));
    await ready(ns, 'x');
    await kube.delete(widgetType, 'x', ns);
    await gone(ns, 'x');
    expect({
      widgets: system.widgets.size,
      deletes: system.calls.delete,
      secret: await kube.get(secretType, 'x-conn', ns),
      usages: (await kube.list(providerConfigTypes.ProviderConfigUsage, ns)).items.length,
    }).toEqual({ widgets: 0, deletes: 1, secret: undefined, usages: 0 });
  });

  it('keeps a ProviderConfig while a resource uses it, counting its users', async () => {
    const system = new WidgetSystem();
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns });
    const pcType = providerConfigTypes.ProviderConfig;
    type Config = KubeObject & {
      status?: { users?: number };
      metadata: { deletionTimestamp?: string; finalizers?: string[] };
    };
    await kube.create(pcType, {
      apiVersion: 'm.stackplane.io/v1alpha1',
      kind: 'ProviderConfig',
      metadata: { name: 'team', namespace: ns },
      spec: { endpoint: 'memory://team' },
    } as KubeObject);
    await kube.create(widgetType, widget(ns, 'u', withProviderConfig('ProviderConfig', 'team')));
    await ready(ns, 'u');
    const inUse = await eventually('users counted', async () => {
      const pc = await kube.get<Config>(pcType, 'team', ns);
      return pc?.status?.users === 1 ? pc : undefined;
    });

    await kube.delete(pcType, 'team', ns);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const whileUsed = await kube.get<Config>(pcType, 'team', ns);
    await kube.delete(widgetType, 'u', ns);
    await gone(ns, 'u');
    await eventually('provider config released', async () =>
      (await kube.get(pcType, 'team', ns)) ? undefined : true,
    );
    expect({
      finalizers: inUse.metadata.finalizers,
      keptWhileUsed: whileUsed?.metadata.deletionTimestamp !== undefined,
      deletes: system.calls.delete,
    }).toEqual({ finalizers: ['in-use.crossplane.io'], keptWhileUsed: true, deletes: 1 });
  });

  it('never creates twice when the process dies between create and recording the external name', async () => {
    const system = new WidgetSystem();
    // The first process "crashes": every write that would record the creation's outcome fails.
    const crashing: KubeClient = Object.create(kube, {
      mergePatch: {
        value: (...args: Parameters<KubeClient['mergePatch']>) => {
          const annotations = (args[3] as { metadata?: { annotations?: Record<string, string> } }).metadata
            ?.annotations;
          if (annotations?.[Annotation.ExternalCreateSucceeded] !== undefined) {
            return Promise.reject(new Error('connection reset'));
          }
          return kube.mergePatch(...args);
        },
      },
    }) as KubeClient;
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns, kube: crashing });
    await kube.create(widgetType, widget(ns, 'c'));
    await eventually('the create', async () => (system.calls.create === 1 ? true : undefined));
    await provider.stop();

    // A new process starts from what the API server holds: a pending create and no external name.
    provider = await startProvider(server.kubeConfig, system, { namespace: ns });
    const blocked = await eventually('the incomplete create reported', async () => {
      const w = await getWidget(kube, ns, 'c');
      return conditionSummary(w, 'Synced')?.message === errors.createIncomplete ? w : undefined;
    });
    const reconciles = await eventually('the new process reconciled', async () => {
      const metric = await provider!.metrics.registry
        .getSingleMetric('stackplane_managed_reconciles_total')
        ?.get();
      return metric?.values.some((v) => v.value > 0) ? metric : undefined;
    });
    expect(reconciles.values.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect({
      synced: conditionSummary(blocked, 'Synced'),
      externalName: blocked.metadata.annotations?.[Annotation.ExternalName],
      pending: blocked.metadata.annotations?.[Annotation.ExternalCreatePending] !== undefined,
      creates: system.calls.create,
      widgets: system.widgets.size,
    }).toEqual({
      synced: { status: 'False', reason: 'ReconcileError', message: errors.createIncomplete },
      externalName: undefined,
      pending: true,
      creates: 1,
      widgets: 1,
    });
  });

  it('does nothing to a paused resource until it is unpaused', async () => {
    const system = new WidgetSystem();
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, { namespace: ns });
    await kube.create(widgetType, widget(ns, 'p', withAnnotation(Annotation.Paused, 'true')));
    const paused = await eventually('paused reported', async () => {
      const w = await getWidget(kube, ns, 'p');
      return conditionSummary(w, 'Synced') ? w : undefined;
    });
    expect({
      synced: conditionSummary(paused, 'Synced'),
      finalizers: paused.metadata.finalizers,
      calls: system.calls,
    }).toEqual({
      synced: {
        status: 'False',
        reason: 'ReconcilePaused',
        message: 'Reconciliation is paused via the pause annotation',
      },
      finalizers: undefined,
      calls: { observe: 0, create: 0, update: 0, delete: 0 },
    });
    await kube.mergePatch(widgetType, 'p', ns, { metadata: { annotations: { [Annotation.Paused]: null } } });
    await ready(ns, 'p');
    expect(system.calls.create).toBe(1);
  });

  it('ends with every resource Ready, no duplicates and nothing left behind, with 10% of external calls failing', async () => {
    const system = new WidgetSystem(42);
    system.faultRate = 0.1;
    const ns = await namespace();
    provider = await startProvider(server.kubeConfig, system, {
      namespace: ns,
      controller: {
        concurrency: 20,
        queue: { baseDelayMs: 50, maxDelayMs: 1_000, ratePerSecond: 500, burst: 500 },
      },
    });
    const names = Array.from({ length: 200 }, (_, i) => `w${i}`);
    for (const name of names)
      await kube.create(widgetType, widget(ns, name, withConnectionSecret(`${name}-conn`)));

    await eventually(
      'all Ready',
      async () => {
        const list = await kube.list<ManagedResource>(widgetType, ns);
        return list.items.length === names.length && list.items.every(isReady) ? true : undefined;
      },
      90_000,
      500,
    );
    expect({
      widgets: system.widgets.size,
      duplicates: [...system.createdBy.entries()].filter(([, n]) => n > 1),
      faults: system.calls.observe + system.calls.create > 200,
    }).toEqual({ widgets: 200, duplicates: [], faults: true });

    for (const name of names) await kube.delete(widgetType, name, ns);
    await eventually(
      'all gone',
      async () => ((await kube.list(widgetType, ns)).items.length === 0 ? true : undefined),
      90_000,
      500,
    );
    expect({
      widgets: system.widgets.size,
      secrets: (await kube.list(secretType, ns)).items.filter((s) => s.metadata.name.endsWith('-conn'))
        .length,
      usages: (await kube.list(providerConfigTypes.ProviderConfigUsage, ns)).items.length,
    }).toEqual({ widgets: 0, secrets: 0, usages: 0 });
  }, 240_000);
});
