/**
 * The reseller part of a provider config, resolved: the runtime reads the referenced Secret and hands
 * its data here; the external clients receive the result.
 */
import { ProviderConfigError } from '../runtime/providerconfig.js';
import { refuseInsecureHTTP } from '../transport/insecure-http.js';
import { RESELLER_SECRET_KEYS, type ProviderConfigSpec } from '../../../apis/provider/providerconfig.js';

/** What the reseller external clients need from a provider config, with the Secret's values in it. */
export interface ResellerProviderConfig {
  /** Identifies the provider config, for example `ClusterProviderConfig/default`; one login per config. */
  id: string;
  endpoint: string;
  username: string;
  password: string;
  keystone?: { authURL: string; userDomainName: string };
  regionName?: string;
}

const errNoCredentials = 'cannot use provider config: spec.credentials is required for the reseller API';

/**
 * Combines the spec with the data of the `credentials.secretRef` Secret (keys username, password and,
 * when spec.endpoint is empty, endpoint: the original operator's Region Secret works unchanged).
 */
export function resolveResellerConfig(
  id: string,
  spec: ProviderConfigSpec,
  secretData: Record<string, Buffer> | undefined,
): ResellerProviderConfig {
  if (spec.credentials === undefined || secretData === undefined)
    throw new ProviderConfigError(errNoCredentials);
  const secret = spec.credentials.secretRef.name;
  const value = (key: string): string | undefined => {
    const data = secretData[key];
    const text = data?.toString('utf8').trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const required = (key: string): string => {
    const text = value(key);
    if (text === undefined) {
      throw new ProviderConfigError(`cannot use provider config: Secret "${secret}" has no key "${key}"`);
    }
    return text;
  };
  const endpoint = spec.endpoint ?? value(RESELLER_SECRET_KEYS.endpoint);
  if (endpoint === undefined) {
    throw new ProviderConfigError(
      `cannot use provider config: spec.endpoint is empty and Secret "${secret}" has no key "endpoint"`,
    );
  }
  refuseInsecureHTTP(
    [
      {
        field: spec.endpoint === undefined ? `Secret "${secret}" key "endpoint"` : 'spec.endpoint',
        url: endpoint,
      },
      { field: 'spec.keystone.authURL', url: spec.keystone?.authURL },
    ],
    spec.allowInsecureHTTP,
  );
  return {
    id,
    endpoint,
    username: required(RESELLER_SECRET_KEYS.username),
    password: required(RESELLER_SECRET_KEYS.password),
    ...(spec.keystone === undefined ? {} : { keystone: spec.keystone }),
    ...(spec.regionName === undefined ? {} : { regionName: spec.regionName }),
  };
}
