import { serviceCredentials } from './credentials.js';
import { createHash } from 'node:crypto';
import { ENDPOINTS } from '../../../apis/openstack/placementapi.js';
import type { KubeObject } from '../../types.js';
import { endpointHost, tlsEnabled } from './endpoints.js';
import {
  PLACEMENT_PORT,
  databaseHostname,
  keystoneURLs,
  metadata,
  databaseAccount,
  objectNames,
  type Placement,
} from './names.js';

/** Where the pods mount the config Secret, the rendered credentials and the logs. */
export const CONFIG_DIR = '/var/lib/openstack/config';
export const SECRETS_DIR = '/var/lib/openstack/secrets';
export const LOG_FILE = '/var/log/placement/placement-api.log';

/**
 * How passwords reach placement.conf: they never pass through this function. placement.conf names
 * no secret; an init container (render-secrets.sh) reads the service password and the generated
 * database password from secretKeyRef environment variables and writes them into a memory-backed
 * volume: `[keystone_authtoken] password` into placement.conf.d/secrets.conf and `[client] password`
 * into my.cnf, which the database URL reads through `read_default_file`. So the function needs no
 * access to Secret values, and results, status and logs can never carry one.
 */
const RENDER_SECRETS_SCRIPT = `#!/bin/bash
# Writes the credentials placement reads from Secret-backed environment variables into files on a
# memory-backed volume; no secret value is part of the rendered configuration.
set -euo pipefail
umask 077
out=${SECRETS_DIR}
# oslo.config expands $name in values: a literal $ is written as $$.
esc() { printf '%s' "\${1//\\$/\\$\\$}"; }
{
  echo '[keystone_authtoken]'
  if [ -n "\${PLACEMENT_APPLICATION_CREDENTIAL_ID:-}" ]; then
    echo "application_credential_id = $(esc "$PLACEMENT_APPLICATION_CREDENTIAL_ID")"
    echo "application_credential_secret = $(esc "$PLACEMENT_APPLICATION_CREDENTIAL_SECRET")"
  else
    echo "password = $(esc "$PLACEMENT_PASSWORD")"
  fi
} > "$out/secrets.conf"
printf '[client]\\npassword = %s\\n' "$DATABASE_PASSWORD" > "$out/my.cnf"
`;

const usesApplicationCredential = (p: Placement) => serviceCredentials(p).kind === 'applicationCredential';

/** placement.conf: everything but the credentials (see RENDER_SECRETS_SCRIPT). */
export function placementConf(p: Placement): string {
  const keystone = keystoneURLs(p);
  const auth = usesApplicationCredential(p)
    ? ['auth_type = v3applicationcredential']
    : [
        'auth_type = password',
        `username = ${p.spec.serviceUser}`,
        'user_domain_name = Default',
        'project_name = service',
        'project_domain_name = Default',
      ];
  const lines = [
    '[DEFAULT]',
    `log_file = ${LOG_FILE}`,
    '',
    '[api]',
    'auth_strategy = keystone',
    '',
    '[keystone_authtoken]',
    `www_authenticate_uri = ${keystone.public}`,
    `auth_url = ${keystone.internal}`,
    ...auth,
    'interface = internal',
    `region_name = ${p.spec.region}`,
    ...(p.spec.tls?.caBundleSecretName ? ['cafile = /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem'] : []),
    '',
    '[placement_database]',
    `connection = mysql+pymysql://${databaseAccount(p).user}@${databaseHostname(p)}/placement?read_default_file=/etc/my.cnf&charset=utf8`,
  ];
  if (p.spec.defaultConfigOverwrite?.['policy.yaml'] !== undefined) {
    lines.push('', '[oslo_policy]', 'policy_file = /etc/placement/policy.yaml');
  }
  return lines.join('\n') + '\n';
}

