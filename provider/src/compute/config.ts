/**
 * The compute part of a provider config, resolved: the runtime reads the credentials and CA Secrets
 * and hands their data here; the ComputeService clients receive the result.
 */
import { COMPUTE_SECRET_KEYS, type ProviderConfigSpec } from '../../../apis/provider/providerconfig.js';
import { ProviderConfigError } from '../runtime/providerconfig.js';
import { refuseInsecureHTTP } from '../transport/insecure-http.js';
import type { ComputeCredentials } from './keystone.js';

/** What the ComputeService clients need from a provider config, with the Secret's values in it. */
export interface ComputeProviderConfig {
  /** Identifies the provider config; one token per config. */
  id: string;
  authURL: string;
  credentials: ComputeCredentials;
  interface: 'public' | 'internal' | 'admin';
  region?: string;
  endpoint?: string;
  ca?: string;
}

export const errNoCompute =
  'cannot use provider config: spec.compute is required for ComputeService; set spec.compute.credentialsSecretRef';

/** Combines spec.compute with the data of its credentials Secret and CA. */
export function resolveComputeConfig(
  id: string,
  spec: ProviderConfigSpec,
  secretData: Record<string, Buffer> | undefined,
  ca: Buffer | undefined,
): ComputeProviderConfig {
  const compute = spec.compute;
  if (compute === undefined) throw new ProviderConfigError(errNoCompute);
  const secret = compute.credentialsSecretRef.name;
  if (secretData === undefined) {
    throw new ProviderConfigError(
      `cannot use provider config: Secret "${secret}" of spec.compute.credentialsSecretRef does not exist`,
    );
  }
  const value = (key: string): string | undefined => {
    const text = secretData[key]?.toString('utf8').trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const required = (key: string): string => {
    const text = value(key);
    if (text === undefined)
      throw new ProviderConfigError(`cannot use provider config: Secret "${secret}" has no key "${key}"`);
    return text;
  };
  const authURL = compute.authURL ?? spec.keystone?.authURL;
  if (authURL === undefined) {
    throw new ProviderConfigError(
      'cannot use provider config: set spec.compute.authURL or spec.keystone.authURL',
    );
  }
  refuseInsecureHTTP(
    [
      {
        field: compute.authURL === undefined ? 'spec.keystone.authURL' : 'spec.compute.authURL',
        url: authURL,
      },
      { field: 'spec.compute.endpoint', url: compute.endpoint },
    ],
    spec.allowInsecureHTTP,
  );
  if (compute.caSecretRef !== undefined && ca === undefined) {
    throw new ProviderConfigError(
      `cannot use provider config: Secret "${compute.caSecretRef.name}" has no key "${compute.caSecretRef.key}" (spec.compute.caSecretRef)`,
    );
  }
  const K = COMPUTE_SECRET_KEYS;
  const credentials: ComputeCredentials =
    value(K.applicationCredentialID) !== undefined
      ? {
          kind: 'applicationCredential',
          id: required(K.applicationCredentialID),
          secret: required(K.applicationCredentialSecret),
        }
      : {
          kind: 'password',
          username: required(K.username),
          password: required(K.password),
          projectName: required(K.projectName),
          userDomainName: value(K.userDomainName) ?? 'Default',
          projectDomainName: value(K.projectDomainName) ?? 'Default',
        };
  return {
    id,
    authURL,
    credentials,
    interface: compute.interface,
    ...(spec.regionName === undefined ? {} : { region: spec.regionName }),
    ...(compute.endpoint === undefined ? {} : { endpoint: compute.endpoint }),
    ...(ca === undefined ? {} : { ca: ca.toString('utf8') }),
  };
}
