// The ComputeService and WebhookNotification CRDs in a real kube-apiserver: defaults and the rules
// the API server enforces before the provider ever sees a resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestKubeClient, type KubeObject, type ResourceType } from '../../../provider/src/runtime/kube.js';
import {
  kubeApiServerOrSkip,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../testing/kube-apiserver.js';
import { installProviderCrds } from '../../support/provider-cluster.js';
import { createNamespace } from '../../support/runtime-cluster.js';

const binaries = kubeApiServerOrSkip('ComputeService CRD tests');
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
const service = (name: string, forProvider: object): KubeObject & { spec: object } => ({
  apiVersion: 'compute.m.stackplane.io/v1alpha1',
  kind: 'ComputeService',
  metadata: { name, namespace: 'crds' },
  spec: { forProvider },
});

describe.skipIf(!binaries)('the compute and notification CRDs in a real kube-apiserver', () => {
  let server: KubeApiServer;
  let kube: RestKubeClient;

  beforeAll(async () => {
    server = await startKubeApiServer(binaries!);
    kube = new RestKubeClient(server.kubeConfig);
    await installProviderCrds(kube);
    await createNamespace(kube, 'crds');
  }, 120_000);
  afterAll(async () => {
    kube?.close();
    await server?.stop();
  });

  it('defaults a ComputeService to an enabled nova-compute and keeps its host', async () => {
    const created = await kube.create<KubeObject & { spec: object }>(
      computeServices,
      service('good', { host: 'compute-0' }),
    );
    expect(created.spec).toEqual({
      forProvider: { host: 'compute-0', binary: 'nova-compute', status: 'enabled' },
      managementPolicies: ['*'],
      providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
    });
    await expect(
      kube.mergePatch(computeServices, 'good', 'crds', { spec: { forProvider: { host: 'compute-1' } } }),
    ).rejects.toThrow('host is immutable');
    await expect(
      kube.create(
        computeServices,
        service('bad', { host: 'compute-0', status: 'enabled', disabledReason: 'why' }),
      ),
    ).rejects.toThrow('disabledReason is only allowed with status disabled');
  });

  it('keeps any JSON payload of a WebhookNotification', async () => {
    const payload = { kind: 'BuildingBlockMaintenance', transition: 1, nested: { hosts: ['a'] } };
    const created = await kube.create<KubeObject & { spec: { forProvider: object } }>(notifications, {
      apiVersion: 'notification.m.stackplane.io/v1alpha1',
      kind: 'WebhookNotification',
      metadata: { name: 'n', namespace: 'crds' },
      spec: { forProvider: { urlSecretRef: { name: 'hook', key: 'url' }, payload } },
    });
    expect(created.spec.forProvider).toEqual({ urlSecretRef: { name: 'hook', key: 'url' }, payload });
  });
});
