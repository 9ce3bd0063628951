import type { StepCondition } from '../../types.js';
import type { ServiceState } from './nova.js';

/** Where each part of a building block stands, as observed in this run. */
export interface Progress {
  /** Why the Secrets or platform configuration are not usable yet; undefined when they are. */
  inputs?: string;
  agents: { ready: number; wanted: number };
  /** Hosts whose ComputeService is Ready: registered in Nova and up. */
  registered: string[];
  services: ServiceState[];
  aggregate: 'WaitingForServices' | 'Creating' | 'Ready';
  maintenance: { enabled: boolean };
  /** Undefined when the block has no webhook. */
  notification?: { transitions: number; lastDelivered?: number; pending: number[]; missingSecret?: string };
}

const condition = (type: string, ok: boolean, reason: string, message: string): StepCondition => ({
  type,
  status: ok ? 'True' : 'False',
  reason,
  message,
});

/**
 * Maintenance: Enabled once every service is disabled, Disabled once every service is enabled (an
 * unregistered one registers enabled), Transitioning in between. True means the block is in maintenance.
 */
export function maintenanceCondition(p: Progress): StepCondition {
  const want = p.maintenance.enabled ? 'disabled' : 'enabled';
  const behind = p.services.filter(
    (s) => (s.status ?? (want === 'enabled' ? 'enabled' : undefined)) !== want,
  );
  if (behind.length > 0) {
    return {
      type: 'Maintenance',
      status: 'Unknown',
      reason: 'Transitioning',
      message: `${p.services.length - behind.length}/${p.services.length} services ${want} in Nova; waiting for ${behind
        .map((s) => s.host)
        .join(', ')}`,
    };
  }
  return p.maintenance.enabled
    ? condition(
        'Maintenance',
        true,
        'Enabled',
        `${p.services.length}/${p.services.length} services disabled in Nova; nothing new is scheduled`,
      )
    : condition(
        'Maintenance',
        false,
        'Disabled',
        `${p.services.length}/${p.services.length} services enabled in Nova`,
      );
}

function notificationCondition(n: NonNullable<Progress['notification']>): StepCondition {
  // Said before any transition too, so the webhook is fixed before the first maintenance needs it.
  if (n.missingSecret) return condition('NotificationDelivered', false, 'WaitingForSecret', n.missingSecret);
  if (n.pending.length > 0) {
    return condition(
      'NotificationDelivered',
      false,
      'Pending',
      `transition ${n.pending.join(', ')} not accepted by the webhook yet; retried until it is`,
    );
  }
  if (n.lastDelivered === undefined) {
    return condition('NotificationDelivered', true, 'NothingToAnnounce', 'no maintenance transition yet');
  }
  return condition('NotificationDelivered', true, 'Delivered', `transition ${n.lastDelivered} announced`);
}

/** One condition per part, so `kubectl describe` says which part is not ready yet. */
export function buildingBlockConditions(p: Progress): StepCondition[] {
  const hosts = p.services.length;
  const out = [
    p.inputs
      ? condition('InputReady', false, 'WaitingForInputs', p.inputs)
      : condition('InputReady', true, 'Ready', 'Secrets and platform configuration complete'),
    condition(
      'AgentsReady',
      p.agents.ready >= p.agents.wanted && !p.inputs,
      p.inputs ? 'WaitingForInputs' : p.agents.ready >= p.agents.wanted ? 'Ready' : 'Creating',
      `${p.agents.ready}/${p.agents.wanted} agent pods ready`,
    ),
    hosts === 0
      ? condition('NovaRegistered', false, 'NoHosts', 'the block has no hosts yet')
      : condition(
          'NovaRegistered',
          p.registered.length === hosts,
          p.registered.length === hosts ? 'Ready' : 'WaitingForAgents',
          `${p.registered.length}/${hosts} nova-compute services registered and up`,
        ),
    condition(
      'AggregateReady',
      p.aggregate === 'Ready',
      p.aggregate,
      p.aggregate === 'WaitingForServices'
        ? 'the host aggregate is created once every nova-compute service has registered'
        : p.aggregate === 'Creating'
          ? 'the host aggregate is being created'
          : 'host aggregate ready',
    ),
    maintenanceCondition(p),
  ];
  if (p.notification) out.push(notificationCondition(p.notification));
  return out;
}

/** The conditions that decide whether the block is Ready: inputs, agents, registration and aggregate. */
export const READINESS_CONDITIONS = ['InputReady', 'AgentsReady', 'NovaRegistered', 'AggregateReady'];
