import type { KubeObject } from '../../types.js';
import { LOG_FILE } from './config.js';
import { tlsEnabled } from './endpoints.js';
import { NETWORKS_ANNOTATION, networksAnnotation } from './network.js';
import type { PodTopology } from './topology.js';
import { PLACEMENT_PORT, metadata, objectNames, podLabels, type Placement } from './names.js';
import {
  KOLLA_ENV,
  containerSecurityContext,
  placementMounts,
  podSecurityContext,
  renderSecretsContainer,
  volumes,
} from './pod.js';

/** The pod template annotation carrying the config hash: a new hash rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'openstack.stackplane.io/config-hash';

/** Liveness and readiness probe on 8778, HTTPS when the public endpoint serves TLS. */
export function probe(p: Placement): Record<string, unknown> {
  return {
    httpGet: { path: '/', port: PLACEMENT_PORT, scheme: tlsEnabled(p, 'public') ? 'HTTPS' : 'HTTP' },
    initialDelaySeconds: 5,
    periodSeconds: 30,
    timeoutSeconds: 30,
    failureThreshold: 3,
  };
}

/** Spread API pods over nodes when it can be done, as the original did. */
function antiAffinity(p: Placement): Record<string, unknown> {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: { matchLabels: podLabels(p) },
            topologyKey: 'kubernetes.io/hostname',
          },
        },
      ],
    },
  };
}

/**
 * The API Deployment: placement-api under httpd, and a container that streams its log. A Topology
 * replaces the default anti-affinity with its own spread constraints and affinity.
 */
export function deployment(p: Placement, hash: string, topology?: PodTopology): KubeObject {
  const names = objectNames(p);
  const annotations: Record<string, string> = { [CONFIG_HASH_ANNOTATION]: hash };
  if (p.spec.networkAttachments?.length) {
    annotations[NETWORKS_ANNOTATION] = networksAnnotation(p.spec.networkAttachments, p.namespace);
  }
  const common = {
    image: p.spec.containerImage,
    livenessProbe: probe(p),
    readinessProbe: probe(p),
    securityContext: containerSecurityContext(),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(p, names.deployment),
    spec: {
      replicas: p.spec.replicas,
      // A taken-over Deployment keeps its selector, which cannot change; its pods match both.
      selector: { matchLabels: p.adopted?.deploymentSelector ?? podLabels(p) },
      template: {
        metadata: { labels: { ...podLabels(p), ...p.adopted?.deploymentSelector }, annotations },
        spec: {
          serviceAccountName: names.rbac,
          securityContext: podSecurityContext(),
          ...(topology ? topology : { affinity: antiAffinity(p) }),
          ...(p.spec.nodeSelector ? { nodeSelector: p.spec.nodeSelector } : {}),
          initContainers: [renderSecretsContainer(p)],
          containers: [
            {
              name: 'placement-log',
              ...common,
              command: ['/usr/bin/dumb-init'],
              args: ['--single-child', '--', '/usr/bin/tail', '-n+1', '-F', LOG_FILE],
              volumeMounts: [{ name: 'logs', mountPath: '/var/log/placement' }],
            },
            {
              name: 'placement-api',
              ...common,
              command: ['/bin/bash'],
              args: ['-c', '/usr/local/bin/kolla_start'],
              env: KOLLA_ENV,
              ports: [{ name: 'placement', containerPort: PLACEMENT_PORT, protocol: 'TCP' }],
              ...(p.spec.resources ? { resources: p.spec.resources } : {}),
              volumeMounts: placementMounts(p, 'placement-api-config.json'),
            },
          ],
          volumes: volumes(p),
        },
      },
    },
  };
}
