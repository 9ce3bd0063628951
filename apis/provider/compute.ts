import { z } from 'zod';
import { immutable } from './common.js';
import type { ManagedKind } from './definition.js';

/** The group of the compute (Nova) managed resources. */
export const COMPUTE_GROUP = 'compute.m.stackplane.io';

/** Nova's limit on a disabled reason. */
export const DISABLED_REASON_MAX = 255;

export const computeServiceParametersSchema = z
  .object({
    host: z
      .string()
      .min(1)
      .max(255)
      .describe('The host the service runs as (its nova.conf host).')
      .meta(immutable('host')),
    binary: z
      .string()
      .min(1)
      .default('nova-compute')
      .describe('The service binary; nova-compute for a hypervisor agent.')
      .meta(immutable('binary')),
    status: z
      .enum(['enabled', 'disabled'])
      .default('enabled')
      .describe('disabled: the scheduler places nothing new on the host; running instances stay.'),
    disabledReason: z
      .string()
      .max(DISABLED_REASON_MAX)
      .optional()
      .describe('Why the service is disabled; only with status disabled.'),
  })
  .refine((p) => p.status === 'disabled' || p.disabledReason === undefined, {
    message: 'is only allowed with status disabled; remove it or set status: disabled',
    path: ['disabledReason'],
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: "self.status == 'disabled' || !has(self.disabledReason)",
        message: 'disabledReason is only allowed with status disabled',
      },
    ],
  })
  .describe(
    'A Nova service record, found by host and binary. The agent registers it; this resource sets whether ' +
      'it is enabled and why not, and never creates or deletes it.',
  );

export const computeServiceObservationSchema = z
  .object({
    id: z.string().optional().describe('The service id (a UUID), also the external name.'),
    host: z.string().optional().describe('The host.'),
    binary: z.string().optional().describe('The binary.'),
    zone: z.string().optional().describe('The availability zone Nova reports the service in.'),
    status: z.string().optional().describe('enabled or disabled.'),
    state: z.string().optional().describe('up or down: whether the agent reports in.'),
    disabledReason: z.string().optional().describe('The disabled reason Nova records.'),
    updatedAt: z.string().optional().describe('When the agent last reported.'),
  })
  .describe('The service as Nova reports it.');

export const ComputeService: ManagedKind<
  typeof computeServiceParametersSchema,
  typeof computeServiceObservationSchema
> = {
  group: COMPUTE_GROUP,
  version: 'v1alpha1',
  kind: 'ComputeService',
  plural: 'computeservices',
  description:
    'A Nova compute service (os-services): enabled or disabled with a reason. Ready when it is registered and up.',
  forProvider: computeServiceParametersSchema,
  atProvider: computeServiceObservationSchema,
  connectionKeys: [],
};
