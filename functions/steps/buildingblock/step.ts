import { BuildingBlockInput } from '../../../apis/functions/buildingblock-input.js';
import { BuildingBlock } from '../../../apis/openstack/buildingblock.js';
import { VALID_CONDITION } from '../../objects.js';
import { requeueWhile } from '../../requeue.js';
import { composer } from '../../composer.js';
import { defineStep, type StepResponse, type StepResult } from '../../types.js';
import { buildingBlockConditions, READINESS_CONDITIONS, type Progress } from './conditions.js';
import { configFiles, configSecret, CustomConfigError } from './config.js';
import { composeAgents, serviceAccount, wantedPods } from './deployment.js';
import { refusedImage } from './images.js';
import { ENVIRONMENT_CONFIG, missingSecrets, NODES, requirementsFor, resolvePlatform } from './inputs.js';
import { decideMaintenance, observedNotifications, recordedMaintenance } from './maintenance.js';
import { computeServiceResource, novaHosts, RESOURCE, type Block } from './names.js';
import { planNotifications, type LastDelivered } from './notification.js';
import { aggregate, computeServices, serviceStates } from './nova.js';
import { hostNodeNames, hostSelector, selectorConflict } from './scheduling.js';

/**
 * Composes a building block: the agents' config Secret and ServiceAccount first; the agent Deployments
 * once the config exists; a ComputeService per Nova host that holds it enabled, or disabled while in
 * maintenance; the host aggregate once every service has registered; one notification per maintenance
 * transition. Ready when inputs, agents, registration and aggregate are.
 */
