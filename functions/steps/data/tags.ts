import type { ResourceType } from '../../../apis/functions/data-service-input.js';

/** Tag keys on every cloud resource, so a shared AWS account tells whose resource is whose. */
export const TAG_KEYS = {
  clusterId: 'stackplane.io/cluster-id',
  resourceType: 'stackplane.io/resource-type',
  resourceName: 'stackplane.io/resource-name',
  productName: 'stackplane.io/product-name',
} as const;

/** The tags of a cloud resource: cluster id, resource type, `<namespace>/<name>` and product name. */
export function cloudTags(options: {
  controllerId: string;
  resourceType: ResourceType;
  namespace: string;
  name: string;
  productName?: string | undefined;
}): Record<string, string> {
  return {
    [TAG_KEYS.clusterId]: options.controllerId,
    [TAG_KEYS.resourceType]: options.resourceType,
    [TAG_KEYS.resourceName]: `${options.namespace}/${options.name}`,
    ...(options.productName ? { [TAG_KEYS.productName]: options.productName } : {}),
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
