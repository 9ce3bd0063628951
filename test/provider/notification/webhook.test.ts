import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errNotAccepted,
  WebhookDeliveryError,
  WebhookNotificationConnector,
  WebhookURLError,
  type WebhookNotificationParameters,
} from '../../../provider/src/notification/webhook.js';
import type { ExternalClient } from '../../../provider/src/runtime/external.js';
import { SecretKeyError } from '../../../provider/src/secret-key.js';
import { allowListPolicy } from '../../../provider/src/transport/address-policy.js';
import { FakeWebhook } from '../../support/fakes/webhook.js';
import { managed, rejection, withExternalName } from '../../support/provider/managed.js';

const NOW = Date.parse('2026-11-29T10:00:00Z');
const payload = {
  kind: 'BuildingBlockMaintenance',
  buildingBlock: 'bb-1',
  maintenance: 'enabled',
  transition: 1,
};
const params: WebhookNotificationParameters = {
  urlSecretRef: { name: 'hook', key: 'url' },
  caSecretRef: { name: 'hook', key: 'ca.crt' },
  payload,
};

let hook: FakeWebhook;
let secrets: Record<string, Record<string, string>>;
let external: ExternalClient<WebhookNotificationParameters>;
let logged: Record<string, unknown>[];

beforeEach(async () => {
  hook = await new FakeWebhook().start();
  secrets = { 'default/hook': { url: hook.url, 'ca.crt': hook.ca } };
  const readSecret = async (namespace: string, name: string) => {
    const data = secrets[`${namespace}/${name}`];
    return data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)]));
  };
  logged = [];
  external = await new WebhookNotificationConnector(readSecret, {
    now: () => NOW,
    log: { warn: (fields, message) => logged.push({ ...fields, message }) },
    outbound: { deadlineMs: 2_000 },
  }).connect({ policy: allowListPolicy(['127.0.0.1'], 'spec.webhook.allowedTargets') });
});
afterEach(async () => {
  await hook.stop();
});

describe('WebhookNotification', () => {
  it('posts the payload once with deliveredAt and an idempotency key, and records the delivery', async () => {
    expect(await external.observe(managed(params))).toEqual({
      resourceExists: false,
      resourceUpToDate: false,
    });
    const created = await external.create(managed(params));
    expect(created).toEqual({ externalName: '2026-11-29T10:00:00.000Z' });
    expect(hook.accepted()).toEqual([
      {
        receivedAt: expect.any(String),
        idempotencyKey: 'default/test',
        body: { ...payload, deliveredAt: '2026-11-29T10:00:00.000Z' },
        status: 202,
      },
    ]);
  });

  it('takes an external name that is not a delivery time for no delivery, and posts', async () => {
    const mr = managed(params, withExternalName<WebhookNotificationParameters>('test'));
    expect(await external.observe(mr)).toEqual({ resourceExists: false, resourceUpToDate: false });
  });

  it('sends the idempotency key the resource names instead of its own name', async () => {
    await external.create(managed({ ...params, idempotencyKey: '0c1d/maintenance-1' }));
    expect(hook.accepted().map((r) => r.idempotencyKey)).toEqual(['0c1d/maintenance-1']);
  });

  it('finds a recorded delivery delivered, so a re-reconcile never posts again', async () => {
    const mr = managed(params, withExternalName<WebhookNotificationParameters>('2026-11-29T10:00:00.000Z'));
    expect(await external.observe(mr)).toEqual({
      resourceExists: true,
      resourceUpToDate: true,
      available: true,
      atProvider: { deliveredAt: '2026-11-29T10:00:00.000Z' },
    });
    await external.update(mr);
    await external.delete(mr);
    expect(hook.received).toEqual([]);
  });

  it.each<{ reason: string; fault: Parameters<FakeWebhook['faults']['script']>[0]; detail: object }>([
    { reason: 'a 503 answer', fault: { kind: 'status', status: 503 }, detail: { status: 503 } },
    {
      reason: 'a dropped connection',
      fault: { kind: 'drop' },
      detail: { err: 'cannot deliver notification: connection failed (ECONNRESET)' },
    },
  ])(
    'retries after $reason until accepted: one accepted delivery, same key every time',
    async ({ fault, detail }) => {
      hook.faults.script(fault);
      const error = await rejection(external.create(managed(params)));
      expect(error).toBeInstanceOf(WebhookDeliveryError);
      // The tenant learns only that it failed; the provider log says how.
      expect(error.message).toBe(errNotAccepted);
      expect(logged).toEqual([
        expect.objectContaining({ resource: 'default/test', host: new URL(hook.url).host, ...detail }),
      ]);
      expect(JSON.stringify(logged)).not.toContain(new URL(hook.url).pathname);
      await external.create(managed(params));
      expect(hook.accepted()).toHaveLength(1);
      expect(new Set(hook.received.map((r) => r.idempotencyKey))).toEqual(new Set(['default/test']));
    },
  );

  it('refuses a URL that is not https, naming the Secret', async () => {
    secrets['default/hook']!['url'] = hook.url.replace('https:', 'http:');
    const error = await rejection(external.create(managed(params)));
    expect(error).toBeInstanceOf(WebhookURLError);
    expect(error.message).toBe(
      'cannot deliver notification: the URL in Secret "hook" must be https, not http',
    );
  });

  it('verifies the webhook with the CA of the Secret only, and keeps the TLS error in the log', async () => {
    const error = await rejection(external.create(managed({ ...params, caSecretRef: undefined })));
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error.message).toBe(errNotAccepted);
    expect(logged).toEqual([
      expect.objectContaining({
        err: 'cannot deliver notification: connection failed (DEPTH_ZERO_SELF_SIGNED_CERT)',
      }),
    ]);
    expect(hook.received).toEqual([]);
  });

  it('answers a closed port as it answers any failure, so a tenant cannot scan ports', async () => {
    const closed = await new FakeWebhook().start();
    const url = closed.url;
    await closed.stop();
    secrets['default/hook']!['url'] = url;
    const error = await rejection(external.create(managed(params)));
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error.message).toBe(errNotAccepted);
    expect(logged).toEqual([
      expect.objectContaining({ err: 'cannot deliver notification: connection failed (ECONNREFUSED)' }),
    ]);
  });

  it('names the missing Secret key', async () => {
    const error = await rejection(
      external.create(managed({ ...params, urlSecretRef: { name: 'hook', key: 'endpoint' } })),
    );
    expect(error).toBeInstanceOf(SecretKeyError);
    expect(error.message).toBe(
      'cannot read spec.forProvider.urlSecretRef: Secret "hook" has no key "endpoint"',
    );
  });
});
