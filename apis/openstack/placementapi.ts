import { z } from 'zod';
import type { CompositeKind } from '../definition.js';

/** The upstream image the original operator falls back to. */
export const DEFAULT_PLACEMENT_IMAGE =
  'quay.io/podified-antelope-centos9/openstack-placement-api:current-podified';

/** The endpoints a PlacementAPI serves; override.service and tls.api accept no others. */
export const ENDPOINTS = ['internal', 'public'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** The config files defaultConfigOverwrite may replace. */
export const OVERWRITABLE_FILES = ['policy.yaml'] as const;

const stringMap = (what: string) => z.record(z.string(), z.string()).describe(what);

/** A Kubernetes quantity, written as a string ("500m", "1Gi"). */
const quantities = z
  .record(z.string(), z.string())
  .describe('Quantities by resource name, as strings, for example cpu: "500m", memory: "1Gi".');

export const resourcesSchema = z
  .object({
    requests: quantities.optional().describe('Minimum resources the containers need.'),
    limits: quantities.optional().describe('Maximum resources the containers may use.'),
  })
  .strict()
  .describe('Compute resources of the API container (requests and limits).');

/** The Service spec fields an override may set; the selector and ports stay Stackplane's. */
export const serviceSpecOverrideSchema = z
  .object({
    type: z
      .enum(['ClusterIP', 'NodePort', 'LoadBalancer'])
      .optional()
      .describe('Service type; LoadBalancer exposes the endpoint, e.g. with MetalLB.'),
    loadBalancerIP: z.string().optional().describe('Deprecated by Kubernetes; prefer MetalLB annotations.'),
    loadBalancerClass: z.string().optional().describe('The load balancer implementation to use.'),
    loadBalancerSourceRanges: z.array(z.string()).optional().describe('Client CIDRs allowed to connect.'),
    externalTrafficPolicy: z
      .enum(['Cluster', 'Local'])
      .optional()
      .describe('How external traffic is routed.'),
    internalTrafficPolicy: z
      .enum(['Cluster', 'Local'])
      .optional()
      .describe('How in-cluster traffic is routed.'),
    externalIPs: z.array(z.string()).optional().describe('Extra IPs the Service answers on.'),
    sessionAffinity: z.enum(['None', 'ClientIP']).optional().describe('Pin a client to one pod.'),
    ipFamilies: z
      .array(z.enum(['IPv4', 'IPv6']))
      .optional()
      .describe('IP families of the Service.'),
    ipFamilyPolicy: z
      .enum(['SingleStack', 'PreferDualStack', 'RequireDualStack'])
      .optional()
      .describe('Dual-stack policy of the Service.'),
    allocateLoadBalancerNodePorts: z
      .boolean()
      .optional()
      .describe('Whether a LoadBalancer Service also gets node ports.'),
  })
  .strict()
  .describe('Service spec fields to set on the endpoint Service.');

export const serviceOverrideSchema = z
  .object({
    metadata: z
      .object({
        labels: stringMap('Labels added to the Service.').optional(),
        annotations: stringMap('Annotations added to the Service, e.g. metallb.universe.tf/*.').optional(),
      })
      .strict()
      .optional()
      .describe('Labels and annotations of the endpoint Service.'),
    spec: serviceSpecOverrideSchema.optional(),
    endpointURL: z
      .url()
      .optional()
      .describe('The URL registered in Keystone for this endpoint, instead of the Service DNS name.'),
  })
  .strict()
  .describe('Overrides of one endpoint Service.');

/** Only the named keys of a map are allowed: the message names the key and the allowed ones. */
function onlyKeys(allowed: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `is not allowed: only ${allowed.join(' and ')} can be set; remove "${key}"`,
        });
    }
  };
}

/** CEL twin of onlyKeys, so the API server refuses what the function would. */
function onlyKeysRule(allowed: readonly string[], what: string) {
  return {
    rule: `self.all(k, k in [${allowed.map((k) => `'${k}'`).join(', ')}])`,
    message: `only ${allowed.join(' and ')} ${what}`,
  };
}

export const tlsSecretSchema = z
  .object({
    secretName: z
      .string()
      .min(1)
      .describe('Secret with the certificate (tls.crt) and key (tls.key) the endpoint serves.'),
  })
  .strict();

