import type { DesiredResource, KubeObject } from '../../types.js';
import { conditionTrue } from '../../observed.js';
import type { MaintenanceDecision, MaintenanceRecord } from './maintenance.js';
import { metadata, notificationResource, objectNames, type Block } from './names.js';

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
        // One key per block and transition: a block deleted and created again starts anew.
        ...(b.uid ? { idempotencyKey: `${b.uid}/maintenance-${record.transitions}` } : {}),
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

/**
 * The same notification again, from what was observed (an older transition still being delivered).
 * Only the fields this step sets are kept: taking over what the API server defaulted (management
 * policies, deletion policy) would be one more write of the object, and one more watch event.
 */
export function keptNotification(b: Block, observed: KubeObject): KubeObject {
  const meta = observed['metadata'] as { name: string };
  const spec = (observed['spec'] ?? {}) as { forProvider?: unknown; providerConfigRef?: unknown };
  return {
    apiVersion: NOTIFICATION_API,
    kind: 'WebhookNotification',
    metadata: metadata(b, meta.name),
    spec: { forProvider: spec.forProvider, providerConfigRef: spec.providerConfigRef },
  };
}

/** Whether the webhook accepted a notification, and when. */
export function delivery(observed: KubeObject | undefined): { delivered: boolean; deliveredAt?: string } {
  const at = (observed?.['status'] as { atProvider?: { deliveredAt?: unknown } } | undefined)?.atProvider
    ?.deliveredAt;
  return { delivered: conditionTrue(observed), ...(typeof at === 'string' ? { deliveredAt: at } : {}) };
}

/** The last transition the webhook accepted, and when. */
export interface LastDelivered {
  transition: number;
  deliveredAt?: string;
}

/** The notifications to compose this run, which are still pending, and the last one delivered. */
export interface NotificationPlan {
  resources: Record<string, DesiredResource>;
  pending: number[];
  lastDelivered?: LastDelivered;
}

const lastOf = (transition: number, deliveredAt: string | undefined): LastDelivered => ({
  transition,
  ...(deliveredAt ? { deliveredAt } : {}),
});

/**
 * Keeps the latest notification (so its delivery can be read) and older ones until the webhook took
 * them, and adds the one of a transition decided this run. Delivered notifications are never composed
 * again, so deleting one never makes it post twice.
 */
export function planNotifications(
  b: Block,
  decision: MaintenanceDecision,
  observed: readonly { transition: number; object: KubeObject }[],
  previous: { lastDelivered?: number; deliveredAt?: string } | undefined,
): NotificationPlan {
  let lastDelivered =
    previous?.lastDelivered === undefined ? undefined : lastOf(previous.lastDelivered, previous.deliveredAt);
  const resources: Record<string, DesiredResource> = {};
  const pending: number[] = [];
  if (!b.spec.notifications) return { resources, pending, ...(lastDelivered ? { lastDelivered } : {}) };
  for (const n of observed) {
    const state = delivery(n.object);
    if (state.delivered && (lastDelivered === undefined || n.transition >= lastDelivered.transition))
      lastDelivered = lastOf(n.transition, state.deliveredAt);
    if (n.transition === decision.record.transitions || !state.delivered) {
      resources[notificationResource(n.transition)] = {
        resource: keptNotification(b, n.object),
        ready: state.delivered,
      };
      if (!state.delivered) pending.push(n.transition);
    }
  }
  if (decision.announce !== undefined) {
    resources[notificationResource(decision.announce)] = {
      resource: maintenanceNotification(b, decision.record)!,
      ready: false,
    };
    pending.push(decision.announce);
  }
  return { resources, pending, ...(lastDelivered ? { lastDelivered } : {}) };
}
