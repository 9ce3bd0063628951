import { z } from 'zod';
import { PROVIDER_CONFIG_GROUP } from './definition.js';

/**
 * AdoptionGrant: the platform's permission for the managed resources of one namespace to adopt one
 * existing reseller object they did not create. Cluster-scoped, so only who holds cluster-wide rights
 * (the platform, the migration tooling) can write one: a RoleBinding in a namespace never grants a
 * cluster-scoped kind.
 */
export const adoptionGrantSpecSchema = z
  .object({
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name')
      .describe('The namespace whose managed resources may adopt the object.'),
    kind: z
      .enum(['Project', 'User'])
      .describe('The managed kind (reseller.m.stackplane.io) that may adopt: Project or User.'),
    externalName: z
      .string()
      .min(1)
      .max(254)
      .describe(
        'Project: the project name without the customer prefix (spec.forProvider.name). User: the ' +
          'e-mail address (spec.forProvider.email).',
      ),
  })
  .describe('Which namespace may adopt which existing object.');

export type AdoptionGrantSpec = z.output<typeof adoptionGrantSpecSchema>;

/** Where AdoptionGrants live. */
export const AdoptionGrant = {
  group: PROVIDER_CONFIG_GROUP,
  version: 'v1alpha1',
  kind: 'AdoptionGrant',
  plural: 'adoptiongrants',
  description:
    'Allows the managed resources of one namespace to adopt an existing reseller project or user they ' +
    'did not create (it does not carry their ownership marker), for example one the original operator ' +
    'created. Cluster-scoped and written by the platform or its migration tooling, never by a tenant.',
  spec: adoptionGrantSpecSchema,
} as const;
