/**
 * The connection details of a reseller API user: its login, the OpenStack environment variables and
 * a clouds.yaml, with the keys the original reseller operator published.
 */
import { stringify } from 'yaml';
import type { ConnectionDetails } from '../runtime/external.js';
import type { ResellerProviderConfig } from './config.js';

/** The name of the cloud in the published clouds.yaml. */
const CLOUD_NAME = 'openstack';

/** The user's login as connection details; the OS_* keys and clouds.yaml need keystone in the config. */
export function userConnectionDetails(
  config: Pick<ResellerProviderConfig, 'keystone' | 'regionName'>,
  user: { email: string; password: string; defaultProjectID?: string | undefined },
): ConnectionDetails {
  const details: Record<string, string> = { username: user.email, password: user.password };
  if (config.keystone !== undefined) {
    Object.assign(details, {
      OS_AUTH_URL: config.keystone.authURL,
      OS_USERNAME: user.email,
      OS_PASSWORD: user.password,
      OS_USER_DOMAIN_NAME: config.keystone.userDomainName,
      OS_IDENTITY_API_VERSION: '3',
      ...(config.regionName === undefined ? {} : { OS_REGION_NAME: config.regionName }),
    });
    const cloud = {
      auth: {
        auth_url: config.keystone.authURL,
        username: user.email,
        password: user.password,
        user_domain_name: config.keystone.userDomainName,
        ...(user.defaultProjectID === undefined ? {} : { project_id: user.defaultProjectID }),
      },
      ...(config.regionName === undefined ? {} : { region_name: config.regionName }),
      identity_api_version: 3,
    };
    details['clouds.yaml'] = stringify({ clouds: { [CLOUD_NAME]: cloud } });
  }
  return Object.fromEntries(Object.entries(details).map(([key, value]) => [key, Buffer.from(value)]));
}