/** httpd.conf: port 8778, one virtual host per endpoint, TLS on the endpoints that have a certificate. */
export function httpdConf(p: Placement): string {
  const lines = [
    'ServerRoot "/etc/httpd"',
    `Listen ${PLACEMENT_PORT}`,
    'Include conf.modules.d/*.conf',
    'TypesConfig /etc/mime.types',
    'PidFile /run/httpd/httpd.pid',
    `Timeout ${p.spec.apiTimeout}`,
    'LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined',
    'ErrorLog /dev/stdout',
    'CustomLog /dev/stdout combined',
  ];
  for (const endpoint of ENDPOINTS) {
    lines.push(
      '',
      `<VirtualHost *:${PLACEMENT_PORT}>`,
      `  ServerName ${endpointHost(p, endpoint)}`,
      ...(tlsEnabled(p, endpoint)
        ? [
            '  SSLEngine on',
            `  SSLCertificateFile /etc/pki/tls/certs/${endpoint}.crt`,
            `  SSLCertificateKeyFile /etc/pki/tls/private/${endpoint}.key`,
          ]
        : []),
      `  WSGIDaemonProcess ${endpoint} processes=3 threads=1 display-name=placement-${endpoint}`,
      `  WSGIProcessGroup ${endpoint}`,
      '  WSGIApplicationGroup %{GLOBAL}',
      '  WSGIPassAuthorization On',
      '  WSGIScriptAlias / /usr/bin/placement-api',
      '</VirtualHost>',
    );
  }
  return lines.join('\n') + '\n';
}

interface KollaFile {
  source: string;
  dest: string;
  owner: string;
  perm: string;
  optional?: boolean;
}

/** The kolla start config: which files go where, and the command to run. */
function kollaConfig(command: string, p: Placement): string {
  const file = (source: string, dest: string, optional = false): KollaFile => ({
    source,
    dest,
    owner: 'placement',
    perm: '0600',
    ...(optional ? { optional } : {}),
  });
  const files: KollaFile[] = [
    file(`${CONFIG_DIR}/placement.conf`, '/etc/placement/placement.conf'),
    file(`${CONFIG_DIR}/custom.conf`, '/etc/placement/placement.conf.d/custom.conf'),
    file(`${SECRETS_DIR}/secrets.conf`, '/etc/placement/placement.conf.d/secrets.conf'),
    file(`${SECRETS_DIR}/my.cnf`, '/etc/my.cnf'),
    file(`${CONFIG_DIR}/httpd.conf`, '/etc/httpd/conf/httpd.conf'),
    file(`${CONFIG_DIR}/policy.yaml`, '/etc/placement/policy.yaml', true),
  ];
  for (const endpoint of ENDPOINTS.filter((e) => tlsEnabled(p, e))) {
    files.push(
      file(`/var/lib/config-data/tls/certs/${endpoint}.crt`, `/etc/pki/tls/certs/${endpoint}.crt`),
      file(`/var/lib/config-data/tls/private/${endpoint}.key`, `/etc/pki/tls/private/${endpoint}.key`),
    );
  }
  return JSON.stringify({ command, config_files: files }, null, 2) + '\n';
}

/** Every file of the config Secret, by key. */
export function configFiles(p: Placement): Record<string, string> {
  const files: Record<string, string> = {
    'placement.conf': placementConf(p),
    'custom.conf': p.spec.customServiceConfig ?? '',
    'httpd.conf': httpdConf(p),
    'placement-api-config.json': kollaConfig('/usr/sbin/httpd -DFOREGROUND', p),
    'placement-dbsync-config.json': kollaConfig('placement-manage db sync', p),
    'render-secrets.sh': RENDER_SECRETS_SCRIPT,
  };
  const policy = p.spec.defaultConfigOverwrite?.['policy.yaml'];
  if (policy !== undefined) files['policy.yaml'] = policy;
  return files;
}

/** The config Secret the API and db-sync pods mount. It holds no credential. */
export function configSecret(p: Placement): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(p, objectNames(p).configSecret),
    type: 'Opaque',
    stringData: configFiles(p),
  };
}

/**
 * A hash of every config input: the files, and the Secrets (names and keys, never values) the
 * pods read. It goes into the pod template, so a change rolls the pods, and names the db-sync Job,
 * so a change runs db-sync again.
 */
export function configHash(p: Placement): string {
  const inputs = {
    files: configFiles(p),
    secret: p.spec.secret,
    passwordSelectors: p.spec.passwordSelectors,
    databaseAccountSecret: databaseAccount(p).secret,
    // Only when adopted, so the hash of every PlacementAPI that generates its password stays as it was.
    ...(databaseAccount(p).kept ? { databaseAccountKey: databaseAccount(p).key } : {}),
    tls: p.spec.tls ?? null,
    // Only when set, so the hash of every PlacementAPI without it stays as it was.
    ...(p.spec.auth ? { auth: p.spec.auth } : {}),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}
