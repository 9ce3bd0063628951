import { z } from 'zod';
import type { KubeObject, OriginalRef } from '../../plan.js';

/** The cloud-resource-operator's API group and version. */
export const CRO_GROUP = 'integreatly.org';
export const CRO_API_VERSION = `${CRO_GROUP}/v1alpha1`;

/** The operator's AWS strategy ConfigMap, in its own (watch) namespace: pkg/providers/aws DefaultConfigMapName. */
export const CRO_AWS_STRATEGIES = 'cloud-resources-aws-strategies';

/** Where the operator reads the cluster id: OpenShift's Infrastructure `cluster`. */
export const INFRASTRUCTURE = {
  apiVersion: 'config.openshift.io/v1',
  kind: 'Infrastructure',
  name: 'cluster',
};

/** The finalizer every cloud-resource-operator provider puts on what it reconciles. */
export const CRO_FINALIZER = 'cloud-resources-operator.integreatly.org/finalizers';

/**
 * Crossplane's pause annotation. A composite whose status must name the adopted object before its
 * first reconcile is written paused: the apply creates it, writes its status through the status
 * subresource, then removes the annotation. Stackplane keeps a recorded name (names are sticky).
 */
export { PAUSED as PAUSED_ANNOTATION } from '../../plan.js';

const secretRefSchema = z.object({ name: z.string().min(1), namespace: z.string().optional() });

/** apis/integreatly/v1alpha1/types ResourceTypeSpec and ResourceTypeStatus: what a service CR says. */
export const croServiceSchema = z.object({
  spec: z.object({
    type: z.string().min(1),
    tier: z.string().min(1),
    skipCreate: z.boolean().optional(),
    applyImmediately: z.boolean().optional(),
    maintenanceWindow: z.boolean().optional(),
    secretRef: secretRefSchema,
    size: z.string().optional(),
    snapshotFrequency: z.string().optional(),
    snapshotRetention: z.string().optional(),
  }),
  status: z
    .object({
      strategy: z.string().optional(),
      provider: z.string().optional(),
      version: z.string().optional(),
      secretRef: secretRefSchema.optional(),
      phase: z.string().optional(),
      message: z.string().optional(),
    })
    .default({}),
});
export type CroService = z.output<typeof croServiceSchema>;

/** PostgresSnapshotSpec / RedisSnapshotSpec and ResourceTypeSnapshotStatus. */
export const croSnapshotSchema = z.object({
  spec: z.object({ resourceName: z.string().min(1), skipDelete: z.boolean().optional() }),
  status: z
    .object({
      snapshotID: z.string().optional(),
      phase: z.string().optional(),
      message: z.string().optional(),
      strategy: z.string().optional(),
    })
    .default({}),
});
export type CroSnapshot = z.output<typeof croSnapshotSchema>;

/** The phases in which the operator has finished creating what the resource asks for. */
export const SETTLED_PHASES = ['complete', 'paused'];

/** Which original an entry is about. */
export function originalRef(object: KubeObject): OriginalRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
  };
}

/** The zod issues of a parse, each as `<path>: <message>`. */
export function issues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(object)'}: ${issue.message}`);
}

/** The cluster id the operator names AWS resources with: Infrastructure "cluster", status.infrastructureName. */
export function clusterId(objects: readonly KubeObject[]): string | undefined {
  const infrastructure = objects.find(
    (o) =>
      o.apiVersion === INFRASTRUCTURE.apiVersion &&
      o.kind === INFRASTRUCTURE.kind &&
      o.metadata.name === INFRASTRUCTURE.name,
  );
  const status = infrastructure?.['status'] as { infrastructureName?: unknown } | undefined;
  return typeof status?.infrastructureName === 'string' && status.infrastructureName !== ''
    ? status.infrastructureName
    : undefined;
}

/** One tier of the operator's strategy ConfigMap (cloud-resources-aws-strategies), as far as it is read. */
export interface CroStrategy {
  region?: string;
  /** The whole createStrategy, as the platform wrote it (it may pin an identifier). */
  create: Record<string, unknown>;
  /** The keys of createStrategy the platform set, which Stackplane's tier does not carry over. */
  createKeys: string[];
}

/**
 * The operator's AWS strategy for a resource type and tier: ConfigMap cloud-resources-aws-strategies,
 * key `<resource type>` (postgres, redis, blobstorage), a JSON object by tier. Undefined when the
 * ConfigMap, the key or the tier is absent or the JSON cannot be read.
 */
export function croAwsStrategy(
  objects: readonly KubeObject[],
  resourceType: string,
  tier: string,
): CroStrategy | undefined {
  const configMap = objects.find(
    (o) => o.apiVersion === 'v1' && o.kind === 'ConfigMap' && o.metadata.name === CRO_AWS_STRATEGIES,
  );
  const raw = (configMap?.['data'] as Record<string, string> | undefined)?.[resourceType];
  if (raw === undefined) return undefined;
  try {
    const tiers = JSON.parse(raw) as Record<string, { region?: unknown; createStrategy?: unknown }>;
    const found = tiers[tier];
    if (!found) return undefined;
    const create =
      typeof found.createStrategy === 'object' && found.createStrategy !== null
        ? (found.createStrategy as Record<string, unknown>)
        : {};
    return {
      ...(typeof found.region === 'string' && found.region !== '' ? { region: found.region } : {}),
      create,
      createKeys: Object.keys(create).sort(),
    };
  } catch {
    return undefined;
  }
}

/** The finalizers of the operator on an original, which release removes. */
export function croFinalizers(object: KubeObject): string[] {
  return (object.metadata.finalizers ?? []).filter((f) => f === CRO_FINALIZER);
}
