import { z } from 'zod';
import { EMAIL_LOCAL_PART_MAX, EMAIL_SYNTAX_PATTERN } from '../reseller/email.js';
import { id32Schema, immutable, secretKeySelectorSchema } from './common.js';
import type { ManagedKind } from './definition.js';
import { MARKED_DESCRIPTION_MAX, OWNER_MARKER_PREFIX, withoutOwnerMarker } from './ownership.js';
import { projectQuotasSchema } from './reseller-quotas.js';

/** The group of the reseller API's managed resources. */
export const RESELLER_GROUP = 'reseller.m.stackplane.io';
const VERSION = 'v1alpha1';

/** The API's Description schema: words of letters, digits, `_` and `-`, single spaces between them. */
const descriptionSchema = withoutOwnerMarker(
  z
    .string()
    .max(MARKED_DESCRIPTION_MAX)
    .regex(/^[\w-]+(?: +[\w-]+)*$/, 'must be words of letters, digits, "_" and "-" separated by spaces'),
).describe(
  'Description: words of letters, digits, "_" and "-" separated by spaces, at most ' +
    `${MARKED_DESCRIPTION_MAX} characters: the provider adds its ownership marker (${OWNER_MARKER_PREFIX}…) ` +
    "as the last word, and adopts an existing object only when it carries this resource's marker or " +
    'an AdoptionGrant allows it.',
);

export const projectParametersSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .regex(/^(?:\w|-)+$/, 'must be letters, digits, "_" and "-"')
      .describe(
        'Project name without the customer prefix, which the API puts before it. An existing project ' +
          "named exactly prefix + name is adopted only when it carries this resource's ownership marker " +
          'or an AdoptionGrant of the platform allows it.',
      )
      .meta(immutable('name')),
    description: descriptionSchema,
    enabled: z.boolean().default(true).describe('Whether the project can be used.'),
    networkPreconfigure: z
      .boolean()
      .default(false)
      .describe('Create one router, subnet, network and security groups with the project (at creation only).')
      .meta(immutable('networkPreconfigure')),
    quotas: projectQuotasSchema.optional(),
  })
  .describe('The desired reseller API project.');

export const projectObservationSchema = z
  .object({
    id: z.string().optional().describe('The project id, also the external name.'),
    name: z.string().optional().describe('The full project name, customer prefix included.'),
    enabled: z.boolean().optional().describe('Whether the project is enabled.'),
    members: z.number().int().optional().describe('How many users are members of the project.'),
  })
  .describe('The project as the API reports it.');

export const userParametersSchema = z
  .object({
    email: z
      .string()
      .regex(EMAIL_SYNTAX_PATTERN, 'must be an e-mail address, for example user-team@abcdef.k8s')
      .refine((email) => email.indexOf('@') <= EMAIL_LOCAL_PART_MAX, {
        message: `must have at most ${EMAIL_LOCAL_PART_MAX} characters before the @`,
      })
      .describe('The e-mail address the user logs in with (the API user name).')
      // RE2 has no look-ahead, so the length of the local part is a CEL rule.
      .meta({
        'x-kubernetes-validations': [
          ...immutable('email')['x-kubernetes-validations'],
          {
            rule: `self.indexOf('@') <= ${EMAIL_LOCAL_PART_MAX}`,
            message: `email must have at most ${EMAIL_LOCAL_PART_MAX} characters before the @`,
          },
        ],
      }),
    description: descriptionSchema,
    enabled: z.boolean().default(true).describe('Whether the user can log in.'),
    defaultProjectID: id32Schema.optional().describe('The project the user logs in to by default.'),
    passwordSecretRef: secretKeySelectorSchema.describe(
      'The user password (at most 254 characters); it is also published in the connection Secret.',
    ),
  })
  .describe('The desired reseller API user.');

export const userObservationSchema = z
  .object({
    id: z.string().optional().describe('The user id, also the external name.'),
    enabled: z.boolean().optional().describe('Whether the user is enabled.'),
  })
  .describe('The user as the API reports it.');

