import type { InClusterSmtpStrategy } from '../../../../apis/functions/data-service-input.js';
import type { SMTPCredentialsSpec } from '../../../../apis/data/smtpcredentials.js';
import type { Composer } from '../composer.js';
import { workloadReady } from '../managed.js';
import { localName } from '../names.js';
import { keptPassword, secret, secretData } from '../secrets.js';
import { clusterService, envFromSecret, serviceHost } from '../workload.js';
import { smtpConnection } from './connection.js';

/** Composition resource names. */
export const CREDENTIALS = 'credentials';
export const SERVICE = 'service';
export const DEPLOYMENT = 'deployment';

/** Mailpit's SMTP port and its web UI (captured mail, and the /readyz probe). */
const SMTP_PORT = 1025;
const HTTP_PORT = 8025;
const SMTP_USERNAME = 'smtp';

/**
 * SMTPCredentials in the cluster: a development mail sink (Mailpit) per resource that accepts mail
 * only with its own generated credentials and keeps it for viewing, never delivering it. Mailpit
 * reads credentials as "user:password" (MP_SMTP_AUTH); Kubernetes builds that from the Secret's keys
 * by $(VAR) expansion, so the password stays in the Secret. There is no TLS in the cluster, hence
 * MP_SMTP_AUTH_ALLOW_INSECURE and tls "false".
 */
export const smtpInCluster: Composer<SMTPCredentialsSpec, InClusterSmtpStrategy> = (req) => {
  const { xr, strategy, observed } = req;
  const name = localName(xr.name, 'smtp');
  const credentialsName = localName(xr.name, 'smtp-credentials');
  const username = secretData(observed[CREDENTIALS])?.['username'] || SMTP_USERNAME;
  const password = keptPassword(observed[CREDENTIALS], 'password', req.random);
  const auth = '$(SMTP_USERNAME):$(SMTP_PASSWORD)';
  const container = {
    name: 'mailpit',
    image: strategy.image,
    env: [
      envFromSecret('SMTP_USERNAME', credentialsName, 'username'),
      envFromSecret('SMTP_PASSWORD', credentialsName, 'password'),
      { name: 'MP_SMTP_AUTH', value: auth },
      { name: 'MP_SMTP_AUTH_ALLOW_INSECURE', value: 'true' },
      { name: 'MP_UI_AUTH', value: auth },
    ],
    ports: [
      { name: 'smtp', containerPort: SMTP_PORT },
      { name: 'http', containerPort: HTTP_PORT },
    ],
    readinessProbe: { httpGet: { path: '/readyz', port: HTTP_PORT }, periodSeconds: 10 },
    ...(strategy.resources ? { resources: strategy.resources } : {}),
  };
  const host = serviceHost(name, xr.namespace);
  return {
    resources: {
      [CREDENTIALS]: {
        resource: secret({
          name: credentialsName,
          namespace: xr.namespace,
          labels: req.labels,
          values: { username, password },
        }),
        ready: observed[CREDENTIALS] !== undefined,
      },
      [SERVICE]: {
        resource: clusterService({
          name,
          namespace: xr.namespace,
          labels: req.labels,
          ports: [
            { name: 'smtp', port: SMTP_PORT },
            { name: 'http', port: HTTP_PORT },
          ],
        }),
        ready: observed[SERVICE] !== undefined,
      },
      [DEPLOYMENT]: {
        resource: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace: xr.namespace, labels: req.labels },
          spec: {
            replicas: 1,
            selector: { matchLabels: req.labels },
            template: { metadata: { labels: req.labels }, spec: { containers: [container] } },
          },
        },
        ready: workloadReady(observed[DEPLOYMENT]),
      },
    },
    connection: observed[CREDENTIALS]
      ? smtpConnection({ username, password, host, port: String(SMTP_PORT), tls: false })
      : undefined,
    status: { endpoint: `${host}:${SMTP_PORT}` },
  };
};
