import { z } from 'zod';
import { secretKeySelectorSchema } from './common.js';
import type { ManagedKind } from './definition.js';

/** The group of the notification managed resources. */
export const NOTIFICATION_GROUP = 'notification.m.stackplane.io';

export const webhookNotificationParametersSchema = z
  .object({
    urlSecretRef: secretKeySelectorSchema.describe('The Secret key holding the HTTPS URL to post to.'),
    caSecretRef: secretKeySelectorSchema
      .optional()
      .describe(
        'A Secret key holding the PEM CA bundle that signed the webhook certificate; system roots otherwise.',
      ),
    idempotencyKey: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe(
        'Sent as Idempotency-Key on every attempt, so a receiver can drop a repeat; default ' +
          '<namespace>/<name>. Make it unique across re-created objects, e.g. with the owner uid.',
      ),
    payload: z
      .record(z.string(), z.unknown())
      .describe(
        'The JSON object posted; the provider adds deliveredAt. Changing it after delivery sends nothing.',
      ),
  })
  .describe('One announcement, posted once: an accepted delivery is never repeated.');

export const webhookNotificationObservationSchema = z
  .object({
    deliveredAt: z.string().optional().describe('When the webhook accepted the notification (RFC 3339).'),
  })
  .describe('The delivery.');

export const WebhookNotification: ManagedKind<
  typeof webhookNotificationParametersSchema,
  typeof webhookNotificationObservationSchema
> = {
  group: NOTIFICATION_GROUP,
  version: 'v1alpha1',
  kind: 'WebhookNotification',
  plural: 'webhooknotifications',
  description:
    'A notification posted to an HTTPS webhook exactly once: retried until a 2xx answer, then never again.',
  forProvider: webhookNotificationParametersSchema,
  atProvider: webhookNotificationObservationSchema,
  connectionKeys: [],
};
