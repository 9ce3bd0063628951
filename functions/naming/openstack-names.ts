import { EMAIL_PATTERN } from '../../apis/reseller/email.js';
import { uniqueJoin, uniqueName, type NameLimits, type NameOptions, type NameParts } from './unique-name.js';

export { EMAIL_PATTERN };

/** The reseller API's pattern for project names (ProjectCreate.name). */
export const PROJECT_NAME_PATTERN = /^(?:\w|-)+$/;

/** Limits of a login's local part: 64 characters; Kubernetes names only hold a-z, 0-9, "." and "-". */
const LOGIN_LOCAL_PART: NameLimits = { maxLength: 64, lowercase: true, invalid: /[^a-z0-9.-]/g };

/** The project name sent to the API, `<controller-id>-<namespace>-<name>`; the API prepends its prefix. */
export function openstackProjectName(parts: NameParts, options: NameOptions & { maxLength: number }): string {
  const limits: NameLimits = { maxLength: options.maxLength, lowercase: false, invalid: /[^\w-]/g };
  return uniqueName(parts, limits, { ...(options.original ? { original: true } : {}) });
}

/**
 * The OpenStack login, `<name>-<namespace>@<controller-id>.k8s`. Unambiguous when the namespace has
 * no "-" (the name may); otherwise, or when too long, the local part gets a stable hash.
 */
export function openstackLogin(parts: NameParts, options: NameOptions = {}): string {
  const local = uniqueJoin([parts.name, parts.namespace], LOGIN_LOCAL_PART, { ...options, free: 0 });
  return `${local}@${parts.controllerId}.k8s`;
}

/** Limits of a Kubernetes object name (DNS-1123 subdomain). */
export const KUBERNETES_NAME: NameLimits = { maxLength: 253, lowercase: true, invalid: /[^a-z0-9.-]/g };

/**
 * Name of the provider User of a reseller User in one region: `<user>-<region>`, unique per pair. A
 * Kubernetes name in the user's own namespace, not an external one, recomputed on every run (not
 * sticky: a changed name would delete the regional user), whose region is a ClusterProviderConfig
 * the platform named: so a region that ends like a hash keeps its plain name.
 */
export function regionalUserName(user: string, region: string): string {
  return uniqueJoin([user, region], KUBERNETES_NAME, { free: 0, platformLast: true });
}
