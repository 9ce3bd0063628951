import { z } from 'zod';
import { CONTROLLER_ID_PATTERN } from './controller-id.js';
import type { InputKind } from '../definition.js';

/** How names are formed: collision-free, or exactly as the original operator formed them. */
export const namingModeSchema = z
  .enum(['unique', 'original'])
  .describe(
    'unique: the plain name when it is unambiguous, else a readable prefix and a stable hash. ' +
      'original: the pco-reseller-operator names exactly (ambiguous when a namespace contains "-"), ' +
      'for clusters migrating from it; names the API would refuse are still shortened with a hash.',
  );

export const uniqueNameInputSchema = z.object({
  format: z
    .enum(['openstack-project', 'openstack-login'])
    .describe(
      'openstack-project: <controller-id>-<namespace>-<name> (the reseller API project pattern); ' +
        'openstack-login: <name>-<namespace>@<controller-id>.k8s (an e-mail address).',
    ),
  statusField: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9]*$/)
    .describe('The field of the composite status that keeps the name once derived (names are sticky).'),
  maxLength: z
    .number()
    .int()
    .min(16)
    .max(255)
    .default(48)
    .describe(
      'openstack-project only: the longest name. Keystone allows 64 characters and the API prepends ' +
        'the customer prefix, so leave room for it.',
    ),
  environmentConfig: z
    .object({ name: z.string().min(1).describe('Name of the EnvironmentConfig.') })
    .optional()
    .describe(
      'Platform configuration: data.controllerID pins the controller identifier (a migrating ' +
        "cluster's 6-letter id from Secret pco-reseller-operator-id) and data.naming the naming mode.",
    ),
  controllerID: z
    .string()
    .regex(CONTROLLER_ID_PATTERN, 'must be 1-16 lowercase letters or digits')
    .optional()
    .describe('Pins the controller identifier; else the EnvironmentConfig, else the kube-system UID.'),
  naming: namingModeSchema
    .optional()
    .describe('Pins the naming mode; else data.naming of the EnvironmentConfig, else unique.'),
});

export type UniqueNameInput = z.output<typeof uniqueNameInputSchema>;

export const UniqueNameInput: InputKind<typeof uniqueNameInputSchema> = {
  group: 'fn.stackplane.io',
  version: 'v1alpha1',
  kind: 'UniqueName',
  plural: 'uniquenames',
  description:
    'Input of the step that derives an external name unique across clusters, keeps it in the ' +
    'composite status and passes it to later steps in the pipeline context.',
  schema: uniqueNameInputSchema,
};
