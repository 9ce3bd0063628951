// A webhook URL comes from a tenant's Secret: the provider refuses targets outside the public
// internet unless the provider config's allow-list admits them. The refusal is decided on the
// resolved address before a connection opens; the connector seam proves no socket was opened, and
// no test sends anything to a refused, link-local or public address (traffic goes to loopback only).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errNotAccepted,
  errTargetNotAllowed,
  WebhookNotificationConnector,
  WebhookTargetError,
  type WebhookNotificationParameters,
} from '../../../provider/src/notification/webhook.js';
import { loadWebhookConfig } from '../../../provider/src/kinds.js';
import type { ProviderConfigSource } from '../../../provider/src/runtime/kind.js';
import { ProviderConfigError } from '../../../provider/src/runtime/providerconfig.js';
import { allowListPolicy } from '../../../provider/src/transport/address-policy.js';
import { defaultConnector, type ConnectTarget, type Resolver } from '../../../provider/src/transport/http.js';
import { FakeWebhook } from '../../support/fakes/webhook.js';
import { managed, rejection } from '../../support/provider/managed.js';

const params: WebhookNotificationParameters = {
  urlSecretRef: { name: 'hook', key: 'url' },
  caSecretRef: { name: 'hook', key: 'ca.crt' },
  payload: { kind: 'Test' },
};

/** What the fake resolver answers; any other name is a test error, never a real lookup. */
const DNS: Record<string, string[]> = {
  'metadata.cloud.example': ['169.254.169.254'],
  'intranet.example': ['10.20.30.40'],
  'rebind.example': ['127.0.0.1'],
  'split.example': ['203.0.113.10', 'fd00::10'],
  'hooks.svc.cluster.local': ['10.96.0.12'],
};
const resolver: Resolver = async (hostname) => {
  const addresses = DNS[hostname];
  if (addresses === undefined) throw new Error(`the test resolver does not know ${hostname}`);
  return addresses;
};

let hook: FakeWebhook;
let connections: ConnectTarget[];
let logged: Record<string, unknown>[];

beforeEach(async () => {
  hook = await new FakeWebhook().start();
  connections = [];
  logged = [];
});
afterEach(async () => {
  await hook.stop();
});

/** Delivers one notification to `url` with the allow-list; every connection goes through the seam. */
async function deliver(url: string, allowedTargets: string[]): Promise<unknown> {
  const secret = { url: Buffer.from(url), 'ca.crt': Buffer.from(hook.ca) };
  const external = await new WebhookNotificationConnector(async () => secret, {
    log: { warn: (fields, message) => logged.push({ ...fields, message }) },
    outbound: {
      resolver,
      connector: (target) => {
        connections.push(target);
        return defaultConnector(target);
      },
    },
  }).connect({ policy: allowListPolicy(allowedTargets, 'spec.webhook.allowedTargets') });
  return external.create(managed(params));
}

describe('WebhookNotification targets', () => {
  it.each<{ reason: string; url: () => string; address: string }>([
    { reason: 'loopback', url: () => hook.url, address: '127.0.0.1' },
    { reason: 'IPv6 loopback', url: () => 'https://[::1]:8443/hook', address: '::1' },
    {
      reason: 'IPv4-mapped loopback',
      url: () => 'https://[::ffff:127.0.0.1]/hook',
      address: '::ffff:7f00:1',
    },
    {
      reason: 'the cloud metadata address',
      url: () => 'https://169.254.169.254/latest/meta-data',
      address: '169.254.169.254',
    },
    { reason: 'a private address', url: () => 'https://10.0.0.1/hook', address: '10.0.0.1' },
    {
      reason: 'a name of the metadata service',
      url: () => 'https://metadata.cloud.example/',
      address: '169.254.169.254',
    },
    {
      reason: 'a name that resolves to loopback',
      url: () => 'https://rebind.example/hook',
      address: '127.0.0.1',
    },
    {
      reason: 'a cluster-internal Service name',
      url: () => 'https://hooks.svc.cluster.local/',
      address: '10.96.0.12',
    },
    {
      reason: 'a name with one unique-local address among public ones',
      url: () => 'https://split.example/',
      address: 'fd00::10',
    },
  ])('refuses $reason without opening a socket', async ({ url, address }) => {
    const error = await rejection(deliver(url(), []));
    expect(error).toBeInstanceOf(WebhookTargetError);
    expect(error.message).toBe(errTargetNotAllowed);
    expect(connections).toEqual([]);
    expect(logged).toEqual([
      expect.objectContaining({
        resource: 'default/test',
        err: expect.stringContaining(`resolves to ${address}, which the address policy does not allow`),
      }),
    ]);
    expect(hook.received).toEqual([]);
  });

  it('refuses a private address the allow-list does not hold', async () => {
    const error = await rejection(deliver('https://intranet.example/hook', ['127.0.0.1', '10.0.0.0/16']));
    expect(error.message).toBe(errTargetNotAllowed);
    expect(connections).toEqual([]);
  });

  it.each([['127.0.0.1'], ['127.0.0.0/8'], ['::ffff:127.0.0.1/128']])(
    'delivers to loopback when the allow-list holds %s, connecting to the checked address',
    async (entry) => {
      expect(await deliver(hook.url, [entry])).toEqual({ externalName: expect.any(String) });
      expect(hook.accepted()).toHaveLength(1);
      expect(connections).toEqual([
        {
          address: '127.0.0.1',
          port: Number(new URL(hook.url).port),
          hostname: '127.0.0.1',
          tls: true,
          ca: hook.ca.trim(),
        },
      ]);
    },
  );

  it('answers a refused delivery to an allowed target with the generic message', async () => {
    hook.faults.script({ kind: 'status', status: 401 });
    const error = await rejection(deliver(hook.url, ['127.0.0.1']));
    expect(error.message).toBe(errNotAccepted);
    expect(logged).toEqual([expect.objectContaining({ status: 401 })]);
  });
});

describe('loadWebhookConfig', () => {
  const source = (spec: unknown): ProviderConfigSource => ({
    id: 'ClusterProviderConfig/default',
    kind: 'ClusterProviderConfig',
    name: 'default',
    spec,
    readSecret: async () => undefined,
  });

  it('admits what spec.webhook.allowedTargets lists, and nothing private without it', async () => {
    const listed = await loadWebhookConfig(source({ webhook: { allowedTargets: ['10.40.0.0/16'] } }));
    expect(listed.policy('hooks.internal', '10.40.1.2')).toBe(true);
    expect(listed.policy('hooks.internal', '10.41.1.2')).toBe(false);
    const none = await loadWebhookConfig(source({}));
    expect(none.policy('hooks.internal', '10.40.1.2')).toBe(false);
    expect(none.policy('hooks.example.com', '203.0.113.10')).toBe(true);
  });

  it('names the entry it cannot use', async () => {
    const error = await rejection(
      loadWebhookConfig(source({ webhook: { allowedTargets: ['127.0.0.1', '10.0.0.0/33'] } })),
    );
    expect(error).toBeInstanceOf(ProviderConfigError);
    expect(error.message).toBe(
      'cannot use provider config: spec.webhook.allowedTargets[1] "10.0.0.0/33": the prefix length must be 0 to 32',
    );
  });
});
