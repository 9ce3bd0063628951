import { z } from 'zod';

/** One quota field: its API name and the API's limits and default (from the reseller OpenAPI file). */
export interface QuotaField {
  api: string;
  min: number;
  max?: number;
  default?: number;
  description: string;
}

/** Compute quotas, camelCase for Kubernetes, with the API's snake_case names. */
export const computeQuotaFields = {
  cores: { api: 'cores', min: 0, max: 500, default: 40, description: 'Virtual CPUs.' },
  fixedIPs: { api: 'fixed_ips', min: -1, default: -1, description: 'Fixed IPs; -1 is unlimited.' },
  floatingIPs: {
    api: 'floating_ips',
    min: -1,
    max: 100,
    default: -1,
    description: 'Floating IPs; -1 is unlimited.',
  },
  injectedFileContentBytes: {
    api: 'injected_file_content_bytes',
    min: 0,
    default: 10240,
    description: 'Bytes of content per injected file.',
  },
  injectedFilePathBytes: {
    api: 'injected_file_path_bytes',
    min: 0,
    default: 255,
    description: 'Bytes of each injected file path.',
  },
  injectedFiles: { api: 'injected_files', min: 0, default: 5, description: 'Injected files per instance.' },
  instances: {
    api: 'instances',
    min: 0,
    description: 'Instances. No API default: kept as it is when left out.',
  },
  keyPairs: {
    api: 'key_pairs',
    min: 0,
    description: 'Key pairs. No API default: kept as it is when left out.',
  },
  metadataItems: {
    api: 'metadata_items',
    min: 0,
    description: 'Metadata items per instance. No API default: kept as it is when left out.',
  },
  ram: { api: 'ram', min: 0, max: 1907348, default: 51200, description: 'RAM in MiB.' },
  securityGroupRules: {
    api: 'security_group_rules',
    min: -1,
    default: -1,
    description: 'Security group rules; -1 is unlimited.',
  },
  securityGroups: {
    api: 'security_groups',
    min: -1,
    default: -1,
    description: 'Security groups; -1 is unlimited.',
  },
  serverGroupMembers: {
    api: 'server_group_members',
    min: 0,
    default: 10,
    description: 'Members per server group.',
  },
  serverGroups: {
    api: 'server_groups',
    min: 0,
    description: 'Server groups. No API default: kept as it is when left out.',
  },
} as const satisfies Record<string, QuotaField>;

/** Block-storage (Cinder) quotas. */
export const volumeQuotaFields = {
  volumes: { api: 'volumes', min: 0, description: 'Volumes. No API default: kept as it is when left out.' },
  perVolumeGigabytes: {
    api: 'per_volume_gigabytes',
    min: -1,
    default: -1,
    description: 'Largest volume in GiB; -1 is unlimited.',
  },
  snapshots: { api: 'snapshots', min: 0, max: 100, default: 50, description: 'Volume snapshots.' },
  gigabytes: {
    api: 'gigabytes',
    min: 0,
    max: 35000,
    default: 2000,
    description: 'GiB of all volumes and snapshots.',
  },
  backups: {
    api: 'backups',
    min: 0,
    description: 'Volume backups. No API default: kept as it is when left out.',
  },
  backupGigabytes: {
    api: 'backup_gigabytes',
    min: 0,
    description: 'GiB of all backups. No API default: kept as it is when left out.',
  },
  groups: { api: 'groups', min: 0, default: 10, description: 'Volume groups.' },
} as const satisfies Record<string, QuotaField>;

/** Network (Neutron) quotas. */
export const networkQuotaFields = {
  network: { api: 'network', min: 0, description: 'Networks. No API default: kept as it is when left out.' },
  subnet: { api: 'subnet', min: 0, description: 'Subnets. No API default: kept as it is when left out.' },
  subnetpool: { api: 'subnetpool', min: -1, default: -1, description: 'Subnet pools; -1 is unlimited.' },
  port: { api: 'port', min: 0, default: 500, description: 'Ports.' },
  router: { api: 'router', min: 0, description: 'Routers. No API default: kept as it is when left out.' },
  floatingip: {
    api: 'floatingip',
    min: -1,
    max: 100,
    default: 8,
    description: 'Floating IPs; -1 is unlimited.',
  },
  rbacPolicy: { api: 'rbac_policy', min: 0, default: 10, description: 'RBAC policies.' },
  securityGroup: {
    api: 'security_group',
    min: 0,
    description: 'Security groups. No API default: kept as it is when left out.',
  },
  securityGroupRule: {
    api: 'security_group_rule',
    min: 0,
    description: 'Security group rules. No API default: kept as it is when left out.',
  },
} as const satisfies Record<string, QuotaField>;

/**
 * The zod object of one service's quotas. Every field is optional; a field with an API default gets
 * it (so `compute: {}` means "the API's compute defaults"), the others stay as the project has them.
 */
function quotaSchema<Fields extends Record<string, QuotaField>>(fields: Fields, description: string) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(fields)) {
    let number = z.number().int().min(field.min);
    if (field.max !== undefined) number = number.max(field.max);
    const limits = `Minimum ${field.min}${field.max === undefined ? '' : `, maximum ${field.max}`}`;
    shape[name] =
      field.default === undefined
        ? number.optional().describe(`${field.description} ${limits}.`)
        : number.default(field.default).describe(`${field.description} ${limits}, default ${field.default}.`);
  }
  return z
    .object(shape as { [K in keyof Fields]: z.ZodType<number | undefined, number | undefined> })
    .describe(description);
}

export const computeQuotasSchema = quotaSchema(computeQuotaFields, 'Compute (Nova) quotas of the project.');
export const volumeQuotasSchema = quotaSchema(
  volumeQuotaFields,
  'Block-storage (Cinder) quotas of the project.',
);
export const networkQuotasSchema = quotaSchema(
  networkQuotaFields,
  'Network (Neutron) quotas of the project.',
);

export const projectQuotasSchema = z
  .object({
    compute: computeQuotasSchema.optional(),
    volume: volumeQuotasSchema.optional(),
    network: networkQuotasSchema.optional(),
  })
  .describe('Quotas per service; a service left out keeps whatever quotas the project has.');

/** Quotas per service with camelCase fields; undefined fields are not managed. */
export type ProjectQuotas = {
  compute?: Partial<Record<keyof typeof computeQuotaFields, number | undefined>> | undefined;
  volume?: Partial<Record<keyof typeof volumeQuotaFields, number | undefined>> | undefined;
  network?: Partial<Record<keyof typeof networkQuotaFields, number | undefined>> | undefined;
};

/** The field tables per service, for mapping to and from the API. */
export const quotaFields = {
  compute: computeQuotaFields,
  volume: volumeQuotaFields,
  network: networkQuotaFields,
} as const;
