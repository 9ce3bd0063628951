import type { InClusterRedisStrategy } from '../../../../apis/functions/data-service-input.js';
import type { RedisSpec } from '../../../../apis/data/redis.js';
import type { Composer } from '../composer.js';
import { localName } from '../names.js';
import { keptPassword } from '../secrets.js';
import { CREDENTIALS, statefulService } from '../stateful-service.js';
import { envFromSecret, serviceHost } from '../workload.js';
import { REDIS_PORT, redisConnection } from './connection.js';

/** The StatefulSet (and Service) of a Redis in the cluster; snapshots find its volume by it. */
export const redisStatefulSetName = (xr: string) => localName(xr, 'redis');

export { CREDENTIALS, SERVICE, STATEFULSET } from '../stateful-service.js';

/**
 * Redis in the cluster: the official redis image with a password (requirepass) and append-only
 * persistence on its own volume, a Service, and a Secret with the password, generated once and read
 * back on every later run.
 */
export const redisInCluster: Composer<RedisSpec, InClusterRedisStrategy> = (req) => {
  const { xr, spec, strategy, observed } = req;
  const name = redisStatefulSetName(xr.name);
  const credentialsName = localName(xr.name, 'redis-credentials');
  const password = keptPassword(observed[CREDENTIALS], 'password', req.random);
  const container = {
    name: 'redis',
    image: `${strategy.image}:${strategy.engineVersion}`,
    // $(REDIS_PASSWORD) is expanded by the kubelet: the password never appears in the pod spec.
    args: ['redis-server', '--requirepass', '$(REDIS_PASSWORD)', '--appendonly', 'yes', '--dir', '/data'],
    env: [envFromSecret('REDIS_PASSWORD', credentialsName, 'password')],
    ports: [{ name: 'redis', containerPort: REDIS_PORT }],
    readinessProbe: { tcpSocket: { port: REDIS_PORT }, periodSeconds: 10 },
    volumeMounts: [{ name: 'data', mountPath: '/data' }],
    ...(strategy.resources ? { resources: strategy.resources } : {}),
  };
  const host = serviceHost(name, xr.namespace);
  return {
    resources: {
      ...statefulService({
        name,
        namespace: xr.namespace,
        labels: req.labels,
        credentialsName,
        credentials: { password },
        port: { name: 'redis', port: REDIS_PORT },
        container,
        storageSize: strategy.storageSize,
        storageClassName: strategy.storageClassName,
        // The redis user of the official image; lets it write to a freshly provisioned volume.
        podSecurityContext: { fsGroup: 999 },
        observed,
      }),
    },
    connection: observed[CREDENTIALS]
      ? redisConnection({ host, port: String(REDIS_PORT), password, tls: false })
      : undefined,
    status: { version: strategy.engineVersion, endpoint: `${host}:${REDIS_PORT}` },
    ...(spec.size
      ? { warnings: [`spec.size "${spec.size}" selects a cloud node type; in-cluster Redis ignores it`] }
      : {}),
  };
};
