import type { KubeObject } from '../../types.js';
import { metaOf, PROVIDER_CONFIG_API_VERSION, REGION_KIND, specOf } from './resources.js';

/** What the credentials of a region need from its ClusterProviderConfig. */
export interface Region {
  name: string;
  /** Keystone of the region, for OS_AUTH_URL. */
  authURL: string | undefined;
  /** The OpenStack region name, for OS_REGION_NAME. */
  regionName: string | undefined;
}

interface ProviderConfigSpec {
  endpoint?: string;
  keystone?: { authURL?: string };
  regionName?: string;
}

/** The region of that name among the fetched ClusterProviderConfigs. */
export function findRegion(configs: readonly KubeObject[], name: string): Region | undefined {
  const config = configs.find((c) => metaOf(c).name === name);
  if (!config) return undefined;
  const spec = specOf<ProviderConfigSpec>(config);
  return {
    name,
    authURL: spec.keystone?.authURL ?? keystoneOf(spec.endpoint),
    regionName: spec.regionName,
  };
}

/** Keystone on port 5000 of the reseller API's host, where the original found it. */
function keystoneOf(endpoint: string | undefined): string | undefined {
  if (!endpoint || !URL.canParse(endpoint)) return undefined;
  const url = new URL(endpoint);
  return `${url.protocol}//${url.hostname}:5000/v3`;
}

/** Why a region name is unknown, and how to fix it. */
export function unknownRegionProblem(name: string, configs: readonly KubeObject[]): string {
  const known = configs.flatMap((c) => metaOf(c).name ?? []).sort();
  const choices = known.length > 0 ? `set it to one of: ${known.join(', ')}` : 'no region exists yet';
  return (
    `no region "${name}": there is no ${REGION_KIND} (${PROVIDER_CONFIG_API_VERSION}) of that name; ` +
    `${choices}, or ask the platform team to create ${REGION_KIND} "${name}" with the region's ` +
    'endpoint, credentials.secretRef, keystone.authURL and regionName'
  );
}
