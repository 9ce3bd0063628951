import { z } from 'zod';
import type { CompositeKind } from '../definition.js';
import { RESELLER_GROUP, immutable } from './common.js';

const objectName = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be the name of an object (a DNS-1123 subdomain)',
  );

export const userProjectBindingSpecSchema = z
  .object({
    user: objectName.describe('Name of the User in this namespace.').meta(immutable('user')),
    project: objectName.describe('Name of the Project in this namespace.').meta(immutable('project')),
    applicationCredential: z
      .boolean()
      .default(false)
      .describe(
        'Create an application credential for the user in the project, in Secret <name>-appcred ' +
          '(and the user Secret); false deletes it.',
      ),
  })
  .describe('Makes a User a member of a Project.');

export const userProjectBindingStatusSchema = z
  .object({
    region: z.string().optional().describe('The region of the project, where the membership lives.'),
    applicationCredentialSecret: z
      .string()
      .optional()
      .describe('The Secret holding the application credential, when one is wanted.'),
  })
  .describe('What was decided for the binding.');

export type UserProjectBindingSpec = z.output<typeof userProjectBindingSpecSchema>;

export const UserProjectBinding: CompositeKind<
  typeof userProjectBindingSpecSchema,
  typeof userProjectBindingStatusSchema
> = {
  group: RESELLER_GROUP,
  version: 'v1alpha1',
  kind: 'UserProjectBinding',
  plural: 'userprojectbindings',
  scope: 'Namespaced',
  description: 'A membership of a User in a Project, optionally with an application credential.',
  spec: userProjectBindingSpecSchema,
  status: userProjectBindingStatusSchema,
  printerColumns: [
    { name: 'USER', type: 'string', jsonPath: '.spec.user' },
    { name: 'PROJECT', type: 'string', jsonPath: '.spec.project' },
    { name: 'REGION', type: 'string', jsonPath: '.status.region' },
  ],
};
