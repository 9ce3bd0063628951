import { z } from 'zod';
import type { InputKind } from '../definition.js';

const providerConfigRefSchema = z
  .object({
    kind: z
      .enum(['ProviderConfig', 'ClusterProviderConfig'])
      .describe('ProviderConfig (in the XR namespace) or ClusterProviderConfig.'),
    name: z.string().min(1).describe('Its name.'),
  })
  .strict();

const defaultProviderConfig = { kind: 'ClusterProviderConfig' as const, name: 'default' };

/** How an agent is run: its image, the program and the config file it reads. */
export const agentTypeSchema = z
  .object({
    image: z.string().min(1).describe('The default image of the agent.'),
    command: z.string().min(1).describe('The program the container runs (kolla command).'),
    user: z
      .string()
      .min(1)
      .default('root')
      .describe('The user of the image that owns the config files (kolla copies them as this owner).'),
    configFile: z
      .string()
      .min(1)
      .describe(
        'The main config file the agent reads, e.g. /etc/nova/nova.conf; custom config goes beside it.',
      ),
  })
  .strict();

/** The agents Stackplane knows how to run; the platform can add more in the Composition. */
export const DEFAULT_AGENT_TYPES = {
  'nova-compute': {
    image: 'quay.io/podified-antelope-centos9/openstack-nova-compute:current-podified',
    command: 'nova-compute',
    user: 'nova',
    configFile: '/etc/nova/nova.conf',
  },
  'neutron-sriov-agent': {
    image: 'quay.io/podified-antelope-centos9/openstack-neutron-sriov-agent:current-podified',
    command: 'neutron-sriov-nic-agent',
    user: 'neutron',
    configFile: '/etc/neutron/neutron.conf',
  },
};

export const buildingBlockInputSchema = z.object({
  agentTypes: z
    .record(z.string(), agentTypeSchema)
    .default(DEFAULT_AGENT_TYPES)
    .describe('The agents a BuildingBlock may name in spec.agents, by name; nova-compute must be one.'),
  environmentConfig: z
    .object({
      name: z
        .string()
        .min(1)
        .default('stackplane-openstack')
        .describe(
          'Name of the EnvironmentConfig with data.openstack.keystoneAuthURL and data.openstack.region.',
        ),
    })
    .strict()
    .default({ name: 'stackplane-openstack' })
    .describe(
      'Platform configuration of the region: Keystone and region come from this EnvironmentConfig; the ' +
        'keystone fields below are defaults for when it does not set them.',
    ),
  keystone: z
    .object({
      authURL: z.url().optional().describe('Default Keystone URL the agents authenticate against.'),
      region: z.string().min(1).default('regionOne').describe('Default OpenStack region.'),
    })
    .strict()
    .default({ region: 'regionOne' })
    .describe('Defaults of the platform configuration.'),
  computeProviderConfigRef: providerConfigRefSchema
    .default(defaultProviderConfig)
    .describe(
      'The provider-stackplane config (the region Keystone and Nova) of the ComputeServices and notifications.',
    ),
  aggregate: z
    .object({
      providerConfigRef: providerConfigRefSchema
        .default(defaultProviderConfig)
        .describe('The provider-openstack config of the cloud.'),
      metadata: z
        .record(z.string(), z.string())
        .optional()
        .describe('Metadata put on every building block aggregate, e.g. for scheduler filters.'),
    })
    .strict()
    .default({ providerConfigRef: defaultProviderConfig })
    .describe('The host aggregate, through provider-openstack (AggregateV2).'),
});

export type BuildingBlockInput = z.output<typeof buildingBlockInputSchema>;

export const BuildingBlockInput: InputKind<typeof buildingBlockInputSchema> = {
  group: 'fn.stackplane.io',
  version: 'v1alpha1',
  kind: 'BuildingBlock',
  plural: 'buildingblocks',
  description:
    'Input of the step that composes a building block: the agents it can run, platform configuration and ' +
    'the provider configs of Nova and the aggregate.',
  schema: buildingBlockInputSchema,
};
