import { z } from 'zod';
import { secretKeyReferenceSchema, secretReferenceSchema } from './common.js';
import { PROVIDER_CONFIG_GROUP } from './definition.js';

/** The Secret keys of the reseller credentials; the original operator's Region Secret has all three. */
export const RESELLER_SECRET_KEYS = {
  username: 'username',
  password: 'password',
  endpoint: 'endpoint',
} as const;

export const resellerCredentialsSchema = z
  .object({
    source: z
      .literal('Secret')
      .default('Secret')
      .describe('Where the credentials come from; only Secret is supported.'),
    secretRef: secretReferenceSchema.describe(
      'The Secret with keys `username` and `password`, and optionally `endpoint` (used when ' +
        'spec.endpoint is empty). The Region Secret of the original reseller operator works unchanged.',
    ),
  })
  .describe('The reseller API login.');

export const keystoneSchema = z
  .object({
    authURL: z
      .url()
      .describe('The Keystone v3 identity endpoint, for example https://identity.example.com:5000/v3.'),
    userDomainName: z
      .string()
      .min(1)
      .default('Default')
      .describe('The Keystone domain of the users the reseller API creates (OS_USER_DOMAIN_NAME).'),
  })
  .describe('The OpenStack identity service behind the reseller API, for user credentials.');

export const storageProviderConfigSchema = z
  .object({
    endpoints: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z0-9.\-[\]:]+:[0-9]{1,5}$/, 'must be host:port, for example 10.0.0.1:443')
          .describe('A management endpoint, host:port.'),
      )
      .min(1)
      .max(16)
      .describe('Management endpoints of the block-storage cluster (REST over HTTPS), tried in order.'),
    adminTokenSecretRef: secretKeyReferenceSchema.describe(
      'The cluster admin JWT the provider manages projects and credentials with.',
    ),
    adminPrivateKeySecretRef: secretKeyReferenceSchema.describe(
      'The PEM RSA private key that signs tenant tokens (RS256); its public key becomes each ' +
        "project's root credential.",
    ),
    caSecretRef: secretKeyReferenceSchema
      .optional()
      .describe('A PEM CA bundle to verify the management endpoints; the system roots when absent.'),
  })
  .describe('The block-storage (Lightbits LightOS) management API.');

/** The Secret keys of the region's compute credentials, named as in clouds.yaml. */
export const COMPUTE_SECRET_KEYS = {
  applicationCredentialID: 'application_credential_id',
  applicationCredentialSecret: 'application_credential_secret',
  username: 'username',
  password: 'password',
  projectName: 'project_name',
  userDomainName: 'user_domain_name',
  projectDomainName: 'project_domain_name',
} as const;

export const computeProviderConfigSchema = z
  .object({
    authURL: z.url().optional().describe("The region's Keystone v3 endpoint; default spec.keystone.authURL."),
    credentialsSecretRef: secretReferenceSchema.describe(
      'The Secret with an application credential (keys application_credential_id and ' +
        'application_credential_secret) or a user (username, password, project_name, optionally ' +
        'user_domain_name and project_domain_name, default Default) with the admin role Nova needs.',
    ),
    interface: z
      .enum(['public', 'internal', 'admin'])
      .default('public')
      .describe('Which catalog endpoint of Nova to call.'),
    endpoint: z
      .url()
      .optional()
      .describe('The Nova endpoint (…/v2.1), instead of the one in the Keystone catalog.'),
    caSecretRef: secretKeyReferenceSchema
      .optional()
      .describe('A PEM CA bundle that verifies Keystone and Nova; the system roots when absent.'),
  })
  .describe("The region's compute service (Nova), for ComputeServices; spec.regionName picks the region.");

export const webhookProviderConfigSchema = z
  .object({
    allowedTargets: z
      .array(
        z
          .string()
          .min(1)
          .max(253)
          .regex(/^[A-Za-z0-9.:-]+(\/[0-9]{1,3})?$/, 'must be a host name, an IP address or a CIDR')
          .describe('A host name (matched exactly), an IP address or a CIDR such as 10.0.0.0/8.'),
      )
      .max(64)
      .default([])
      .describe(
        'Webhook targets outside the public internet that WebhookNotifications may reach. A webhook URL ' +
          "comes from a Secret in the resource's namespace, so the provider refuses loopback, private, " +
          'link-local (cloud metadata), unique-local and cluster-internal addresses unless listed here. ' +
          'The check applies to the resolved address, before a connection opens.',
      ),
  })
  .describe('What WebhookNotifications of this provider config may reach.');

export const providerConfigSpecSchema = z
  .object({
    endpoint: z
      .url()
      .optional()
      .describe('Base URL of the reseller API; when empty, the `endpoint` key of the credentials Secret.'),
    allowInsecureHTTP: z
      .boolean()
      .default(false)
      .describe(
        'Allow an http:// reseller API endpoint and Keystone authURL (spec.keystone and spec.compute). The credentials then travel in clear ' +
          'text, so the provider refuses such endpoints unless this is true (for loopback test setups only).',
      ),
    credentials: resellerCredentialsSchema.optional(),
    keystone: keystoneSchema.optional(),
    regionName: z
      .string()
      .min(1)
      .optional()
      .describe('The OpenStack region published to users (OS_REGION_NAME).'),
    storage: storageProviderConfigSchema.optional(),
    compute: computeProviderConfigSchema.optional(),
    webhook: webhookProviderConfigSchema.optional(),
  })
  .describe('How provider-stackplane reaches the reseller API, the block-storage API, Nova and webhooks.');

export const providerConfigStatusSchema = z
  .object({
    projectPrefix: z
      .string()
      .optional()
      .describe('The prefix the reseller API puts before every project name of these credentials.'),
    users: z.number().int().optional().describe('How many managed resources use this provider config.'),
  })
  .describe('What the provider learned from the APIs.');

export type ProviderConfigSpec = z.output<typeof providerConfigSpecSchema>;
export type StorageProviderConfig = z.output<typeof storageProviderConfigSchema>;

/** ProviderConfig (namespaced) and ClusterProviderConfig share one spec; scope is a parameter. */
export const providerConfigKinds = [
  {
    group: PROVIDER_CONFIG_GROUP,
    version: 'v1alpha1',
    kind: 'ProviderConfig',
    plural: 'providerconfigs',
    scope: 'Namespaced',
  },
  {
    group: PROVIDER_CONFIG_GROUP,
    version: 'v1alpha1',
    kind: 'ClusterProviderConfig',
    plural: 'clusterproviderconfigs',
    scope: 'Cluster',
  },
] as const;
