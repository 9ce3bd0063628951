import { z } from 'zod';
import type { InputKind } from '../definition.js';

/** The reseller steps need no settings: regions name ClusterProviderConfigs, names come from context. */
export const resellerInputSchema = z.object({});

export type ResellerInput = z.output<typeof resellerInputSchema>;

const input = (kind: string, plural: string, what: string): InputKind<typeof resellerInputSchema> => ({
  group: 'fn.stackplane.io',
  version: 'v1alpha1',
  kind,
  plural,
  description: `Input of the step that composes ${what}.`,
  schema: resellerInputSchema,
});

export const ResellerProjectInput = input(
  'ResellerProject',
  'resellerprojects',
  'the provider Project of a reseller Project',
);
export const ResellerUserInput = input(
  'ResellerUser',
  'resellerusers',
  'the regional provider Users of a reseller User and its credentials Secret',
);
export const ResellerBindingInput = input(
  'ResellerBinding',
  'resellerbindings',
  'the membership, Usages and application credential of a UserProjectBinding',
);
