import type { KubeObject } from '../../plan.js';
import { croInfraName, RESOURCE_IDENTIFIER_ANNOTATION } from './names.js';
import { clusterId, croAwsStrategy } from './originals.js';
import type { ResourceType } from './platform.js';

/** The createStrategy field that pins an identifier for every resource of a tier, by resource type. */
const PINNED_BY_STRATEGY: Partial<Record<ResourceType, string>> = {
  postgres: 'DBInstanceIdentifier',
  redis: 'ReplicationGroupId',
};

/**
 * The AWS name of an original's cloud object, as the operator chose it: a createStrategy of the
 * tier that pins one (platform configuration), else its naming rule over the cluster id and the
 * original's own namespace and name. The operator's resourceIdentifier annotation is only checked
 * against that, never taken alone: annotations are the tenant's to edit, and a tenant must adopt
 * only what the operator created for its namespace.
 */
export function awsIdentifier(
  object: KubeObject,
  kind: { resourceType: ResourceType; adopts: string },
  tier: string,
  objects: readonly KubeObject[],
): { name: string; from: string } | { refused: string } {
  const field = PINNED_BY_STRATEGY[kind.resourceType];
  const pinned = field ? croAwsStrategy(objects, kind.resourceType, tier)?.create[field] : undefined;
  const id = clusterId(objects);
  const own =
    typeof pinned === 'string' && pinned !== ''
      ? { name: pinned, from: `createStrategy.${field} of the original's tier ${tier}` }
      : id !== undefined
        ? {
            name: croInfraName(id, object.metadata.namespace ?? '', object.metadata.name),
            from: `the operator's naming rule with cluster id ${id}`,
          }
        : undefined;
  if (own === undefined)
    return {
      refused:
        'Infrastructure "cluster" (config.openshift.io/v1) is not in the inventory, so the name the operator ' +
        `gave the ${kind.adopts} is unknown; read the originals from the cluster, or add that Infrastructure ` +
        'to the files, and plan again',
    };
  const annotated = object.metadata.annotations?.[RESOURCE_IDENTIFIER_ANNOTATION];
  if (annotated !== undefined && annotated !== own.name)
    return {
      refused:
        `metadata.annotations.${RESOURCE_IDENTIFIER_ANNOTATION} "${annotated}" is not the name the operator ` +
        `gives this resource (${own.name}, from ${own.from}): annotations are the tenant's to edit, so only ` +
        `the operator's own name is adopted; if ${annotated} truly holds this resource's data, the platform ` +
        'hands it over by hand; otherwise remove the annotation and plan again',
    };
  return own;
}
