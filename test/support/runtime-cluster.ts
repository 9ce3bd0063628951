/**
 * Helpers for runtime tests against a real API server: CRDs, namespaces, Widget builders, a provider
 * process (a Manager) per test, and polling.
 */
import { pino } from 'pino';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  managedCustomResourceDefinition,
  providerConfigCustomResourceDefinitions,
} from '../../provider/src/runtime/crds.js';
import type { KubeClient, KubeObject, ResourceType } from '../../provider/src/runtime/kube.js';
import { Manager, type ManagerOptions } from '../../provider/src/runtime/manager.js';
import { providerConfigTypes } from '../../provider/src/runtime/providerconfig.js';
import type { ManagedResource } from '../../provider/src/runtime/resource.js';
import { widgetKind, widgetProviderConfig, type WidgetSystem } from './widgets.js';

/** CustomResourceDefinitions. */
export const crdType: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
};
/** Namespaces. */
export const namespaceType: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  namespaced: false,
};
/** Secrets. */
export const secretType: ResourceType = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
/** Events. */
export const eventType: ResourceType = { group: '', version: 'v1', plural: 'events', namespaced: true };
/** Widgets, the test managed kind. */
export const widgetType: ResourceType = {
  group: 'test.m.stackplane.io',
  version: 'v1alpha1',
  plural: 'widgets',
  namespaced: true,
};

/** Polls check until it returns a value other than undefined, or fails with what it last saw. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Applies the Widget and provider config CRDs and the default ClusterProviderConfig. */
export async function installWidgetApi(kube: KubeClient, system: WidgetSystem): Promise<void> {
  const crds = [
    managedCustomResourceDefinition({
      ...widgetKind(system),
      description: 'A widget in the in-memory widget system.',
    }),
    ...providerConfigCustomResourceDefinitions(widgetProviderConfig),
  ];
  for (const crd of crds) await kube.create(crdType, crd as unknown as KubeObject);
  for (const type of [
    widgetType,
    providerConfigTypes.ClusterProviderConfig,
    providerConfigTypes.ProviderConfigUsage,
  ]) {
    await eventually(`${type.plural} served`, async () => ((await kube.list(type)).items ? true : undefined));
  }
  await kube.create(providerConfigTypes.ClusterProviderConfig, {
    apiVersion: 'm.stackplane.io/v1alpha1',
    kind: 'ClusterProviderConfig',
    metadata: { name: 'default' },
    spec: { endpoint: 'memory://widgets' },
  } as KubeObject);
}

/** Creates a namespace. */
export async function createNamespace(kube: KubeClient, name: string): Promise<void> {
  await kube.create(namespaceType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** A Widget modifier. */
export type WidgetModifier = (w: ManagedResource) => void;

/** A valid Widget, changed by modifiers. */
export function widget(namespace: string, name: string, ...modifiers: WidgetModifier[]): ManagedResource {
  const w: ManagedResource = {
    apiVersion: 'test.m.stackplane.io/v1alpha1',
    kind: 'Widget',
    metadata: { name, namespace },
    spec: { forProvider: { size: 1 } },
  };
  for (const modify of modifiers) modify(w);
  return w;
}

/** Sets an annotation. */
export const withAnnotation =
  (key: string, value: string): WidgetModifier =>
  (w) => {
    w.metadata.annotations = { ...w.metadata.annotations, [key]: value };
  };
/** Sets spec.managementPolicies. */
export const withPolicies =
  (...policies: string[]): WidgetModifier =>
  (w) => {
    w.spec.managementPolicies = policies;
  };
/** Sets spec.writeConnectionSecretToRef. */
export const withConnectionSecret =
  (name: string): WidgetModifier =>
  (w) => {
    w.spec.writeConnectionSecretToRef = { name };
  };
/** Sets spec.providerConfigRef. */
export const withProviderConfig =
  (kind: string, name: string): WidgetModifier =>
  (w) => {
    w.spec.providerConfigRef = { kind, name };
  };

/** Reads a Widget. */
export function getWidget(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<ManagedResource | undefined> {
  return kube.get<ManagedResource>(widgetType, name, namespace);
}

/** The status, reason and message of a condition, for whole-value assertions. */
export function conditionSummary(mr: ManagedResource | undefined, type: string) {
  const c = mr?.status?.conditions?.find((x) => x.type === type);
  return c === undefined ? undefined : { status: c.status, reason: c.reason, message: c.message };
}

/** Whether a Widget is Ready=True and Synced=True. */
export function isReady(mr: ManagedResource | undefined): boolean {
  return (
    conditionSummary(mr, 'Ready')?.status === 'True' && conditionSummary(mr, 'Synced')?.status === 'True'
  );
}

/**
 * A provider Manager with test-sized timings and no metrics port; `concurrency` and the queue rate
 * are the knobs suites tune, `options` override anything.
 */
export function testManager(
  kubeConfig: KubeConfig,
  sizing: { concurrency: number; queueRatePerSecond: number },
  options: Partial<ManagerOptions> = {},
): Manager {
  return new Manager({
    kubeConfig,
    logger: pino({ level: process.env['STACKPLANE_TEST_LOG_LEVEL'] ?? 'silent' }),
    component: 'provider-stackplane',
    metricsPort: false,
    healthProbePort: false,
    confirmAfterMs: 200,
    // The fakes are consistent at once: a short grace period keeps deletions and re-creations quick.
    creationGracePeriodMs: 500,
    providerConfigRateLimit: { ratePerSecond: 1_000, burst: 1_000 },
    controller: {
      concurrency: sizing.concurrency,
      queue: {
        baseDelayMs: 50,
        maxDelayMs: 1_000,
        ratePerSecond: sizing.queueRatePerSecond,
        burst: sizing.queueRatePerSecond,
      },
    },
    ...options,
  });
}

/** Starts a provider process for Widgets with test-sized timings. */
export async function startProvider(
  kubeConfig: KubeConfig,
  system: WidgetSystem,
  options: Partial<ManagerOptions> = {},
): Promise<Manager> {
  const manager = testManager(kubeConfig, { concurrency: 10, queueRatePerSecond: 500 }, options);
  manager.register(widgetKind(system));
  await manager.start();
  return manager;
}
