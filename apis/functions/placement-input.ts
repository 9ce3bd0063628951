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

/** How the platform exposes the public endpoint outside the cluster. */
export const publicEndpointSchema = z
  .object({
    expose: z
      .enum(['Service', 'Route', 'Ingress'])
      .default('Service')
      .describe(
        'Service: the placement-public Service only (its type from spec.override); Route: an OpenShift ' +
          'Route, as the original operator made; Ingress: a networking.k8s.io Ingress. The Route or ' +
          "Ingress URL is registered in Keystone as the public endpoint, https when the spec's public " +
          'endpoint has a certificate.',
      ),
    domain: z
      .string()
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        'must be a DNS domain, for example apps.example.com',
      )
      .optional()
      .describe(
        'Route and Ingress: the host is placement-public-<namespace>.<domain>, unless the spec names one ' +
          'in override.service.public.endpointURL.',
      ),
    ingressClassName: z.string().min(1).optional().describe('Ingress only: its ingressClassName.'),
    annotations: z
      .record(z.string(), z.string())
      .optional()
      .describe('Annotations of the Route or Ingress, for example for cert-manager or the router.'),
  })
  .strict()
  .describe('How the public endpoint is reached from outside the cluster.');

/** A provider-openstack managed resource found by its name, when no id is configured. */
const mrRefSchema = (name: string, kind: string, what: string) =>
  z
    .object({
      name: z.string().min(1).default(name).describe(`Name of the ${kind}.`),
      namespace: z.string().min(1).optional().describe("Its namespace; the PlacementAPI's own when not set."),
    })
    .strict()
    .prefault({})
    .describe(
      `openstack-provider only, when no id is set: the ${kind} (typically an observe-only import of ${what} ` +
        'of the cloud) whose id the role assignment references.',
    );

export const placementInputSchema = z.object({
  publicEndpoint: publicEndpointSchema.prefault({}),
  database: z
    .object({
      backend: z
        .enum(['sql-provider', 'mariadb-operator', 'openstack-mariadb-operator'])
        .default('sql-provider')
        .describe(
          'sql-provider: Database, User and Grant of provider-sql (mysql.sql.m.crossplane.io); ' +
            'mariadb-operator: the same kinds of k8s.mariadb.com for clusters running the MariaDB operator; ' +
            "openstack-mariadb-operator: MariaDBDatabase and MariaDBAccount of openstack-k8s-operators' " +
            'mariadb-operator (mariadb.openstack.org), named as the placement-operator named them, for a ' +
            'PlacementAPI migrated from it (it keeps the recorded account and its password Secret).',
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
      serviceProjectRef: mrRefSchema('service', 'ProjectV3', 'the service project'),
      serviceRoleRef: mrRefSchema('admin', 'RoleV3', 'the admin role'),
    })
    .strict()
    .prefault({})
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
