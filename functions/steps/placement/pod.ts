import { serviceCredentials } from './credentials.js';
import { ENDPOINTS } from '../../../apis/openstack/placementapi.js';
import { CONFIG_DIR, SECRETS_DIR } from './config.js';
import { tlsEnabled } from './endpoints.js';
import { PLACEMENT_UID, databaseAccount, objectNames, type Placement } from './names.js';

// Types only (kubernetes-models is a devDependency): a misspelt field fails to compile, and nothing
// of the package is loaded at run time.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';

/** Pod-level security: a fixed non-root user, the runtime's default seccomp profile. */
export function podSecurityContext(): IPodSecurityContext {
  return {
    runAsUser: PLACEMENT_UID,
    runAsGroup: PLACEMENT_UID,
    fsGroup: PLACEMENT_UID,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security: no privilege escalation, no capabilities. */
export function containerSecurityContext(): ISecurityContext {
  return { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
}

/** The volumes every placement pod mounts. */
export function volumes(p: Placement): IVolume[] {
  const out: IVolume[] = [
    { name: 'config-data', secret: { secretName: objectNames(p).configSecret, defaultMode: 0o440 } },
    { name: 'secrets', emptyDir: { medium: 'Memory' } },
    { name: 'logs', emptyDir: {} },
    { name: 'run-httpd', emptyDir: {} },
  ];
  for (const endpoint of ENDPOINTS) {
    const secretName = p.spec.tls?.api?.[endpoint]?.secretName;
    if (secretName) out.push({ name: `${endpoint}-tls-certs`, secret: { secretName, defaultMode: 0o440 } });
  }
  if (p.spec.tls?.caBundleSecretName) {
    out.push({
      name: 'combined-ca-bundle',
      secret: { secretName: p.spec.tls.caBundleSecretName, defaultMode: 0o444 },
    });
  }
  return out;
}

/** Mounts of the containers that run placement (API and db-sync). */
export function placementMounts(p: Placement, kollaConfig: string): IVolumeMount[] {
  const out: IVolumeMount[] = [
    { name: 'config-data', mountPath: CONFIG_DIR, readOnly: true },
    {
      name: 'config-data',
      mountPath: '/var/lib/kolla/config_files/config.json',
      subPath: kollaConfig,
      readOnly: true,
    },
    { name: 'secrets', mountPath: SECRETS_DIR, readOnly: true },
    { name: 'logs', mountPath: '/var/log/placement' },
    { name: 'run-httpd', mountPath: '/run/httpd' },
  ];
  for (const endpoint of ENDPOINTS.filter((e) => tlsEnabled(p, e))) {
    const volume = `${endpoint}-tls-certs`;
    out.push(
      {
        name: volume,
        mountPath: `/var/lib/config-data/tls/certs/${endpoint}.crt`,
        subPath: 'tls.crt',
        readOnly: true,
      },
      {
        name: volume,
        mountPath: `/var/lib/config-data/tls/private/${endpoint}.key`,
        subPath: 'tls.key',
        readOnly: true,
      },
    );
  }
  if (p.spec.tls?.caBundleSecretName) {
    out.push({
      name: 'combined-ca-bundle',
      mountPath: '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
      subPath: 'tls-ca-bundle.pem',
      readOnly: true,
    });
  }
  return out;
}

const secretEnv = (name: string, secret: string, key: string): IEnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/**
 * The init container that writes the credentials into the memory-backed `secrets` volume from
 * Secret references (see config.ts): the only place secret values exist is the pod.
 */
export function renderSecretsContainer(p: Placement): IContainer {
  const source = serviceCredentials(p);
  const credentials =
    source.kind === 'applicationCredential'
      ? [
          secretEnv('PLACEMENT_APPLICATION_CREDENTIAL_ID', source.secret, source.idKey),
          secretEnv('PLACEMENT_APPLICATION_CREDENTIAL_SECRET', source.secret, source.secretKey),
        ]
      : [secretEnv('PLACEMENT_PASSWORD', source.secret, source.key)];
  return {
    name: 'render-secrets',
    image: p.spec.containerImage,
    command: ['/bin/bash'],
    args: [`${CONFIG_DIR}/render-secrets.sh`],
    env: [...credentials, secretEnv('DATABASE_PASSWORD', databaseAccount(p).secret, databaseAccount(p).key)],
    securityContext: containerSecurityContext(),
    volumeMounts: [
      { name: 'config-data', mountPath: CONFIG_DIR, readOnly: true },
      { name: 'secrets', mountPath: SECRETS_DIR },
    ],
  };
}

/** Environment of the containers started by kolla_start. */
export const KOLLA_ENV: IEnvVar[] = [{ name: 'KOLLA_CONFIG_STRATEGY', value: 'COPY_ALWAYS' }];