export const projectMembershipParametersSchema = z
  .object({
    projectID: id32Schema.describe('The project the user becomes a member of.').meta(immutable('projectID')),
    userID: id32Schema.describe('The user that becomes a member.').meta(immutable('userID')),
  })
  .describe('A user in a project.');

export const projectMembershipObservationSchema = z
  .object({ member: z.boolean().optional().describe('Whether the API lists the user in the project.') })
  .describe('The membership as the API reports it.');

export const applicationCredentialParametersSchema = z
  .object({
    userID: id32Schema.describe('The user that owns the credential.').meta(immutable('userID')),
    projectID: id32Schema.describe('The project the credential is scoped to.').meta(immutable('projectID')),
    name: z
      .string()
      .min(1)
      .max(255)
      .describe('Credential name, unique per user in Keystone.')
      .meta(immutable('name')),
    description: z
      .string()
      .max(255)
      .optional()
      .describe('Credential description.')
      .meta(immutable('description')),
    expiresAt: z.iso
      .datetime()
      .optional()
      .describe('When the credential expires (RFC 3339); never when absent.')
      .meta(immutable('expiresAt')),
    unrestricted: z
      .boolean()
      .default(false)
      .describe('Allow the credential to create further credentials and trusts (Keystone "unrestricted").')
      .meta(immutable('unrestricted')),
    passwordSecretRef: secretKeySelectorSchema.describe(
      'The password of the user, to authenticate to Keystone as that user.',
    ),
  })
  .describe('A Keystone v3 application credential of a reseller API user.');

export const applicationCredentialObservationSchema = z
  .object({
    id: z.string().optional().describe('The credential id, also the external name.'),
    expiresAt: z.string().optional().describe('When the credential expires.'),
  })
  .describe('The credential as Keystone reports it.');

export const Project: ManagedKind<typeof projectParametersSchema, typeof projectObservationSchema> = {
  group: RESELLER_GROUP,
  version: VERSION,
  kind: 'Project',
  plural: 'projects',
  description:
    'A project (OpenStack tenant) of the reseller API; its external name is the 32-hex project id.',
  forProvider: projectParametersSchema,
  atProvider: projectObservationSchema,
  connectionKeys: [],
};

export const User: ManagedKind<typeof userParametersSchema, typeof userObservationSchema> = {
  group: RESELLER_GROUP,
  version: VERSION,
  kind: 'User',
  plural: 'users',
  description: 'A user of the reseller API, with OpenStack credentials in its connection Secret.',
  forProvider: userParametersSchema,
  atProvider: userObservationSchema,
  connectionKeys: [
    'username',
    'password',
    'OS_AUTH_URL',
    'OS_USERNAME',
    'OS_PASSWORD',
    'OS_USER_DOMAIN_NAME',
    'OS_REGION_NAME',
    'OS_IDENTITY_API_VERSION',
    'clouds.yaml',
  ],
};

export const ProjectMembership: ManagedKind<
  typeof projectMembershipParametersSchema,
  typeof projectMembershipObservationSchema
> = {
  group: RESELLER_GROUP,
  version: VERSION,
  kind: 'ProjectMembership',
  plural: 'projectmemberships',
  description: 'A user as a member of a project.',
  forProvider: projectMembershipParametersSchema,
  atProvider: projectMembershipObservationSchema,
  connectionKeys: [],
};

export const ApplicationCredential: ManagedKind<
  typeof applicationCredentialParametersSchema,
  typeof applicationCredentialObservationSchema
> = {
  group: RESELLER_GROUP,
  version: VERSION,
  kind: 'ApplicationCredential',
  plural: 'applicationcredentials',
  description: 'A Keystone v3 application credential of a user, created as that user.',
  forProvider: applicationCredentialParametersSchema,
  atProvider: applicationCredentialObservationSchema,
  connectionKeys: ['application-credential-id', 'application-credential-secret'],
};

export type ProjectParameters = z.output<typeof projectParametersSchema>;
export type UserParameters = z.output<typeof userParametersSchema>;
export type ProjectMembershipParameters = z.output<typeof projectMembershipParametersSchema>;
export type ApplicationCredentialParameters = z.output<typeof applicationCredentialParametersSchema>;
