import { z } from 'zod';
import type { PrinterColumn } from '../definition.js';

/** DNS-1123 subdomain, the rule for Secret names. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A deployment type or tier name as the platform tables spell them. */
const TABLE_KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The fields every data service (Postgres, Redis, BlobStorage, SMTPCredentials) shares. */
export const dataServiceFields = {
  type: z
    .string()
    .min(1)
    .max(63)
    .regex(TABLE_KEY, 'must be lowercase letters, digits and "-", for example managed')
    .describe(
      'Deployment type, for example managed or workshop. The platform table maps it to the provider ' +
        'that serves this kind; once chosen, the provider never changes for this resource.',
    ),
  tier: z
    .string()
    .min(1)
    .max(63)
    .regex(TABLE_KEY, 'must be lowercase letters, digits and "-", for example development')
    .describe(
      'Tier, for example development or production: the strategy the platform applies ' +
        '(sizes, backups, high availability). Changing it applies the new tier on the same provider.',
    ),
  writeConnectionSecretToRef: z
    .object({
      name: z
        .string()
        .min(1)
        .max(253)
        .regex(DNS_1123_SUBDOMAIN, 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and "."')
        .optional()
        .describe('Name of the Secret, in this namespace. Defaults to <name>-connection.'),
    })
    .default({})
    .describe('The Secret that receives the connection details.'),
  secretRef: z
    .object({
      name: z
        .string()
        .min(1)
        .max(253)
        .regex(DNS_1123_SUBDOMAIN, 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and "."')
        .optional()
        .describe('Name of the connection Secret, as the original operator spelled it.'),
      namespace: z
        .string()
        .optional()
        .describe("Accepted only as this resource's own namespace: the Secret is always written there."),
    })
    .strict()
    .optional()
    .describe(
      "The original operator's connection Secret field, kept so ported manifests name the same Secret. " +
        'Write writeConnectionSecretToRef.name instead; condition Deprecated says so while it is used.',
    ),
  skipCreate: z
    .boolean()
    .default(false)
    .describe(
      'Observe only: the cloud resources are never created, changed or deleted, only read ' +
        '(management policy Observe). For resources that already exist.',
    ),
  maintenance: z
    .object({
      window: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Maintenance window in the provider syntax, for example Sun:03:00-Sun:04:00 on AWS. ' +
            'Defaults to the strategy window.',
        ),
      applyImmediately: z
        .boolean()
        .default(false)
        .describe('Apply changes now instead of in the next maintenance window.'),
    })
    .default({ applyImmediately: false })
    .describe('When the provider may apply changes and maintenance. Never rewritten by the platform.'),
  productName: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe('The product this resource belongs to, recorded as a tag on every cloud resource.'),
};

/** What every data service reports in its status. Never a secret. */
export const dataServiceStatusFields = {
  provider: z
    .string()
    .optional()
    .describe('The provider serving this resource, for example aws or in-cluster.'),
  strategy: z.string().optional().describe('The tier whose strategy is applied; follows spec.tier.'),
  endpoint: z.string().optional().describe('Where to connect, host:port; credentials are in the Secret.'),
  externalName: z.string().optional().describe('The unique name of the cloud resource, kept once chosen.'),
  connectionSecret: z.string().optional().describe('Name of the Secret with the connection details.'),
};

/** `kubectl get` columns of every data service. */
export const dataServicePrinterColumns: PrinterColumn[] = [
  { name: 'TYPE', type: 'string', jsonPath: '.spec.type' },
  { name: 'TIER', type: 'string', jsonPath: '.spec.tier' },
  { name: 'PROVIDER', type: 'string', jsonPath: '.status.provider' },
  { name: 'ENDPOINT', type: 'string', jsonPath: '.status.endpoint' },
];

/** The data API group. */
export const DATA_GROUP = 'data.stackplane.io';
