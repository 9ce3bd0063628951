import { z } from 'zod';
import type { CompositeKind } from '../definition.js';

/** DNS-1123 subdomain, the rule for StorageClass names. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A management endpoint of the block-storage cluster, `host:port`. */
export const endpointSchema = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:[0-9]{1,5}$/, 'must be host:port, for example 10.0.0.1:443')
  .describe('A management endpoint of the storage cluster, host:port.');

export const storageClassEntrySchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(253)
      .regex(DNS_1123_SUBDOMAIN, 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and "."')
      .describe('Name of the StorageClass created in the cluster (a DNS-1123 subdomain).'),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(3)
      .describe('How many copies of each volume the storage keeps (1-3).'),
    compression: z
      // The replaced controller took the string "true"; say what to write instead.
      .boolean({
        error: (issue) =>
          typeof issue.input === 'string'
            ? `must be a boolean: write compression: ${issue.input === 'false' ? 'false' : 'true'} without quotes`
            : undefined,
      })
      .optional()
      .describe(
        'Compress volume data. Defaults to true, and to false when encryption is on; ' +
          'true together with encryption is rejected.',
      ),
    encryption: z
      .boolean()
      .default(false)
      .describe(
        'Encrypt volumes on the host with the key in Secret storage-encryption-key of the claim namespace.',
      ),
    default: z.boolean().default(false).describe('Make this the cluster default StorageClass (at most one).'),
    reclaimPolicy: z
      .enum(['Delete', 'Retain'])
      .default('Retain')
      .describe(
        'What happens to a volume when its claim is deleted. Retain: storage volumes outlive clusters.',
      ),
    volumeBindingMode: z
      .enum(['Immediate', 'WaitForFirstConsumer'])
      .default('Immediate')
      .describe('When volumes are provisioned and bound.'),
  })
  .describe('A StorageClass to generate for the tenant.');

/**
 * The rules across entries that the API server enforces with the CEL rules below; the function checks
 * them again because a composite can reach it without passing the API server (crossplane render).
 */
function rejectContradictions(
  classes: z.output<typeof storageClassEntrySchema>[],
  ctx: z.RefinementCtx,
): void {
  const firstIndex = new Map<string, number>();
  classes.forEach((entry, index) => {
    const first = firstIndex.get(entry.name);
    if (first === undefined) firstIndex.set(entry.name, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `duplicate name "${entry.name}", already used by storageClasses[${first}]; give every entry its own name`,
      });
    if (entry.encryption && entry.compression === true)
      ctx.addIssue({
        code: 'custom',
        path: [index, 'compression'],
        message:
          'cannot be true when encryption is true (encrypted volumes are not compressed); remove it or set it to false',
      });
  });
  const defaults = classes.flatMap((entry, index) => (entry.default ? [`storageClasses[${index}]`] : []));
  if (defaults.length > 1)
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `at most one storage class can be the default, but ${defaults.join(' and ')} are; set default: false on all but one`,
    });
}

/** DNS-1123 label, the rule for namespace names. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The tenant's own cluster, reached through provider-kubernetes. */
export const targetSchema = z
  .object({
    namespace: z
      .string()
      .min(1)
      .max(63)
      .regex(DNS_1123_LABEL, 'must be a namespace name (a DNS-1123 label)')
      .describe(
        "The tenant's namespace in this (the management) cluster: it holds the provider-kubernetes " +
          'Objects, the storage Project, Credential and Token and the token Secret. One tenant per namespace.',
      ),
    providerConfigRef: z
      .object({
        kind: z
          .enum(['ProviderConfig', 'ClusterProviderConfig'])
          .default('ProviderConfig')
          .describe('A ProviderConfig in the target namespace (default), or a ClusterProviderConfig.'),
        name: z.string().min(1).describe('Name of the provider config.'),
      })
      .describe(
        "The provider-kubernetes (kubernetes.m.crossplane.io) config that reaches the tenant's cluster, " +
          'usually through its kubeconfig Secret.',
      ),
  })
  .describe(
    "Deploy into the tenant's own cluster through provider-kubernetes Objects instead of into this " +
      'cluster. Immutable.',
  )
  .meta({
    'x-kubernetes-validations': [
      {
        rule: 'self == oldSelf',
        message: 'target is immutable: create another StorageTenant for another cluster',
      },
    ],
  });

