import { stringify } from 'yaml';
import type { Region } from './regions.js';

/** A project the user is a member of, as OpenStack names it. */
export interface MemberProject {
  /** The Project composite's name, naming the cloud in clouds.yaml. */
  name: string;
  /** The full OpenStack project name, with the customer prefix. */
  fullName: string;
}

/** What the credentials for one region are made of. The first project is the user's default. */
export interface RegionAccess {
  region: Region;
  projects: MemberProject[];
}

/** An application credential of a binding, from the Secret the provider wrote. */
export interface ApplicationCredential {
  binding: string;
  region: Region;
  project: string;
  id: string;
  secret: string;
}

export const IDENTITY_API_VERSION = '3';

/** The user domain: the part of the full project name before the first "-" (the customer prefix). */
export const domainOf = (fullProjectName: string): string => fullProjectName.split('-')[0] ?? fullProjectName;

/** The clouds.yaml cloud name of a project: `<region>/<project>`. */
export const cloudName = (region: string, project: string): string => `${region}/${project}`;

/**
 * The keys of the user's Secret, as plain strings: `username` and `password` as the original had
 * them; `clouds.yaml` with a cloud per region and project (and per application credential);
 * `<region>.OS_*` per region for the region's default project, and plain `OS_*` for the first region,
 * so `envFrom` works for a user in one region.
 */
export function userSecretData(
  login: string,
  password: string,
  access: readonly RegionAccess[],
  appCreds: readonly ApplicationCredential[],
): Record<string, string> {
  const data: Record<string, string> = { username: login, password };
  const clouds: Record<string, unknown> = {};
  access.forEach(({ region, projects }, index) => {
    const [defaultProject] = projects;
    if (!defaultProject) return;
    const domain = domainOf(defaultProject.fullName);
    const env: Record<string, string> = {
      OS_AUTH_URL: region.authURL ?? '',
      OS_USERNAME: login,
      OS_PASSWORD: password,
      OS_USER_DOMAIN_NAME: domain,
      OS_PROJECT_NAME: defaultProject.fullName,
      OS_PROJECT_DOMAIN_NAME: domain,
      OS_REGION_NAME: region.regionName ?? region.name,
      OS_IDENTITY_API_VERSION: IDENTITY_API_VERSION,
      OS_INTERFACE: 'public',
    };
    for (const [key, value] of Object.entries(env)) {
      data[`${region.name}.${key}`] = value;
      if (index === 0) data[key] = value;
    }
    for (const project of projects) {
      clouds[cloudName(region.name, project.name)] = {
        auth: {
          auth_url: region.authURL ?? '',
          username: login,
          password,
          user_domain_name: domainOf(project.fullName),
          project_name: project.fullName,
          project_domain_name: domainOf(project.fullName),
        },
        region_name: region.regionName ?? region.name,
        interface: 'public',
        identity_api_version: Number(IDENTITY_API_VERSION),
      };
    }
  });
  for (const cred of appCreds) {
    data[`${cred.binding}.application-credential-id`] = cred.id;
    data[`${cred.binding}.application-credential-secret`] = cred.secret;
    clouds[`${cloudName(cred.region.name, cred.project)}/${cred.binding}`] = {
      auth_type: 'v3applicationcredential',
      auth: {
        auth_url: cred.region.authURL ?? '',
        application_credential_id: cred.id,
        application_credential_secret: cred.secret,
      },
      region_name: cred.region.regionName ?? cred.region.name,
      interface: 'public',
      identity_api_version: Number(IDENTITY_API_VERSION),
    };
  }
  data['clouds.yaml'] = stringify({ clouds }, { lineWidth: 0 });
  return data;
}