export const buildingBlockStep = defineStep({
  input: BuildingBlockInput,
  composite: BuildingBlock,
  run({ composite, spec, input, observed, required }): StepResponse {
    const meta = composite['metadata'] as { name: string; namespace?: string; uid?: string };
    const b: Block = {
      name: meta.name,
      namespace: meta.namespace ?? 'default',
      spec,
      input,
      ...(meta.uid ? { uid: meta.uid } : {}),
    };
    const unknown = spec.agents.findIndex((a) => input.agentTypes[a.name] === undefined);
    if (unknown >= 0) {
      const known = Object.keys(input.agentTypes).sort().join(', ');
      return invalid(
        `spec.agents[${unknown}].name: unknown agent "${spec.agents[unknown]!.name}"; use one of: ${known}`,
      );
    }
    // The platform picks images and nodes; a block may only narrow that choice.
    const refused = refusedImage(b) ?? selectorConflict(b);
    if (refused) return invalid(refused);
    const requirements = requirementsFor(b);
    // Until Crossplane has fetched what the step reads, change nothing and ask for it.
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const nodes = hostNodeNames(required[NODES]);
    if (nodes) b.nodes = nodes;
    const platform = resolvePlatform(b, required[ENVIRONMENT_CONFIG]?.[0]);
    if ('problem' in platform && observed[RESOURCE.configSecret] !== undefined) {
      // Running agents must not lose their configuration to a broken platform config: keep all as is.
      return unusablePlatform(platform.problem);
    }
    let files: Record<string, string> | undefined;
    try {
      files = 'problem' in platform ? undefined : configFiles(b, platform, input.agentTypes);
    } catch (error) {
      if (error instanceof CustomConfigError) return invalid(error.message);
      throw error;
    }

    const { composed, put, exists, ready } = composer(observed);
    const inputs = 'problem' in platform ? platform.problem : missingSecrets(b, required, 'agents');

    if (files) put({ [RESOURCE.configSecret]: configSecret(b, files) }, exists);
    put({ [RESOURCE.serviceAccount]: serviceAccount(b) }, exists);

    // Agents start once their config exists and their Secrets are there; once started they stay.
    const agents = files
      ? composeAgents(b, files, observed, !inputs && exists(RESOURCE.configSecret))
      : { resources: {}, readyPods: 0, wantedPods: wantedPods(b) };
    Object.assign(composed, agents.resources);
    const { readyPods } = agents;

    put(computeServices(b), ready);
    const registered = novaHosts(b).filter((host) => ready(computeServiceResource(host)));
    const allRegistered = novaHosts(b).length > 0 && registered.length === novaHosts(b).length;
    // The aggregate waits for every host, then only ever holds hosts Nova knows (a new kvm host joins
    // once it registered): provider-openstack cannot add an unknown host.
    const aggregateExists = exists(RESOURCE.aggregate);
    if (allRegistered || aggregateExists) put(aggregate(b, registered), ready);

    // Maintenance transitions and their notifications.
    const notifications = observedNotifications(observed);
    const decision = decideMaintenance(spec.maintenance, recordedMaintenance(composite), notifications);
    const previous = (
      composite['status'] as { notification?: { lastDelivered?: number; deliveredAt?: string } }
    )?.notification;
    const plan = planNotifications(b, decision, notifications, previous);
    Object.assign(composed, plan.resources);
    const { pending, lastDelivered } = plan;

    const webhookSecret = missingSecrets(b, required, 'webhook');
    const services = serviceStates(b, observed);
    const progress: Progress = {
      ...(inputs ? { inputs } : {}),
      agents: { ready: readyPods, wanted: agents.wantedPods },
      registered,
      services,
      aggregate: !(allRegistered || aggregateExists)
        ? 'WaitingForServices'
        : ready(RESOURCE.aggregate)
          ? 'Ready'
          : 'Creating',
      maintenance: { enabled: spec.maintenance.enabled },
      ...(spec.notifications
        ? {
            notification: {
              transitions: decision.record.transitions,
              pending,
              ...(lastDelivered ? { lastDelivered: lastDelivered.transition } : {}),
              ...(webhookSecret ? { missingSecret: webhookSecret } : {}),
            },
          }
        : {}),
    };
    const conditions = buildingBlockConditions(progress);
    const isReady = conditions
      .filter((c) => READINESS_CONDITIONS.includes(c.type))
      .every((c) => c.status === 'True');
    const transitioning = conditions.some((c) => c.type === 'Maintenance' && c.reason === 'Transitioning');
    return {
      // Crossplane's watch circuit breaker drops the events of a busy XR for minutes: a block that
      // is still converging (agents, Nova, a transition, a notification) asks to run again soon.
      ...requeueWhile(!isReady || transitioning || pending.length > 0),
      composed,
      requirements,
      conditions,
      ...(nodes?.length === 0 ? { results: [noNodes(hostSelector(b))] } : {}),
      status: {
        readyAgents: `${readyPods}/${agents.wantedPods}`,
        hosts: novaHosts(b),
        ...(allRegistered || aggregateExists
          ? { aggregate: (composed[RESOURCE.aggregate]!.resource['metadata'] as { name: string }).name }
          : {}),
        services,
        maintenance: decision.record,
        ...(lastDelivered ? { notification: deliveredStatus(lastDelivered) } : {}),
      },
      ...(isReady ? {} : { compositeReady: false as const }),
    };
  },
});

/** Refuses a spec the schema cannot judge alone: Valid=False naming the field, nothing changed. */
function invalid(message: string): StepResponse {
  return {
    conditions: [{ type: VALID_CONDITION, status: 'False', reason: 'InvalidSpec', message }],
    results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
  };
}

/** Refuses a broken platform config while agents run on the last good one: nothing changed. */
function unusablePlatform(problem: string): StepResponse {
  return {
    conditions: [{ type: 'InputReady', status: 'False', reason: 'WaitingForInputs', message: problem }],
    results: [
      {
        severity: 'Fatal',
        reason: 'PlatformConfigUnusable',
        message: `cannot configure the agents: ${problem}`,
      },
    ],
  };
}

/** The warning of a block whose nodeSelector matches no node: it has no hosts. */
function noNodes(selector: Readonly<Record<string, string>>): StepResult {
  const labels = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return {
    severity: 'Warning',
    reason: 'NoNodes',
    message:
      'no node other than a control-plane node has the labels of spec.nodeSelector and ' +
      `of the platform's compute nodes (${labels}); label the hypervisor nodes or list them in spec.hosts`,
  };
}

/** status.notification: the last transition whose notification was delivered, and when. */
function deliveredStatus(lastDelivered: LastDelivered): Record<string, unknown> {
  return {
    lastDelivered: lastDelivered.transition,
    ...(lastDelivered.deliveredAt ? { deliveredAt: lastDelivered.deliveredAt } : {}),
  };
}
