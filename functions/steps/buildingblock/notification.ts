import type { KubeObject } from '../../types.js';
import { conditionTrue } from '../placement/readiness.js';
import type { MaintenanceRecord } from './maintenance.js';
import { metadata, objectNames, type Block } from './names.js';

const NOTIFICATION_API = 'notification.m.stackplane.io/v1alpha1';

/** The `kind` field of every maintenance notification body, so receivers can route on it. */
export const NOTIFICATION_KIND = 'BuildingBlockMaintenance';

/**
 * The notification of one transition: posted once to the block's webhook by provider-stackplane,
 * which adds deliveredAt. Its name carries the transition, so a transition is one object.
 */
export function maintenanceNotification(b: Block, record: MaintenanceRecord): KubeObject | undefined {
  const webhook = b.spec.notifications?.webhook;
  if (!webhook) return undefined;
  return {
    apiVersion: NOTIFICATION_API,
    kind: 'WebhookNotification',
    metadata: metadata(b, objectNames(b).notification(record.transitions)),
    spec: {
      forProvider: {
        urlSecretRef: webhook.urlSecretRef,
        ...(webhook.caSecretRef ? { caSecretRef: webhook.caSecretRef } : {}),
        payload: {
          kind: NOTIFICATION_KIND,
          buildingBlock: b.name,
          namespace: b.namespace,
          availabilityZone: b.spec.availabilityZone,
          maintenance: record.enabled ? 'enabled' : 'disabled',
          ...(record.reason === undefined ? {} : { reason: record.reason }),
          transition: record.transitions,
        },
      },
      providerConfigRef: b.input.computeProviderConfigRef,
    },
  };
}

/** The same notification again, from what was observed (an older transition still being delivered). */
export function keptNotification(b: Block, observed: KubeObject): KubeObject {
  const meta = observed['metadata'] as { name: string };
  return {
    apiVersion: NOTIFICATION_API,
    kind: 'WebhookNotification',
    metadata: metadata(b, meta.name),
    spec: observed['spec'],
  };
}

/** Whether the webhook accepted a notification, and when. */
export function delivery(observed: KubeObject | undefined): { delivered: boolean; deliveredAt?: string } {
  const at = (observed?.['status'] as { atProvider?: { deliveredAt?: unknown } } | undefined)?.atProvider
    ?.deliveredAt;
  return { delivered: conditionTrue(observed), ...(typeof at === 'string' ? { deliveredAt: at } : {}) };
}
