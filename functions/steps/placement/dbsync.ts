import type { KubeObject } from '../../types.js';
import { CONFIG_HASH_ANNOTATION } from './deployment.js';
import { metadata, objectNames, podLabels, type Placement } from './names.js';
import {
  KOLLA_ENV,
  containerSecurityContext,
  placementMounts,
  podSecurityContext,
  renderSecretsContainer,
  volumes,
} from './pod.js';

/**
 * The Job that runs `placement-manage db sync`. Its name carries the config hash (which covers the
 * database connection), so a change makes a new Job and the schema is synced again.
 */
export function dbSyncJob(p: Placement, hash: string): KubeObject {
  const names = objectNames(p);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(p, names.dbSyncJob(hash)),
    spec: {
      backoffLimit: 6,
      template: {
        metadata: {
          labels: { ...podLabels(p), component: 'db-sync' },
          annotations: { [CONFIG_HASH_ANNOTATION]: hash },
        },
        spec: {
          restartPolicy: 'OnFailure',
          serviceAccountName: names.rbac,
          securityContext: podSecurityContext(),
          ...(p.spec.nodeSelector ? { nodeSelector: p.spec.nodeSelector } : {}),
          initContainers: [renderSecretsContainer(p)],
          containers: [
            {
              name: 'placement-db-sync',
              image: p.spec.containerImage,
              command: ['/bin/bash'],
              args: ['-c', '/usr/local/bin/kolla_start'],
              env: KOLLA_ENV,
              securityContext: containerSecurityContext(),
              volumeMounts: placementMounts(p, 'placement-dbsync-config.json'),
            },
          ],
          volumes: volumes(p),
        },
      },
    },
  };
}
