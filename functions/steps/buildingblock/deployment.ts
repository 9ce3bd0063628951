import { NOVA_COMPUTE } from '../../../apis/openstack/buildingblock.js';
import type { DesiredResource, KubeObject } from '../../types.js';
import { deploymentReady, readyReplicas } from '../../observed.js';
import { agentConfigHash, CONFIG_DIR, SECRETS_DIR, authSections } from './config.js';
import { hostAccess, NO_PRIVILEGES } from './host-access.js';
import { agentImage } from './images.js';
import { agentInstances, metadata, objectNames, podLabels, type AgentInstance, type Block } from './names.js';
import { placement } from './scheduling.js';

/** The pod template annotation carrying the agent's config hash: a new hash rolls its pods. */
export const CONFIG_HASH_ANNOTATION = 'openstack.stackplane.io/config-hash';

const secretEnv = (name: string, secret: string, key: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** The environment the init container turns into the conf.d credentials file. */
function renderEnv(b: Block, instance: AgentInstance): Record<string, unknown>[] {
  const { nova, vmware } = b.spec;
  const env: Record<string, unknown>[] = [
    { name: 'AGENT_HOST', value: instance.host },
    secretEnv('TRANSPORT_URL', nova.secret, nova.passwordSelectors.transportURL),
  ];
  const sections = authSections(b, instance.agent);
  if (sections.length > 0) {
    env.push(
      { name: 'AUTH_SECTIONS', value: sections.join(' ') },
      secretEnv('SERVICE_PASSWORD', nova.secret, nova.passwordSelectors.service),
    );
  }
  if (vmware && instance.agent.name === NOVA_COMPUTE) {
    env.push(
      secretEnv('VMWARE_USERNAME', vmware.credentialsSecret, vmware.usernameKey),
      secretEnv('VMWARE_PASSWORD', vmware.credentialsSecret, vmware.passwordKey),
    );
  }
  return env;
}

/** One agent's Deployment: the agent under kolla, after an init container rendered its credentials. */
export function agentDeployment(b: Block, instance: AgentInstance, hash: string): KubeObject {
  const image = agentImage(b, instance.agent);
  const { agent } = instance;
  const labels = podLabels(b, instance);
  const host = hostAccess(b, instance);
  const vmwareCA = agent.name === NOVA_COMPUTE ? b.spec.vmware?.caBundleSecretName : undefined;
  const configMounts = [
    { name: 'config-data', mountPath: CONFIG_DIR, readOnly: true },
    {
      name: 'config-data',
      mountPath: '/var/lib/kolla/config_files/config.json',
      subPath: `${agent.name}-config.json`,
      readOnly: true,
    },
    { name: 'secrets', mountPath: SECRETS_DIR, readOnly: true },
    ...(vmwareCA ? [{ name: 'vmware-ca', mountPath: '/var/lib/config-data/vmware', readOnly: true }] : []),
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(b, instance.deploymentName),
    spec: {
      replicas: agent.replicas,
      // Never two agents with one host identity, not even during a rollout: the old pod goes first.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { [CONFIG_HASH_ANNOTATION]: hash } },
        spec: {
          serviceAccountName: objectNames(b).serviceAccount,
          automountServiceAccountToken: false,
          ...host.pod,
          ...placement(b, instance),
          initContainers: [
            {
              name: 'render-secrets',
              image,
              command: ['/bin/bash'],
              args: [`${CONFIG_DIR}/render-secrets.sh`],
              env: renderEnv(b, instance),
              securityContext: NO_PRIVILEGES,
              volumeMounts: [
                { name: 'config-data', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'secrets', mountPath: SECRETS_DIR },
              ],
            },
          ],
          containers: [
            {
              name: agent.name,
              image,
              command: ['/bin/bash'],
              args: ['-c', '/usr/local/bin/kolla_start'],
              env: [{ name: 'KOLLA_CONFIG_STRATEGY', value: 'COPY_ALWAYS' }],
              securityContext: host.container,
              ...(agent.resources ? { resources: agent.resources } : {}),
              volumeMounts: [...configMounts, ...host.mounts],
            },
          ],
          volumes: [
            { name: 'config-data', secret: { secretName: objectNames(b).configSecret, defaultMode: 0o440 } },
            { name: 'secrets', emptyDir: { medium: 'Memory' } },
            ...(vmwareCA
              ? [{ name: 'vmware-ca', secret: { secretName: vmwareCA, defaultMode: 0o444 } }]
              : []),
            ...host.volumes,
          ],
        },
      },
    },
  };
}

/** The ServiceAccount the agents run as; they call no Kubernetes API, so it has no role and no token. */
export function serviceAccount(b: Block): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(b, objectNames(b).serviceAccount),
    automountServiceAccountToken: false,
  };
}

/** The agent Deployments of this run and how many of their pods are ready out of those wanted. */
export interface AgentsPlan {
  resources: Record<string, DesiredResource>;
  readyPods: number;
  wantedPods: number;
}

/**
 * Every agent Deployment: composed once `canStart` (config there, Secrets complete), and kept after
 * that whatever happens to the inputs, so a Secret edit never stops running agents.
 */
export function composeAgents(
  b: Block,
  files: Record<string, string>,
  observed: Readonly<Record<string, KubeObject>>,
  canStart: boolean,
): AgentsPlan {
  const resources: Record<string, DesiredResource> = {};
  let readyPods = 0;
  for (const instance of agentInstances(b)) {
    const deployed = observed[instance.resource];
    if (!canStart && deployed === undefined) continue;
    const hash = agentConfigHash(b, instance.agent, files);
    resources[instance.resource] = {
      resource: agentDeployment(b, instance, hash),
      ready: deploymentReady(deployed, instance.agent.replicas),
    };
    readyPods += Math.min(readyReplicas(deployed), instance.agent.replicas);
  }
  return { resources, readyPods, wantedPods: wantedPods(b) };
}

/** How many agent pods the block wants: replicas of each agent, times the hosts for kvm. */
export function wantedPods(b: Block): number {
  return agentInstances(b).reduce((sum, i) => sum + i.agent.replicas, 0);
}
