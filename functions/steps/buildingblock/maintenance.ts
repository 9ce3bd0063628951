/**
 * Maintenance transitions, counted so that each is announced exactly once. The count lives in the
 * composite's status; the notifications already composed are the fallback when a status write was
 * lost, so a lost write never makes the same transition count twice.
 */
import type { KubeObject } from '../../types.js';
import { NOTIFICATION_PREFIX } from './names.js';

/** The maintenance state the block was last taken to, and how many transitions led there. */
export interface MaintenanceRecord {
  enabled: boolean;
  reason?: string;
  transitions: number;
}

/** What this run decides: the record to write, and the transition to announce now, if any. */
export interface MaintenanceDecision {
  record: MaintenanceRecord;
  announce?: number;
}

/** The transition number of a notification's composition resource name, or undefined for others. */
export function transitionOf(resourceName: string): number | undefined {
  if (!resourceName.startsWith(NOTIFICATION_PREFIX)) return undefined;
  const n = Number(resourceName.slice(NOTIFICATION_PREFIX.length));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The notifications composed before, by transition, with the state each announced. */
export function observedNotifications(
  observed: Readonly<Record<string, KubeObject>>,
): { transition: number; enabled: boolean; object: KubeObject }[] {
  const out = [];
  for (const [name, object] of Object.entries(observed)) {
    const transition = transitionOf(name);
    if (transition === undefined) continue;
    const payload = (object['spec'] as { forProvider?: { payload?: { maintenance?: unknown } } } | undefined)
      ?.forProvider?.payload;
    out.push({ transition, enabled: payload?.maintenance === 'enabled', object });
  }
  return out.sort((a, b) => a.transition - b.transition);
}

/** Reads status.maintenance of the composite, if a valid one was written. */
export function recordedMaintenance(composite: KubeObject): MaintenanceRecord | undefined {
  const m = (composite['status'] as { maintenance?: Record<string, unknown> } | undefined)?.maintenance;
  if (typeof m?.['enabled'] !== 'boolean' || typeof m['transitions'] !== 'number') return undefined;
  return {
    enabled: m['enabled'],
    transitions: m['transitions'],
    ...(typeof m['reason'] === 'string' ? { reason: m['reason'] } : {}),
  };
}

/**
 * Decides whether the spec makes a new transition. The first state a block is created in is no
 * transition; a change of `enabled` against the last recorded state is one; a new reason alone is not.
 */
export function decideMaintenance(
  wanted: { enabled: boolean; reason?: string | undefined },
  recorded: MaintenanceRecord | undefined,
  notifications: readonly { transition: number; enabled: boolean }[],
): MaintenanceDecision {
  const reason = wanted.reason === undefined ? {} : { reason: wanted.reason };
  const latest = notifications.at(-1);
  let base = recorded;
  if (latest && (base === undefined || latest.transition > base.transitions)) {
    // The status write of that transition was lost; the composed notification remembers it.
    base = { enabled: latest.enabled, transitions: latest.transition };
  }
  if (base === undefined) return { record: { enabled: wanted.enabled, transitions: 0, ...reason } };
  if (base.enabled === wanted.enabled)
    return { record: { enabled: base.enabled, transitions: base.transitions, ...reason } };
  const transitions = base.transitions + 1;
  return { record: { enabled: wanted.enabled, transitions, ...reason }, announce: transitions };
}
