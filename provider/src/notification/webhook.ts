/**
 * The WebhookNotification managed kind: one JSON POST to an HTTPS webhook, exactly once.
 *
 * The delivery is the external resource and its record is the external name (when the webhook
 * accepted it). Observe finds it delivered once the name is set, so a re-reconcile never posts again.
 * Create posts: the reconciler records crossplane.io/external-create-pending before and the name after,
 * so a crash in between is never followed by a second post (the resource then waits for a human, as
 * crossplane-runtime does). A refused or unanswered post is retried with back-off until a 2xx answer;
 * every attempt carries the same Idempotency-Key, so a receiver can drop a repeat whose first answer
 * was lost on the way back. Update and delete have nothing to do.
 */
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import { SecretKeyError, type SecretKeySelector, type SecretReader } from '../secret-key.js';
import type { AddressPolicy } from '../transport/address-policy.js';
import { TargetNotAllowedError } from '../transport/errors.js';
import { exchange, type OutboundOptions } from '../transport/http.js';

/** spec.forProvider of a WebhookNotification. */
export interface WebhookNotificationParameters {
  urlSecretRef: SecretKeySelector;
  caSecretRef?: SecretKeySelector | undefined;
  idempotencyKey?: string | undefined;
  payload: Record<string, unknown>;
}

/**
 * The webhook refused the notification or did not answer; retried after a back-off. The message is
 * the same whatever happened (refused, reset, TLS, a status): a tenant must not be able to use the
 * provider as a port or TLS scanner. The provider log has the detail.
 */
export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
}

/** The URL's host resolves to an address the provider config's allow-list does not admit. */
export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
}

export const errTargetNotAllowed =
  'cannot deliver notification: the webhook target is not allowed by the provider config';
export const errNotAccepted =
  'cannot deliver notification: the webhook endpoint did not accept the notification';

/** What WebhookNotifications take from their provider config: which addresses a webhook may have. */
export interface WebhookProviderConfig {
  policy: AddressPolicy;
}

/** Where the detail of a failed delivery goes: the provider's log, never the resource. */
export interface DeliveryLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** The connector's dependencies; each has a production default. */
export interface WebhookOptions {
  now?: () => number;
  log?: DeliveryLog;
  /** Limits and test seams of every delivery. */
  outbound?: Omit<OutboundOptions, 'ca' | 'policy'>;
}

/** The URL in the Secret is not an HTTPS URL; only an edit of the Secret helps. */
export class WebhookURLError extends Error {
  override name = 'WebhookURLError';
}

/** The header every attempt of one notification carries alike. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * Whether an external name records a delivery: the RFC 3339 time create returned. A name set by
 * anything else (crossplane-runtime defaults it to metadata.name, which can never hold a ":") is
 * not one, so it never passes for a delivery that did not happen.
 */
export function isDeliveryRecord(externalName: string | undefined): externalName is string {
  return (
    externalName !== undefined &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(externalName) &&
    !Number.isNaN(Date.parse(externalName))
  );
}

/** Connects WebhookNotifications with the address policy of their provider config. */
export class WebhookNotificationConnector implements ExternalConnector<
  WebhookNotificationParameters,
  WebhookProviderConfig
> {
  constructor(
    private readonly readSecret: SecretReader,
    private readonly options: WebhookOptions = {},
  ) {}

  async connect(config: WebhookProviderConfig): Promise<ExternalClient<WebhookNotificationParameters>> {
    return new WebhookNotificationExternal(this.readSecret, config.policy, this.options);
  }
}

/** Observe and deliver one notification. */
export class WebhookNotificationExternal implements ExternalClient<WebhookNotificationParameters> {
  constructor(
    private readonly readSecret: SecretReader,
    private readonly policy: AddressPolicy,
    private readonly options: WebhookOptions,
  ) {}

  async observe(mr: ManagedView<WebhookNotificationParameters>): Promise<ExternalObservation> {
    // A delivery cannot be taken back: a deleting notification is simply gone.
    if (mr.deleting || !isDeliveryRecord(mr.externalName))
      return { resourceExists: false, resourceUpToDate: false };
    return {
      resourceExists: true,
      // What was delivered stays delivered; a changed payload is not a new notification.
      resourceUpToDate: true,
      available: true,
      atProvider: { deliveredAt: mr.externalName },
    };
  }

  async create(mr: ManagedView<WebhookNotificationParameters>): Promise<ExternalCreation> {
    const namespace = mr.namespace ?? 'default';
    const url = await this.secretValue(
      namespace,
      mr.forProvider.urlSecretRef,
      'spec.forProvider.urlSecretRef',
    );
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WebhookURLError(
        `cannot deliver notification: Secret "${mr.forProvider.urlSecretRef.name}" key "${mr.forProvider.urlSecretRef.key}" is not a URL`,
      );
    }
    if (parsed.protocol !== 'https:') {
      throw new WebhookURLError(
        `cannot deliver notification: the URL in Secret "${mr.forProvider.urlSecretRef.name}" must be https, not ${parsed.protocol.replace(':', '')}`,
      );
    }
    const ca =
      mr.forProvider.caSecretRef === undefined
        ? undefined
        : await this.secretValue(namespace, mr.forProvider.caSecretRef, 'spec.forProvider.caSecretRef');
    const deliveredAt = new Date((this.options.now ?? Date.now)()).toISOString();
    // The host only: the path and query of a webhook URL often are its secret.
    const detail = { resource: `${namespace}/${mr.name}`, host: parsed.host };
    let status: number;
    try {
      const answer = await exchange(
        {
          api: 'webhook',
          method: 'POST',
          url,
          headers: {
            [IDEMPOTENCY_HEADER]: mr.forProvider.idempotencyKey ?? `${namespace}/${mr.name}`,
            'user-agent': 'provider-stackplane',
          },
          json: { ...mr.forProvider.payload, deliveredAt },
          operation: 'cannot deliver notification',
        },
        // One POST per notification: a kept-alive connection buys nothing, and one the server closed
        // meanwhile would fail a delivery that was never sent.
        {
          ...this.options.outbound,
          keepAlive: false,
          policy: this.policy,
          ...(ca === undefined ? {} : { ca }),
        },
      );
      status = answer.status;
    } catch (error) {
      this.options.log?.warn({ ...detail, err: messageOf(error) }, 'cannot deliver notification');
      if (error instanceof TargetNotAllowedError) throw new WebhookTargetError(errTargetNotAllowed);
      throw new WebhookDeliveryError(errNotAccepted);
    }
    if (status < 200 || status >= 300) {
      this.options.log?.warn(
        { ...detail, status },
        'cannot deliver notification: the webhook answered an error',
      );
      throw new WebhookDeliveryError(errNotAccepted);
    }
    return { externalName: deliveredAt };
  }

  async update(): Promise<ExternalUpdate> {
    return {};
  }

  async delete(): Promise<void> {}

  private async secretValue(namespace: string, ref: SecretKeySelector, field: string): Promise<string> {
    const data = await this.readSecret(namespace, ref.name);
    if (data === undefined)
      throw new SecretKeyError(`cannot read ${field}: Secret "${ref.name}" not found in "${namespace}"`);
    const value = data[ref.key]?.toString('utf8').trim();
    if (value === undefined || value === '')
      throw new SecretKeyError(`cannot read ${field}: Secret "${ref.name}" has no key "${ref.key}"`);
    return value;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
