// The building block's provider kinds end to end: the runtime, ComputeService against the fake
// region (Keystone and Nova over HTTPS, verified with the provider config's CA) and
// WebhookNotification against the fake HTTPS webhook, on a real kube-apiserver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, ResourceType, RestKubeClient } from '../../../provider/src/runtime/kube.js';
import type { Manager } from '../../../provider/src/runtime/manager.js';
import { providerConfigTypes } from '../../../provider/src/runtime/providerconfig.js';
import { Annotation, type ManagedResource } from '../../../provider/src/runtime/resource.js';
import { DEFAULT_APPLICATION_CREDENTIAL, FakeNova } from '../../../testing/fakes/nova.js';
import { selfSignedLoopback } from '../../../testing/fakes/tls.js';
import { FakeWebhook } from '../../../testing/fakes/webhook.js';
import { kubeApiServerOrSkip } from '../../../testing/kube-apiserver.js';
import {
  startProviderCluster,
  startStackplaneProvider,
  type ProviderCluster,
} from '../../support/provider-cluster.js';
import { eventually, isReady, secretType } from '../../support/runtime-cluster.js';

const binaries = kubeApiServerOrSkip('provider building block integration tests');
const NS = 'openstack';
const computeServices: ResourceType = {
  group: 'compute.m.stackplane.io',
  version: 'v1alpha1',
  plural: 'computeservices',
  namespaced: true,
};
const notifications: ResourceType = {
  group: 'notification.m.stackplane.io',
  version: 'v1alpha1',
  plural: 'webhooknotifications',
  namespaced: true,
};
const providerConfigRef = { kind: 'ClusterProviderConfig', name: 'region-1' };
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe.skipIf(!binaries)('provider-stackplane against the fake region and webhook', () => {
  let cluster: ProviderCluster;
  let kube: RestKubeClient;
  let provider: Manager | undefined;
  const tls = selfSignedLoopback();
  const nova = new FakeNova({ tls });
  const hook = new FakeWebhook();

  beforeAll(async () => {
    cluster = await startProviderCluster(binaries!, [NS]);
    kube = cluster.kube;
    await Promise.all([nova.start(), hook.start()]);
    await kube.create(secretType, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'region-1-compute', namespace: 'crossplane-system' },
      data: {
        application_credential_id: base64(DEFAULT_APPLICATION_CREDENTIAL.id),
        application_credential_secret: base64(DEFAULT_APPLICATION_CREDENTIAL.secret),
        'ca.crt': base64(tls.cert),
      },
    } as KubeObject);
    await kube.create(providerConfigTypes.ClusterProviderConfig, {
      apiVersion: 'm.stackplane.io/v1alpha1',
      kind: 'ClusterProviderConfig',
      metadata: { name: 'region-1' },
      spec: {
        regionName: nova.region,
        compute: {
          authURL: nova.authURL,
          credentialsSecretRef: { name: 'region-1-compute', namespace: 'crossplane-system' },
          caSecretRef: { name: 'region-1-compute', namespace: 'crossplane-system', key: 'ca.crt' },
        },
        // The fake webhook listens on loopback, which WebhookNotifications reach only when admitted.
        webhook: { allowedTargets: ['127.0.0.1'] },
      },
    } as KubeObject);
    await kube.create(secretType, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'maintenance-webhook', namespace: NS },
      data: { url: base64(hook.url), 'ca.crt': base64(hook.ca) },
    } as KubeObject);
    provider = await startStackplaneProvider(cluster.server.kubeConfig, kube, {
      namespace: NS,
      pollIntervalMs: 200,
    });
  }, 120_000);
  afterAll(async () => {
    await provider?.stop();
    await Promise.all([nova.stop(), hook.stop()]);
    await cluster?.stop();
  });

  const get = (type: ResourceType, name: string) => kube.get<ManagedResource>(type, name, NS);

  it('waits for the agent to register, then disables and enables its Nova service, never creating or deleting one', async () => {
    await kube.create(computeServices, {
      apiVersion: 'compute.m.stackplane.io/v1alpha1',
      kind: 'ComputeService',
      metadata: { name: 'bb-compute-0', namespace: NS },
      spec: {
        managementPolicies: ['Observe', 'Update'],
        forProvider: { host: 'compute-0' },
        providerConfigRef,
      },
    } as ManagedResource);
    await eventually('ComputeService waiting for registration', async () => {
      const mr = await get(computeServices, 'bb-compute-0');
      return mr?.status?.conditions?.some((c) => c.type === 'Ready' && c.reason === 'Creating')
        ? mr
        : undefined;
    });
    expect(nova.services()).toEqual([]);

    const registered = nova.register('compute-0', { zone: 'az-1' });
    const ready = await eventually('ComputeService Ready', async () => {
      const mr = await get(computeServices, 'bb-compute-0');
      return isReady(mr) ? mr : undefined;
    });
    expect(ready.status?.['atProvider']).toMatchObject({
      id: registered.uuid,
      status: 'enabled',
      state: 'up',
      zone: 'az-1',
    });

    await kube.mergePatch(computeServices, 'bb-compute-0', NS, {
      spec: { forProvider: { status: 'disabled', disabledReason: 'firmware upgrade' } },
    });
    await eventually('Nova service disabled', async () =>
      nova.service('compute-0')?.status === 'disabled' ? true : undefined,
    );
    expect(nova.service('compute-0')?.disabled_reason).toBe('firmware upgrade');

    await kube.mergePatch(computeServices, 'bb-compute-0', NS, {
      spec: { forProvider: { status: 'enabled', disabledReason: null } },
    });
    await eventually('Nova service enabled', async () =>
      nova.service('compute-0')?.status === 'enabled' ? true : undefined,
    );
    expect(nova.service('compute-0')?.disabled_reason).toBeNull();

    await kube.delete(computeServices, 'bb-compute-0', NS);
    await eventually('ComputeService gone', async () =>
      (await get(computeServices, 'bb-compute-0')) ? undefined : true,
    );
    expect(nova.services().map((s) => s.host)).toEqual(['compute-0']);
  });

  it('posts each notification exactly once, retrying a refusal, and never again on later reconciles', async () => {
    hook.faults.script({ kind: 'status', status: 503 });
    const notification = (transition: number, maintenance: string): ManagedResource =>
      ({
        apiVersion: 'notification.m.stackplane.io/v1alpha1',
        kind: 'WebhookNotification',
        metadata: { name: `bb-maintenance-${transition}`, namespace: NS },
        spec: {
          forProvider: {
            urlSecretRef: { name: 'maintenance-webhook', key: 'url' },
            caSecretRef: { name: 'maintenance-webhook', key: 'ca.crt' },
            payload: { kind: 'BuildingBlockMaintenance', buildingBlock: 'bb', maintenance, transition },
          },
          providerConfigRef,
        },
      }) as ManagedResource;
    await kube.create(notifications, notification(1, 'enabled'));
    await kube.create(notifications, notification(2, 'disabled'));
    for (const name of ['bb-maintenance-1', 'bb-maintenance-2']) {
      const mr = await eventually(`${name} delivered`, async () => {
        const got = await get(notifications, name);
        return isReady(got) ? got : undefined;
      });
      expect(mr.status?.['atProvider']).toEqual({
        deliveredAt: mr.metadata.annotations?.[Annotation.ExternalName],
      });
    }
    // A few more reconciles (poll interval 200 ms, and a label change is a watch event) send nothing.
    await kube.mergePatch(notifications, 'bb-maintenance-1', NS, {
      metadata: { labels: { touched: 'yes' } },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hook.received.map((r) => [r.status, r.idempotencyKey])).toEqual(
      expect.arrayContaining([
        [503, expect.stringMatching(/^openstack\/bb-maintenance-[12]$/)],
        [202, 'openstack/bb-maintenance-1'],
        [202, 'openstack/bb-maintenance-2'],
      ]),
    );
    expect(hook.received).toHaveLength(3);
    expect(
      hook
        .notifications()
        .map((n) => (n.body as { transition: number }).transition)
        .sort(),
    ).toEqual([1, 2]);
  });
});