/** Exactly one of projectID and its former name metalProjectID. */
function requireOneProjectID(
  spec: { projectID?: string | undefined; metalProjectID?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (spec.projectID === undefined && spec.metalProjectID === undefined)
    ctx.addIssue({ code: 'custom', path: ['projectID'], message: 'is required (expected string)' });
  if (spec.projectID !== undefined && spec.metalProjectID !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['metalProjectID'],
      message: 'is the former name of spec.projectID: set only projectID',
    });
}

export const storageTenantSpecSchema = z
  .object({
    projectID: z
      .string()
      .min(1)
      .optional()
      .describe('The tenant cloud project id; volumes are created in the storage project of that name.')
      .meta({ 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'projectID is immutable' }] }),
    metalProjectID: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Deprecated: the former name of projectID, accepted with a warning so the replaced ' +
          "controller's resources apply unchanged. Rename it to projectID.",
      ),
    storageClasses: z
      .array(storageClassEntrySchema)
      .min(1)
      // Bounded so the API server can estimate the cost of the CEL rules below.
      .max(128)
      .superRefine(rejectContradictions)
      .describe('The StorageClasses to generate, one per entry; names are unique.')
      .meta({
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-validations': [
          {
            rule: 'self.filter(c, has(c.default) && c.default).size() <= 1',
            message: 'at most one storage class can be the default',
          },
          {
            rule: '!self.exists(c, has(c.encryption) && c.encryption && has(c.compression) && c.compression)',
            message: 'compression cannot be true when encryption is on',
          },
        ],
      }),
    endpoints: z
      .array(endpointSchema)
      .min(1)
      .max(16)
      .optional()
      .describe(
        'Management endpoints of the storage cluster. When absent they come from the platform ' +
          'EnvironmentConfig named in the Composition.',
      ),
    target: targetSchema.optional(),
  })
  .superRefine(requireOneProjectID)
  .describe('The desired storage tenant.')
  .meta({
    'x-kubernetes-validations': [
      {
        rule: 'has(self.projectID) != has(self.metalProjectID)',
        message: 'set spec.projectID (metalProjectID is its former name; set one, not both)',
      },
      {
        rule:
          '(has(self.projectID) ? self.projectID : self.metalProjectID) == ' +
          '(has(oldSelf.projectID) ? oldSelf.projectID : oldSelf.metalProjectID)',
        message: 'the project id is immutable: renaming metalProjectID to projectID must keep its value',
      },
      {
        rule: 'has(self.target) == has(oldSelf.target)',
        message: 'spec.target cannot be added or removed: create another StorageTenant for another cluster',
      },
    ],
  });

/** The tenant's cloud project id, under its current name or the former one. */
export function tenantProjectID(spec: {
  projectID?: string | undefined;
  metalProjectID?: string | undefined;
}): string {
  return spec.projectID ?? spec.metalProjectID ?? '';
}

export const storageTenantStatusSchema = z
  .object({
    storageClasses: z.array(z.string()).optional().describe('Names of the generated StorageClasses.'),
    defaultStorageClass: z.string().optional().describe('The StorageClass marked as the cluster default.'),
    volumeSnapshotClass: z.string().optional().describe('Name of the generated VolumeSnapshotClass.'),
    endpoints: z.string().optional().describe('The management endpoints in use, comma-separated.'),
    target: z
      .string()
      .optional()
      .describe(
        'Where the tenant objects go: "local", or the provider-kubernetes config of the tenant cluster.',
      ),
  })
  .describe('What was composed for the tenant.');

export type StorageTenantSpec = z.output<typeof storageTenantSpecSchema>;
export type StorageClassEntry = z.output<typeof storageClassEntrySchema>;

export const StorageTenant: CompositeKind<typeof storageTenantSpecSchema, typeof storageTenantStatusSchema> =
  {
    group: 'storage.stackplane.io',
    version: 'v1alpha1',
    kind: 'StorageTenant',
    // Cluster-scoped: it serves one tenant's project from the platform's storage endpoints.
    operatorOnly: true,
    plural: 'storagetenants',
    scope: 'Cluster',
    description:
      'A block-storage tenant: the storage project and token of one cloud project on the Lightbits ' +
      "storage cluster, and the CSI driver, StorageClasses and VolumeSnapshotClass in the tenant's cluster.",
    spec: storageTenantSpecSchema,
    status: storageTenantStatusSchema,
    printerColumns: [
      { name: 'PROJECT', type: 'string', jsonPath: '.spec.projectID' },
      { name: 'DEFAULT', type: 'string', jsonPath: '.status.defaultStorageClass' },
      { name: 'TARGET', type: 'string', jsonPath: '.status.target' },
      { name: 'CLASSES', type: 'string', jsonPath: '.status.storageClasses', priority: 1 },
    ],
  };
