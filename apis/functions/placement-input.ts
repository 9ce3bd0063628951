import { z } from 'zod';
import type { InputKind } from '../definition.js';

const providerConfigRefSchema = z
  .object({
    kind: z
      .enum(['ProviderConfig', 'ClusterProviderConfig'])
      .describe('ProviderConfig (in the XR namespace) or ClusterProviderConfig.'),
    name: z.string().min(1).optional().describe('Its name; see the default of each backend.'),
  })
  .strict();

export const placementInputSchema = z.object({
  database: z
    .object({
      backend: z
        .enum(['sql-provider', 'mariadb-operator'])
        .default('sql-provider')
        .describe(
          'sql-provider: Database, User and Grant of provider-sql (mysql.sql.m.crossplane.io); ' +
            'mariadb-operator: the same kinds of k8s.mariadb.com for clusters running the MariaDB operator.',
        ),
      providerConfigRef: providerConfigRefSchema
        .default({ kind: 'ProviderConfig' })
        .describe(
          'sql-provider only: the provider config of the database server. Without a name, the ' +
            'PlacementAPI spec.databaseInstance names it.',
        ),
      hostnameSuffix: z
        .string()
        .default('.svc')
        .describe(
          'The database host is <databaseInstance>.<namespace><hostnameSuffix>, the Service of the server.',
        ),
    })
    .strict()
    .default({
      backend: 'sql-provider',
      providerConfigRef: { kind: 'ProviderConfig' },
      hostnameSuffix: '.svc',
    })
    .describe('How the placement database and account are made.'),
  keystone: z
    .object({
      backend: z
        .enum(['openstack-provider', 'keystone-operator'])
        .default('openstack-provider')
        .describe(
          'openstack-provider: ServiceV3, EndpointV3, UserV3 and RoleAssignmentV3 of provider-openstack ' +
            '(identity.openstack.m.crossplane.io); keystone-operator: KeystoneService and KeystoneEndpoint ' +
            '(keystone.openstack.org/v1beta1).',
        ),
      providerConfigRef: providerConfigRefSchema
        .default({ kind: 'ClusterProviderConfig', name: 'default' })
        .describe('openstack-provider only: the provider config of the cloud.'),
      internalURL: z
        .string()
        .optional()
        .describe(
          'Keystone internal URL for keystone_authtoken; default http://keystone-internal.<namespace>.svc:5000.',
        ),
      publicURL: z
        .string()
        .optional()
        .describe(
          'Keystone public URL clients are sent to; default http://keystone-public.<namespace>.svc:5000.',
        ),
      serviceProjectID: z
        .string()
        .min(1)
        .optional()
        .describe(
          'openstack-provider only: id of the service project; the service user gets its role there.',
        ),
      serviceRoleID: z
        .string()
        .min(1)
        .optional()
        .describe(
          'openstack-provider only: id of the role (admin) the service user gets in the service project.',
        ),
    })
    .strict()
    .default({
      backend: 'openstack-provider',
      providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
    })
    .describe('How placement is registered in Keystone.'),
});

export type PlacementInput = z.output<typeof placementInputSchema>;

export const PlacementAPIInput: InputKind<typeof placementInputSchema> = {
  group: 'fn.stackplane.io',
  version: 'v1alpha1',
  kind: 'PlacementAPI',
  plural: 'placementapis',
  description:
    'Input of the step that composes an OpenStack Placement service: the database and Keystone backends.',
  schema: placementInputSchema,
};
