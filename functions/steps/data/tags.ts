import type { ResourceType, TagSettings } from '../../../apis/functions/data-service-input.js';

/** The facts every cloud resource is tagged with, so a shared AWS account tells whose it is. */
export interface TagFacts {
  controllerId: string;
  resourceType: string;
  namespace: string;
  name: string;
  productName?: string | undefined;
  /** The deployment type (spec.type) the resource was asked for. */
  deploymentType?: string | undefined;
}

/**
 * The tags of a cloud resource: cluster id, resource type, `<namespace>/<name>`, product name and
 * deployment type, under the platform's prefix and keys (by default `stackplane.io/cluster-id`, ...).
 */
export function cloudTags(facts: TagFacts, settings: TagSettings): Record<string, string> {
  const key = (name: keyof TagSettings['keys']) => `${settings.prefix}${settings.keys[name]}`;
  return {
    [key('clusterId')]: facts.controllerId,
    [key('resourceType')]: facts.resourceType,
    [key('resourceName')]: `${facts.namespace}/${facts.name}`,
    ...(facts.productName ? { [key('productName')]: facts.productName } : {}),
    ...(facts.deploymentType ? { [key('deploymentType')]: facts.deploymentType } : {}),
  };
}

/** Tags of a resource shared by many composites (an SES identity): whose cluster, and what it is. */
export function sharedTags(
  facts: Pick<TagFacts, 'controllerId' | 'resourceType'>,
  settings: TagSettings,
): Record<string, string> {
  return {
    [`${settings.prefix}${settings.keys.clusterId}`]: facts.controllerId,
    [`${settings.prefix}${settings.keys.resourceType}`]: facts.resourceType,
  };
}

/** Labels on every object composed in the user's namespace. */
export function workloadLabels(resourceType: ResourceType, xrName: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': resourceType,
    'app.kubernetes.io/instance': xrName,
    'app.kubernetes.io/managed-by': 'stackplane',
  };
}