export const tlsSchema = z
  .object({
    api: z
      .object({
        internal: tlsSecretSchema.optional().describe('TLS of the internal endpoint.'),
        public: tlsSecretSchema.optional().describe('TLS of the public endpoint.'),
      })
      .strict()
      .optional()
      .describe('Certificates of the API endpoints.'),
    caBundleSecretName: z
      .string()
      .min(1)
      .optional()
      .describe('Secret with the CA bundle (key tls-ca-bundle.pem) the service trusts.'),
  })
  .strict()
  .superRefine((tls, ctx) => {
    // Both virtual hosts listen on port 8778: one port cannot speak TLS and plain HTTP at once.
    if (Boolean(tls.api?.internal) !== Boolean(tls.api?.public))
      ctx.addIssue({
        code: 'custom',
        path: ['api'],
        message:
          'internal and public must both have a secretName or neither: both endpoints share port 8778; set the missing one',
      });
  })
  .describe('TLS of the API endpoints; both endpoints or neither.')
  .meta({
    'x-kubernetes-validations': [
      {
        rule: '!has(self.api) || (has(self.api.internal) == has(self.api.public))',
        message: 'tls.api.internal and tls.api.public must both be set or both be absent',
      },
    ],
  });

export const placementAPISpecSchema = z
  .object({
    containerImage: z
      .string()
      .min(1)
      .default(DEFAULT_PLACEMENT_IMAGE)
      .describe('The placement-api image; the API, log and db-sync containers all run it.'),
    replicas: z.number().int().min(0).max(32).default(1).describe('How many API pods to run (0-32).'),
    serviceUser: z
      .string()
      .min(1)
      .default('placement')
      .describe('The Keystone user the service authenticates as.'),
    secret: z
      .string()
      .min(1)
      .describe('Secret in the namespace holding the service password (see passwordSelectors).'),
    passwordSelectors: z
      .object({
        service: z
          .string()
          .min(1)
          .default('PlacementPassword')
          .describe('Key of the service user password in the Secret.'),
        applicationCredentialID: z
          .string()
          .min(1)
          .optional()
          .describe('Key of a Keystone application credential id; with its secret it replaces the password.'),
        applicationCredentialSecret: z
          .string()
          .min(1)
          .optional()
          .describe('Key of the application credential secret in the Secret.'),
      })
      .strict()
      .default({ service: 'PlacementPassword' })
      .superRefine((selectors, ctx) => {
        if (Boolean(selectors.applicationCredentialID) !== Boolean(selectors.applicationCredentialSecret))
          ctx.addIssue({
            code: 'custom',
            path: [],
            message:
              'applicationCredentialID and applicationCredentialSecret must be set together; set both or neither',
          });
      })
      .describe('Keys of the Secret that hold the credentials.'),
    databaseInstance: z
      .string()
      .min(1)
      .describe('The database server to create the placement database on.')
      .meta({
        'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'databaseInstance is immutable' }],
      }),
    databaseAccount: z
      .string()
      .min(1)
      .max(32)
      .default('placement')
      .describe('The database user placement connects as; its password is generated and kept.'),
    apiTimeout: z
      .number()
      .int()
      .min(10)
      .default(60)
      .describe('Seconds the API server waits for a request (httpd Timeout).'),
    customServiceConfig: z
      .string()
      .optional()
      .describe('Extra ini configuration, added as custom.conf after placement.conf.'),
    defaultConfigOverwrite: stringMap('Config files to replace; only policy.yaml is accepted.')
      .superRefine(onlyKeys(OVERWRITABLE_FILES))
      .optional()
      .meta({ 'x-kubernetes-validations': [onlyKeysRule(OVERWRITABLE_FILES, 'can be overwritten')] }),
    nodeSelector: stringMap('Run the pods only on nodes with these labels.').optional(),
    resources: resourcesSchema.optional(),
    preserveJobs: z
      .boolean()
      .default(false)
      .describe('Keep the db-sync Job after it succeeded, e.g. to read its logs.'),
    networkAttachments: z
      .array(z.string().min(1))
      .max(16)
      .optional()
      .describe('NetworkAttachmentDefinitions (in the namespace) to attach the API pods to.'),
    override: z
      .object({
        service: z
          .record(z.string(), serviceOverrideSchema)
          .superRefine(onlyKeys(ENDPOINTS))
          .optional()
          .describe('Overrides per endpoint Service: internal and public only.')
          .meta({ 'x-kubernetes-validations': [onlyKeysRule(ENDPOINTS, 'endpoints can be overridden')] }),
      })
      .strict()
      .optional()
      .describe('Overrides of the composed objects.'),
    tls: tlsSchema.optional(),
    region: z.string().min(1).default('regionOne').describe('The Keystone region of the endpoints.'),
    auth: z
      .object({
        applicationCredentialSecret: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Secret with a Keystone application credential (keys AC_ID and AC_SECRET, as the keystone ' +
              'operator writes them) the service authenticates with instead of its password.',
          ),
      })
      .strict()
      .optional()
      .describe("How the service authenticates to Keystone, as the current operator's spec.auth."),
    topologyRef: z
      .object({
        name: z.string().min(1).describe('Name of the Topology (topology.openstack.org/v1beta1).'),
        namespace: z
          .string()
          .min(1)
          .optional()
          .describe("The Topology's namespace; only this resource's own is accepted, as by the operator."),
      })
      .strict()
      .optional()
      .describe(
        'A Topology whose topologySpreadConstraints and affinity the API pods get, instead of the ' +
          'default anti-affinity; condition TopologyReady says whether it was found.',
      ),
  })
  .describe('The desired Placement service.');

