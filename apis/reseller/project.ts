import { z } from 'zod';
import type { CompositeKind } from '../definition.js';
import { RESELLER_GROUP, descriptionSchema, immutable } from './common.js';

const count = (min: number, max?: number) => {
  const base = z.number().int().min(min);
  return max === undefined ? base : base.max(max);
};

/** Compute quotas, with the reseller API's field names and limits (ComputeQuotas). */
export const computeQuotasSchema = z
  .object({
    instances: count(0).describe('Servers.'),
    cores: count(0, 500).optional().describe('vCPUs (0-500).'),
    ram: count(0, 1907348).optional().describe('RAM in MiB (0-1907348).'),
    floating_ips: count(-1, 100).optional().describe('Floating IPs (-1 for unlimited, at most 100).'),
    fixed_ips: count(-1).optional().describe('Fixed IPs (-1 for unlimited).'),
    key_pairs: count(0).describe('Key pairs.'),
    metadata_items: count(0).describe('Metadata items per server.'),
    security_groups: count(-1).optional().describe('Security groups (-1 for unlimited).'),
    security_group_rules: count(-1).optional().describe('Security group rules (-1 for unlimited).'),
    server_groups: count(0).describe('Server groups.'),
    server_group_members: count(0).optional().describe('Servers per server group.'),
    injected_files: count(0).optional().describe('Injected files.'),
    injected_file_content_bytes: count(0).optional().describe('Bytes per injected file.'),
    injected_file_path_bytes: count(0).optional().describe('Bytes per injected file path.'),
  })
  .strict()
  .describe('Compute (nova) quotas.');

/** Volume quotas (VolumeQuotas). */
export const volumeQuotasSchema = z
  .object({
    volumes: count(0).describe('Volumes.'),
    gigabytes: count(0, 35000).optional().describe('Volume storage in GiB (0-35000).'),
    per_volume_gigabytes: count(-1).optional().describe('Largest volume in GiB (-1 for unlimited).'),
    snapshots: count(0, 100).optional().describe('Snapshots (0-100).'),
    backups: count(0).describe('Backups.'),
    backup_gigabytes: count(0).describe('Backup storage in GiB.'),
    groups: count(0).optional().describe('Volume groups.'),
  })
  .strict()
  .describe('Volume (cinder) quotas.');

/** Network quotas (NetworkQuotas). */
export const networkQuotasSchema = z
  .object({
    network: count(0).describe('Networks.'),
    subnet: count(0).describe('Subnets.'),
    subnetpool: count(-1).optional().describe('Subnet pools (-1 for unlimited).'),
    port: count(0).optional().describe('Ports.'),
    router: count(0).describe('Routers.'),
    floatingip: count(-1, 100).optional().describe('Floating IPs (-1 for unlimited, at most 100).'),
    rbac_policy: count(0).optional().describe('RBAC policies.'),
    security_group: count(0).describe('Security groups.'),
    security_group_rule: count(0).describe('Security group rules.'),
  })
  .strict()
  .describe('Network (neutron) quotas.');

/** The original operator's quotas for a block left out. */
export const DEFAULT_QUOTAS = {
  compute: {
    instances: 64,
    cores: 64,
    floating_ips: 10,
    ram: 262144,
    key_pairs: 500,
    security_groups: 500,
    security_group_rules: 500,
    server_groups: 10,
    server_group_members: 15,
    metadata_items: 100,
  },
  volume: { gigabytes: 2000, volumes: 500, snapshots: 99, backups: 99, backup_gigabytes: 2000 },
  network: {
    floatingip: 10,
    network: 10,
    router: 10,
    security_group: 500,
    security_group_rule: 500,
    subnet: 100,
  },
};

export const quotasSchema = z
  .object({
    compute: computeQuotasSchema.default(DEFAULT_QUOTAS.compute),
    volume: volumeQuotasSchema.default(DEFAULT_QUOTAS.volume),
    network: networkQuotasSchema.default(DEFAULT_QUOTAS.network),
  })
  .strict()
  .default(DEFAULT_QUOTAS)
  .describe('Quotas of the project; a block left out gets the original operator defaults.');

export const projectSpecSchema = z
  .object({
    region: z
      .string()
      .min(1)
      .max(253)
      .describe('The region: name of the provider-stackplane ClusterProviderConfig of the reseller account.')
      .meta(immutable('region')),
    description: descriptionSchema,
    enabled: z.boolean().default(true).describe('Whether the project is enabled.'),
    networkPreconfigure: z
      .boolean()
      .default(false)
      .describe('Let the API create one router, subnet, network and security groups on creation.'),
    quotas: quotasSchema,
  })
  .describe('An OpenStack project on the reseller account of a region.');

export const projectStatusSchema = z
  .object({
    openstackName: z
      .string()
      .optional()
      .describe('The unique project name Stackplane derived (the API prepends the customer prefix).'),
    fullName: z.string().optional().describe('The project name in OpenStack, with the customer prefix.'),
    projectID: z.string().optional().describe('The OpenStack project id.'),
    region: z.string().optional().describe('The region the project lives in.'),
    members: z
      .array(z.string())
      .optional()
      .describe('UserProjectBindings of this project; deleting the project waits for them.'),
  })
  .describe('What was decided and observed for the project.');

export type ProjectSpec = z.output<typeof projectSpecSchema>;

export const Project: CompositeKind<typeof projectSpecSchema, typeof projectStatusSchema> = {
  group: RESELLER_GROUP,
  version: 'v1alpha1',
  kind: 'Project',
  plural: 'projects',
  scope: 'Namespaced',
  description: 'An OpenStack project on a reseller account, named uniquely across clusters.',
  spec: projectSpecSchema,
  status: projectStatusSchema,
  printerColumns: [
    { name: 'REGION', type: 'string', jsonPath: '.spec.region' },
    { name: 'OPENSTACK NAME', type: 'string', jsonPath: '.status.openstackName' },
    { name: 'PROJECT ID', type: 'string', jsonPath: '.status.projectID' },
  ],
};
