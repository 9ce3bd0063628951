import { z } from 'zod';
import type { CompositeKind } from '../definition.js';
import { RESELLER_GROUP, descriptionSchema } from './common.js';

export const userSpecSchema = z
  .object({
    description: descriptionSchema,
    enabled: z.boolean().default(true).describe('Whether the OpenStack user can log in.'),
  })
  // The original's user sample has no spec at all: every field has a default.
  .prefault({})
  .describe('An OpenStack user, created in each region it is bound to a project in.');

export const userStatusSchema = z
  .object({
    login: z
      .string()
      .optional()
      .describe('The OpenStack login name, an e-mail address unique across clusters.'),
    secretName: z
      .string()
      .optional()
      .describe('The Secret with username, password and OpenStack credentials per bound region.'),
    regions: z.array(z.string()).optional().describe('Regions where the OpenStack user exists (is ready).'),
    userIDs: z
      .record(z.string(), z.string())
      .optional()
      .describe('The OpenStack user id in each region where it exists; bindings create memberships with it.'),
    bindings: z
      .array(z.string())
      .optional()
      .describe('UserProjectBindings of this user; deleting the user waits for them.'),
  })
  .describe('What was decided and observed for the user.');

export type UserSpec = z.output<typeof userSpecSchema>;

export const User: CompositeKind<typeof userSpecSchema, typeof userStatusSchema> = {
  group: RESELLER_GROUP,
  version: 'v1alpha1',
  kind: 'User',
  plural: 'users',
  scope: 'Namespaced',
  description:
    'An OpenStack user on the reseller accounts; its Secret <name>-openstack holds working credentials.',
  spec: userSpecSchema,
  status: userStatusSchema,
  printerColumns: [
    { name: 'LOGIN', type: 'string', jsonPath: '.status.login' },
    { name: 'SECRET', type: 'string', jsonPath: '.status.secretName' },
    { name: 'REGIONS', type: 'string', jsonPath: '.status.regions', priority: 1 },
  ],
};