/** The existing objects a migrated PlacementAPI keeps, by name or id. */
export const placementAdoptedSchema = z.object({
  databaseUser: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The database account's user as it exists (the placement-operator's MariaDBAccount userName), " +
        'used instead of spec.databaseAccount.',
    ),
  databasePasswordSecret: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The Secret in this namespace whose key DatabasePassword holds the existing account password: set ' +
        'on the account and read by the pods, never generated anew.',
    ),
  keystoneServiceID: z
    .string()
    .min(1)
    .optional()
    .describe('The id of the existing Keystone service, adopted instead of created.'),
  keystoneEndpointIDs: z
    .object({
      internal: z.string().min(1).optional().describe('The id of the existing internal endpoint.'),
      public: z.string().min(1).optional().describe('The id of the existing public endpoint.'),
    })
    .optional()
    .describe('The ids of the existing Keystone endpoints, adopted instead of created.'),
  deploymentSelector: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      "The labels the existing Deployment selects its pods by (the placement-operator's service and " +
        'owner): a selector cannot change, so the Deployment keeps it and its pods carry those labels too.',
    ),
});
export type PlacementAdopted = z.output<typeof placementAdoptedSchema>;

export const placementAPIStatusSchema = z
  .object({
    readyCount: z.number().int().optional().describe('API pods that are ready.'),
    databaseHostname: z.string().optional().describe('The database server placement connects to.'),
    endpoints: z
      .object({
        internal: z.string().optional().describe('URL of the internal endpoint.'),
        public: z.string().optional().describe('URL of the public endpoint.'),
      })
      .optional()
      .describe('The endpoint URLs registered in Keystone.'),
    networkAttachments: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('IPs of the API pods on each attached network, once observed.'),
    hash: z
      .object({
        config: z.string().optional().describe('Hash of every config input; the pods carry it.'),
        dbsync: z.string().optional().describe('The config hash db-sync last completed for.'),
      })
      .optional()
      .describe('Hashes that tell when pods roll and db-sync runs again.'),
    adopted: placementAdoptedSchema
      .optional()
      .describe(
        'What this resource took over from the placement-operator, as the migration recorded it ' +
          'through the status subresource; kept once set.',
      ),
  })
  .describe('What was composed for the Placement service.');

export type PlacementAPISpec = z.output<typeof placementAPISpecSchema>;
export type ServiceOverride = z.output<typeof serviceOverrideSchema>;

export const PlacementAPI: CompositeKind<typeof placementAPISpecSchema, typeof placementAPIStatusSchema> = {
  group: 'openstack.stackplane.io',
  version: 'v1alpha1',
  kind: 'PlacementAPI',
  // It registers the region's Placement service in Keystone with the platform's credentials.
  operatorOnly: true,
  plural: 'placementapis',
  scope: 'Namespaced',
  description:
    'An OpenStack Placement service: its database, configuration, db-sync Job, API Deployment, ' +
    'Services and Keystone registration.',
  spec: placementAPISpecSchema,
  status: placementAPIStatusSchema,
  printerColumns: [
    { name: 'REPLICAS', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'READY-COUNT', type: 'integer', jsonPath: '.status.readyCount' },
    { name: 'INTERNAL URL', type: 'string', jsonPath: '.status.endpoints.internal' },
  ],
};
