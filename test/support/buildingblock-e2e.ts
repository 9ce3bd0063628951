/**
 * What an end-to-end run of the building block examples needs besides Crossplane and the packages:
 * the fake region (Keystone + Nova os-services, or Nova on the control plane's real Keystone) and the
 * fake HTTPS webhook on loopback, and the
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
import type { KeystoneAdmin } from '../../testing/keystone-admin.js';
import { DEFAULT_APPLICATION_CREDENTIAL, FakeNova } from '../../testing/fakes/nova.js';
import { selfSignedLoopback } from '../../testing/fakes/tls.js';
import { FakeWebhook } from '../../testing/fakes/webhook.js';

/** The running fakes of the building block examples. */
export interface BuildingBlockFakes {
  nova: FakeNova;
  webhook: FakeWebhook;
  /** The application credential the provider logs in with (Keystone's, or the fake's default). */
  credential: { id: string; secret: string };
  stop(): Promise<void>;
}

const REGION = 'region-1';

/**
 * Starts the fake region (HTTPS, region `region-1`) and the fake webhook on loopback. With a real
 * Keystone's admin, Nova is on that Keystone: the region and Nova's endpoints join its catalog and the
 * provider logs in with an application credential of the admin (Nova's admin role).
 */
export async function startBuildingBlockFakes(keystone?: KeystoneAdmin): Promise<BuildingBlockFakes> {
  const nova = await new FakeNova({
    tls: selfSignedLoopback(),
    region: REGION,
    ...(keystone === undefined ? {} : { keystoneURL: keystone.url }),
  }).start();
  const webhook = await new FakeWebhook().start();
  const stopFakes = async () => {
    await Promise.all([nova.stop(), webhook.stop()]);
  };
  if (keystone === undefined)
    return { nova, webhook, credential: DEFAULT_APPLICATION_CREDENTIAL, stop: stopFakes };
  try {
    const { credential, remove } = await novaInKeystone(keystone, nova.computeURL);
    return {
      nova,
      webhook,
      credential,
      stop: async () => {
        await remove();
        await stopFakes();
      },
    };
  } catch (error) {
    await stopFakes();
    throw error;
  }
}

/**
 * Region `region-1`, Nova's public and internal endpoints at `computeURL`, and an application
 * credential of the bootstrap admin; remove() takes them out of Keystone again.
 */
async function novaInKeystone(
  keystone: KeystoneAdmin,
  computeURL: string,
): Promise<{ credential: { id: string; secret: string }; remove: () => Promise<void> }> {
  const regions = await keystone.call<{ regions: Array<{ id: string }> }>('GET', '/regions');
  if (!regions.regions.some((r) => r.id === REGION))
    await keystone.call('POST', '/regions', { region: { id: REGION } });
  const { service } = await keystone.call<{ service: { id: string } }>('POST', '/services', {
    service: { type: 'compute', name: 'nova' },
  });
  for (const iface of ['public', 'internal']) {
    await keystone.call('POST', '/endpoints', {
      endpoint: { service_id: service.id, interface: iface, url: computeURL, region_id: REGION },
    });
  }
  const { users } = await keystone.call<{ users: Array<{ id: string }> }>(
    'GET',
    `/users?name=${keystone.keystone.admin.name}`,
  );
  const adminID = users[0]!.id;
  const created = await keystone.call<{ application_credential: { id: string; secret: string } }>(
    'POST',
    `/users/${adminID}/application_credentials`,
    { application_credential: { name: `${REGION}-compute` } },
  );
  const credential = created.application_credential;
  return {
    credential: { id: credential.id, secret: credential.secret },
    remove: async () => {
      await keystone.call('DELETE', `/users/${adminID}/application_credentials/${credential.id}`);
      // Deleting the service deletes its endpoints.
      await keystone.call('DELETE', `/services/${service.id}`);
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
    // The control plane's real Keystone serves plain HTTP on loopback.
    ...(fakes.nova.authURL.startsWith('http://') ? { allowInsecureHTTP: true } : {}),
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
      application_credential_id: fakes.credential.id,
      application_credential_secret: fakes.credential.secret,
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
