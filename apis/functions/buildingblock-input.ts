import { z } from 'zod';
import { imageReference } from '../image-reference.js';
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

/** A directory of the node an agent mounts. */
const hostPathSchema = z
  .object({
    path: z
      .string()
      .min(2)
      .max(253)
      .regex(/^\/[A-Za-z0-9._\-/]*$/, 'must be an absolute path such as /run/libvirt')
      .describe('The directory on the node, mounted at the same path in the agent container.'),
    readOnly: z.boolean().default(false).describe('Mount it read-only.'),
  })
  .strict();

/** An agent that needs nothing of its node: no host namespace, no host directory, no privilege. */
export const NO_HOST_ACCESS = { privileged: false, hostNetwork: false, paths: [] };

/**
 * What an agent gets of its node. It applies only to a kvm block, whose agents run on the platform's
 * compute nodes, each pinned to its hypervisor; vmware and ironic agents never get any of it.
 */
export const hostAccessSchema = z
  .object({
    privileged: z
      .boolean()
      .default(false)
      .describe(
        'Run the agent container privileged (all capabilities, all devices, writable /sys). Without it ' +
          'the agent runs as a non-root user with every capability dropped.',
      ),
    hostNetwork: z
      .boolean()
      .default(false)
      .describe("Run the agent in the node's network namespace (it configures the node's network)."),
    paths: z
      .array(hostPathSchema)
      .max(16)
      .refine((paths) => new Set(paths.map((p) => p.path)).size === paths.length, 'lists a path twice')
      .default([])
      .describe('Directories of the node the agent mounts.'),
  })
  .strict()
  .default(NO_HOST_ACCESS)
  .describe(
    'What the agent gets of its node on a kvm block; nothing unless said. vmware and ironic agents ' +
      'never get any: they talk to vCenter or Ironic over the network.',
  );

/** How an agent is run: its image, the program and the config file it reads. */
export const agentTypeSchema = z
  .object({
    image: imageReference.describe('The image of the agent: what a block runs unless it picks another.'),
    allowedImages: z
      .array(imageReference)
      .max(16)
      .default([])
      .describe(
        'Other images a BuildingBlock may pick in spec.agents[].image, compared exactly (for example the ' +
          'next release, for one block first). Empty: a block runs image and picks nothing.',
      ),
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
    host: hostAccessSchema,
  })
  .strict();

/**
 * nova-compute with the libvirt driver drives the node's hypervisor: both upstream deployers run it
 * privileged in the host network (openstack-helm nova/values.yaml pod.security_context.nova.container
 * .nova_compute `privileged: true`, daemonset-compute.yaml `hostNetwork: true`; kolla-ansible
 * roles/nova-cell/defaults/main.yml nova-compute `privileged: true`). It needs libvirt's socket, the
 * instances' and libvirt's state, the devices it passes to guests and the kernel modules it probes.
 */
const LIBVIRT_HOST_ACCESS = {
  privileged: true,
  hostNetwork: true,
  paths: [
    { path: '/run/libvirt', readOnly: false },
    { path: '/var/lib/nova', readOnly: false },
    { path: '/var/lib/libvirt', readOnly: false },
    { path: '/dev', readOnly: false },
    { path: '/lib/modules', readOnly: true },
  ],
};

/**
 * The SR-IOV NIC agent sets the node's virtual functions through sysfs and netlink: both upstream
 * deployers run it privileged in the host network (openstack-helm neutron/values.yaml
 * pod.security_context.neutron_sriov_agent.container.neutron_sriov_agent `privileged: true`,
 * daemonset-sriov-agent.yaml `hostNetwork: true` with /sys/class/net and /sys/devices from the host;
 * kolla-ansible roles/neutron/defaults/main.yml neutron-sriov-agent `privileged: true`). Neither
 * grants it capabilities instead, and it needs none of libvirt's paths or /dev. The other Neutron
 * agents on a hypervisor (openvswitch, linuxbridge, ovn-metadata) run privileged in both as well.
 */
const SRIOV_HOST_ACCESS = {
  privileged: true,
  hostNetwork: true,
  paths: [
    { path: '/sys/class/net', readOnly: false },
    { path: '/sys/devices', readOnly: false },
  ],
};

/** The agents Stackplane knows how to run; the platform can add more in the Composition. */
export const DEFAULT_AGENT_TYPES = {
  'nova-compute': {
    image: 'quay.io/podified-antelope-centos9/openstack-nova-compute:current-podified',
    allowedImages: [],
    command: 'nova-compute',
    user: 'nova',
    configFile: '/etc/nova/nova.conf',
    host: LIBVIRT_HOST_ACCESS,
  },
  'neutron-sriov-agent': {
    image: 'quay.io/podified-antelope-centos9/openstack-neutron-sriov-agent:current-podified',
    allowedImages: [],
    command: 'neutron-sriov-nic-agent',
    user: 'neutron',
    configFile: '/etc/neutron/neutron.conf',
    host: SRIOV_HOST_ACCESS,
  },
};

/** The label the platform puts on its compute nodes by default. */
export const DEFAULT_COMPUTE_SELECTOR = { 'openstack.stackplane.io/compute': 'true' };

/** A label selector the platform writes: at least one label, so it never matches every node. */
const computeSelectorSchema = z
  .record(z.string().min(1).max(317), z.string().max(63))
  .refine((labels) => Object.keys(labels).length > 0, 'must name at least one label')
  .default(DEFAULT_COMPUTE_SELECTOR)
  .describe(
    'The labels of the nodes the platform gives to hypervisors. A kvm block runs only on such nodes, ' +
      'and never on a control-plane node.',
  );

export const buildingBlockInputSchema = z.object({
  agentTypes: z
    .record(z.string(), agentTypeSchema)
    .default(DEFAULT_AGENT_TYPES)
    .describe('The agents a BuildingBlock may name in spec.agents, by name; nova-compute must be one.'),
  nodes: z
    .object({ computeSelector: computeSelectorSchema })
    .strict()
    .default({ computeSelector: DEFAULT_COMPUTE_SELECTOR })
    .describe('The nodes building blocks may use.'),
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
