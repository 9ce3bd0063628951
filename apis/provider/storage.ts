import { z } from 'zod';
import { immutable } from './common.js';
import type { ManagedKind } from './definition.js';

/** The group of the block-storage API's managed resources. */
export const STORAGE_GROUP = 'storage.m.stackplane.io';
const VERSION = 'v1alpha1';

const projectName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, "_", "." and "-"')
  .describe('The storage project: the tenant cloud project id.');

export const storageProjectParametersSchema = z
  .object({
    name: projectName.meta(immutable('name')),
    deletionPolicy: z
      .enum(['Orphan', 'DeleteWhenEmpty'])
      .default('Orphan')
      .describe(
        'What deleting this resource does to the storage project, when managementPolicies allow Delete. ' +
          'Orphan (default): keep it, with its volumes. DeleteWhenEmpty: delete it once it holds no ' +
          'volumes; until then the finalizer stays and Synced=False says how many volumes remain.',
      ),
  })
  .describe('The desired storage project.');

export const storageProjectObservationSchema = z
  .object({
    name: z.string().optional().describe('The project name the storage API reports.'),
  })
  .describe('The storage project as the API reports it.');

export const storageCredentialParametersSchema = z
  .object({ projectName: projectName.meta(immutable('projectName')) })
  .describe("The project's root credential, holding the provider config's admin public key.");

export const storageCredentialObservationSchema = z
  .object({
    id: z.string().optional().describe('The credential ID, `<project>:root`.'),
    keyFingerprint: z.string().optional().describe('sha256 of the admin public key (SPKI), hex.'),
  })
  .describe('The root credential as the API reports it.');

export const storageTokenParametersSchema = z
  .object({
    projectName: projectName.meta(immutable('projectName')),
    subject: z.string().min(1).default('stackplane').describe('The token `sub` claim.'),
    issuer: z.string().min(1).default('provider-stackplane').describe('The token `iss` claim.'),
    lifetimeHours: z
      .number()
      .int()
      .min(25)
      .max(8760)
      .default(192)
      .describe('Token lifetime in hours (default 192, 8 days); longer than renewBeforeHours.'),
    renewBeforeHours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .default(24)
      .describe('Issue a new token when fewer hours than this remain (default 24).'),
  })
  // Otherwise every reconcile would find the token due and issue another one.
  .refine((token) => token.renewBeforeHours < token.lifetimeHours, {
    message: 'must be less than lifetimeHours',
    path: ['renewBeforeHours'],
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: 'self.renewBeforeHours < self.lifetimeHours',
        message: 'renewBeforeHours must be less than lifetimeHours',
      },
    ],
  })
  .describe('The tenant token (RS256 JWT, role `<project>:admin`), published as connection key `jwt`.');

export const storageTokenObservationSchema = z
  .object({ expiresAt: z.string().optional().describe('When the published token expires (RFC 3339).') })
  .describe('The published token.');

export const StorageProject: ManagedKind<
  typeof storageProjectParametersSchema,
  typeof storageProjectObservationSchema
> = {
  group: STORAGE_GROUP,
  version: VERSION,
  kind: 'Project',
  plural: 'projects',
  description: 'A project on the Lightbits storage cluster, named after a tenant cloud project id.',
  forProvider: storageProjectParametersSchema,
  atProvider: storageProjectObservationSchema,
  connectionKeys: [],
};

export const StorageCredential: ManagedKind<
  typeof storageCredentialParametersSchema,
  typeof storageCredentialObservationSchema
> = {
  group: STORAGE_GROUP,
  version: VERSION,
  kind: 'Credential',
  plural: 'credentials',
  description: "A storage project's root credential: the admin public key that verifies its tokens.",
  forProvider: storageCredentialParametersSchema,
  atProvider: storageCredentialObservationSchema,
  connectionKeys: [],
};

export const StorageToken: ManagedKind<
  typeof storageTokenParametersSchema,
  typeof storageTokenObservationSchema
> = {
  group: STORAGE_GROUP,
  version: VERSION,
  kind: 'Token',
  plural: 'tokens',
  description: 'The tenant token of a storage project, for the Lightbits CSI driver (connection key jwt).',
  forProvider: storageTokenParametersSchema,
  atProvider: storageTokenObservationSchema,
  connectionKeys: ['jwt'],
};
