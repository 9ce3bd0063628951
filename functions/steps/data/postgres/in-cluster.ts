import type { InClusterPostgresStrategy } from '../../../../apis/functions/data-service-input.js';
import type { PostgresSpec } from '../../../../apis/data/postgres.js';
import type { Composer } from '../composer.js';
import { localName } from '../names.js';
import { keptPassword } from '../secrets.js';
import { chooseVersion } from '../version.js';
import { CREDENTIALS, statefulService } from '../stateful-service.js';
import { envFromSecret, serviceHost } from '../workload.js';
import { POSTGRES_DATABASE, POSTGRES_PORT, POSTGRES_USERNAME, postgresConnection } from './connection.js';

/** The StatefulSet (and Service) of a Postgres in the cluster; snapshots find its volume by it. */
export const postgresStatefulSetName = (xr: string) => localName(xr, 'postgres');

export { CREDENTIALS, SERVICE, STATEFULSET } from '../stateful-service.js';

/** The official image's data directory: a subdirectory, since a volume's root holds lost+found. */
const PGDATA = '/var/lib/postgresql/data/pgdata';

/**
 * Postgres in the cluster: the official postgres image as a single-replica StatefulSet with its own
 * volume, a Service, and a Secret with the superuser password. The password is generated once and
 * read back from the observed Secret on every later run; the connection Secret is filled only from
 * that observed Secret, so it never carries a password the database did not get.
 */
export const postgresInCluster: Composer<PostgresSpec, InClusterPostgresStrategy> = (req) => {
  const { xr, spec, strategy, observed } = req;
  const chosen = chooseVersion({
    requested: spec.version,
    recorded: xr.status['version'],
    strategy,
    tier: req.tier,
    provider: 'in-cluster',
  });
  if ('refused' in chosen) return chosen;
  const name = postgresStatefulSetName(xr.name);
  const credentialsName = localName(xr.name, 'postgres-credentials');
  const password = keptPassword(observed[CREDENTIALS], 'password', req.random);
  const container = {
    name: 'postgres',
    image: `${strategy.image}:${chosen.version}`,
    ports: [{ name: 'postgres', containerPort: POSTGRES_PORT }],
    env: [
      envFromSecret('POSTGRES_USER', credentialsName, 'username'),
      envFromSecret('POSTGRES_PASSWORD', credentialsName, 'password'),
      { name: 'POSTGRES_DB', value: POSTGRES_DATABASE },
      { name: 'PGDATA', value: PGDATA },
    ],
    readinessProbe: {
      exec: { command: ['pg_isready', '-U', POSTGRES_USERNAME, '-d', POSTGRES_DATABASE] },
      periodSeconds: 10,
    },
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
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
        credentials: { username: POSTGRES_USERNAME, password },
        port: { name: 'postgres', port: POSTGRES_PORT },
        container,
        storageSize: strategy.storageSize,
        storageClassName: strategy.storageClassName,
        // The postgres user of the official image; lets it write to a freshly provisioned volume.
        podSecurityContext: { fsGroup: 999 },
        observed,
      }),
    },
    connection: observed[CREDENTIALS]
      ? postgresConnection({
          username: POSTGRES_USERNAME,
          password,
          host,
          port: String(POSTGRES_PORT),
          database: POSTGRES_DATABASE,
        })
      : undefined,
    status: { version: chosen.version, endpoint: `${host}:${POSTGRES_PORT}` },
  };
};
