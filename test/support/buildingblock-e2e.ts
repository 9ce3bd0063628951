/**
 * What an end-to-end run of the building block examples needs besides Crossplane and the packages:
 * the fake region (Keystone + Nova os-services) and the fake HTTPS webhook on loopback, and the
 * objects that point the examples at them. The fakes stand in for the agents too: a Deployment never
 * runs nova-compute there, so `register(host)` is what the agent would do on its first start.
 *
 *   const fakes = await startBuildingBlockFakes();
 *   // ClusterProviderConfig default: merge computeProviderConfigSpec(fakes) into its spec
 *   await objects.apply(...buildingBlockObjects(fakes), xrOf('examples/buildingblock/kvm'));
 *   // The agents' Deployments run no pod without a kubelet; register their hosts as nova-compute would:
 *   fakes.nova.register('compute-0'); fakes.nova.register('compute-1');
 *   // switch spec.maintenance.enabled on and off:
 *   fakes.nova.service('compute-0')?.status;   // 'disabled', then 'enabled'
 *   fakes.webhook.notifications();             // exactly two, transitions 1 and 2
 *
 * The block is never Ready there (no agent pod runs, no provider-openstack makes the aggregate): wait
 * for its Maintenance condition (reason Enabled, then Disabled) and NotificationDelivered instead.
 */
import type { KubeObject } from '../../functions/types.js';
import { DEFAULT_APPLICATION_CREDENTIAL, FakeNova } from '../../testing/fakes/nova.js';
import { selfSignedLoopback } from '../../testing/fakes/tls.js';
import { FakeWebhook } from '../../testing/fakes/webhook.js';

/** The running fakes of the building block examples. */
export interface BuildingBlockFakes {
  nova: FakeNova;
  webhook: FakeWebhook;
  stop(): Promise<void>;
}

/** Starts the fake region (HTTPS, region `region-1`) and the fake webhook on loopback. */
export async function startBuildingBlockFakes(): Promise<BuildingBlockFakes> {
  const nova = await new FakeNova({ tls: selfSignedLoopback(), region: 'region-1' }).start();
  const webhook = await new FakeWebhook().start();
  return {
    nova,
    webhook,
    stop: async () => {
      await Promise.all([nova.stop(), webhook.stop()]);
    },
  };
}

const base64 = (text: string) => Buffer.from(text).toString('base64');
const secret = (name: string, namespace: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64(v)])),
});

/** `spec.compute` (and region) to merge into the ClusterProviderConfig the examples use (`default`). */
export function computeProviderConfigSpec(
  fakes: BuildingBlockFakes,
  providerNamespace = 'crossplane-system',
) {
  const ref = { name: 'region-1-compute', namespace: providerNamespace };
  return {
    regionName: fakes.nova.region,
    compute: {
      authURL: fakes.nova.authURL,
      credentialsSecretRef: ref,
      caSecretRef: { ...ref, key: 'ca.crt' },
    },
    // The fake webhook listens on loopback, which WebhookNotifications reach only when admitted.
    webhook: { allowedTargets: ['127.0.0.1'] },
  };
}

/**
 * The objects to create before the building block examples, besides what a control plane already
 * has (the AggregateV2 CRD of test/schemas and package/rbac): the region's compute Secret in the
 * provider namespace, EnvironmentConfig `stackplane-openstack`, and the Secrets the examples name in
 * their namespace (which must exist), with the fakes' URL and CAs where the examples' prerequisites.yaml
 * has placeholders. The ClusterProviderConfig the Composition names (`default`) needs
 * computeProviderConfigSpec merged into its spec.
 */
export function buildingBlockObjects(
  fakes: BuildingBlockFakes,
  options: { namespace?: string; providerNamespace?: string } = {},
): KubeObject[] {
  const namespace = options.namespace ?? 'openstack';
  const providerNamespace = options.providerNamespace ?? 'crossplane-system';
  if (fakes.nova.ca === undefined) throw new Error('the fake region serves plain HTTP: start it with TLS');
  return [
    secret('region-1-compute', providerNamespace, {
      application_credential_id: DEFAULT_APPLICATION_CREDENTIAL.id,
      application_credential_secret: DEFAULT_APPLICATION_CREDENTIAL.secret,
      'ca.crt': fakes.nova.ca,
    }),
    {
      apiVersion: 'apiextensions.crossplane.io/v1beta1',
      kind: 'EnvironmentConfig',
      metadata: { name: 'stackplane-openstack' },
      data: { openstack: { keystoneAuthURL: fakes.nova.authURL, region: fakes.nova.region } },
    },
    secret('nova-secret', namespace, {
      NovaPassword: 'nova-service-password',
      transport_url: 'rabbit://nova:pw@rabbitmq:5672/',
    }),
    secret('maintenance-webhook', namespace, { url: fakes.webhook.url, 'ca.crt': fakes.webhook.ca }),
    secret('vcenter-az2', namespace, {
      username: 'administrator@vsphere.local',
      password: 'vcenter-password',
    }),
    secret('vcenter-az2-ca', namespace, { 'ca.crt': fakes.webhook.ca }),
  ];
}
