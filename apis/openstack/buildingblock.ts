import { z } from 'zod';
import { imageReference } from '../image-reference.js';
import type { CompositeKind } from '../definition.js';

/** The hypervisors a building block can be made of, each driven by its own nova-compute driver. */
export const HYPERVISORS = ['kvm', 'vmware', 'ironic'] as const;
export type Hypervisor = (typeof HYPERVISORS)[number];

/** The agent every building block runs unless told otherwise: the Nova compute agent. */
export const NOVA_COMPUTE = 'nova-compute';

const immutable = (field: string) => ({
  'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: `${field} is immutable` }],
});

/** The longest label key (a 253-character prefix, "/", a 63-character name) and label value. */
const LABEL_KEY_MAX = 317;
const LABEL_VALUE_MAX = 63;
/** Sizes of names the API server bounds the same way: object names and Secret keys. */
const NAME_MAX = 253;

/** A map of labels, as many as `max`: the API server refuses more, so no spec costs more than that. */
const labelMap = (what: string, max = 16) =>
  z
    .record(z.string().min(1).max(LABEL_KEY_MAX), z.string().max(LABEL_VALUE_MAX))
    .refine((labels) => Object.keys(labels).length <= max, `must have at most ${max} labels`)
    .meta({ maxProperties: max })
    .describe(what);

/** A Kubernetes object name, such as a Secret's. */
const objectName = (what: string) => z.string().min(1).max(NAME_MAX).describe(what);
/** A key in a Secret. */
const secretKey = (defaultKey: string, what: string) =>
  z.string().min(1).max(NAME_MAX).default(defaultKey).describe(what);

/** Quantities by resource name ("500m", "1Gi"), at most a few: cpu, memory, ephemeral storage, hugepages. */
const quantities = z
  .record(z.string().min(1).max(LABEL_KEY_MAX), z.string().min(1).max(64))
  .refine((q) => Object.keys(q).length <= 8, 'must have at most 8 resources')
  .meta({ maxProperties: 8 })
  .describe('Quantities by resource name, as strings, for example cpu: "500m", memory: "1Gi".');

const resourcesSchema = z
  .object({
    requests: quantities.optional().describe('Minimum resources the agent container needs.'),
    limits: quantities.optional().describe('Maximum resources the agent container may use.'),
  })
  .strict()
  .describe('Compute resources of the agent container (requests and limits).');

/**
 * A Kubernetes node name, which is also the Nova host name of a KVM hypervisor: a DNS subdomain of
 * lowercase labels, no longer than a label (Nova keeps the host name whole in its service record).
 */
const hostName = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
    'must be a lowercase host name, for example node-01.rack2',
  )
  .describe('A hypervisor host: its Kubernetes node name, which is also its Nova host name.');

const secretKeyRef = (defaultKey: string, what: string) =>
  z
    .object({
      name: objectName('Name of the Secret, in the namespace of the building block.'),
      key: secretKey(defaultKey, `Key in the Secret (default ${defaultKey}).`),
    })
    .strict()
    .describe(what);

export const vmwareSchema = z
  .object({
    host: z
      .string()
      .min(1)
      .max(NAME_MAX)
      .describe('The vCenter server (host name or IP) nova-compute drives, [vmware] host_ip.'),
    clusterName: z
      .string()
      .min(1)
      .max(80)
      .describe('The vCenter cluster whose ESXi hosts are the building block, [vmware] cluster_name.'),
    credentialsSecret: objectName(
      'Secret in the namespace with the vCenter login (see usernameKey and passwordKey).',
    ),
    usernameKey: secretKey('username', 'Key of the vCenter user name.'),
    passwordKey: secretKey('password', 'Key of the vCenter password.'),
    datastoreRegex: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('Only datastores matching this regular expression hold instances.'),
    caBundleSecretName: objectName(
      'Secret with the CA bundle (key ca.crt) that signed the vCenter certificate.',
    ).optional(),
    insecure: z
      .boolean()
      .default(false)
      .describe('Skip verifying the vCenter certificate; never in production.'),
  })
  .strict()
  .describe('The vCenter cluster a vmware building block consists of.');

export const ironicSchema = z
  .object({
    conductorGroup: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('Only bare-metal nodes of this Ironic conductor group belong to the block.'),
  })
  .strict()
  .describe('The bare-metal nodes an ironic building block consists of.');

export const agentSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be a lowercase name such as nova-compute')
      .describe(
        'Which agent: nova-compute, or another agent the Composition input knows (e.g. neutron-sriov-agent).',
      ),
    image: imageReference
      .optional()
      .describe(
        'The agent image: only one the Composition input allows for this agent (its image or one of its ' +
          "allowedImages); without it, the input's image.",
      ),
    replicas: z
      .number()
      .int()
      .min(0)
      .max(1)
      .default(1)
      .describe(
        '1 runs the agent, 0 stops it without removing anything. Never more: two agents with one host ' +
          'identity would drive the same hypervisors.',
      ),
    resources: resourcesSchema.optional(),
    nodeSelector: labelMap(
      'Run this agent only on nodes with these labels (added to spec.nodeSelector).',
    ).optional(),
    customServiceConfig: z
      .string()
      .max(32768)
      .optional()
      .describe(
        'Extra ini configuration, merged after the generated configuration (nova.conf for nova-compute).',
      ),
  })
  .strict()
  .describe('One agent of the building block.');

export const novaSchema = z
  .object({
    secret: objectName('Secret in the namespace with the service password and the cell transport URL.'),
    passwordSelectors: z
      .object({
        service: secretKey('NovaPassword', 'Key of the nova service user password.'),
        transportURL: secretKey(
          'transport_url',
          'Key of the cell message queue URL (rabbit://user:password@host:5672/).',
        ),
      })
      .strict()
      .default({ service: 'NovaPassword', transportURL: 'transport_url' })
      .describe('Keys of the Secret.'),
    serviceUser: z
      .string()
      .min(1)
      .max(255)
      .default('nova')
      .describe('The Keystone user the agents authenticate as.'),
  })
  .strict()
  .describe('The Nova the agents register with; Keystone URL and region come from platform configuration.');

export const maintenanceSchema = z
  .object({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'Disable the nova-compute services in Nova: nothing new is scheduled; the agents keep running.',
      ),
    reason: z
      .string()
      .max(255)
      .optional()
      .describe('Why, recorded in Nova as the disabled reason and sent with the notification.'),
  })
  .strict()
  .describe('Maintenance mode of the building block.');

export const notificationsSchema = z
  .object({
    webhook: z
      .object({
        urlSecretRef: secretKeyRef(
          'url',
          'The Secret holding the HTTPS URL maintenance transitions are posted to.',
        ),
        caSecretRef: secretKeyRef(
          'ca.crt',
          'A PEM CA bundle that signed the webhook certificate.',
        ).optional(),
      })
      .strict()
      .describe('An HTTPS webhook; each maintenance transition is posted once as JSON.'),
  })
  .strict()
  .describe('Where maintenance transitions are announced.');

export const buildingBlockSpecSchema = z
  .object({
    availabilityZone: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" and "-"')
      .describe('The availability zone the block serves; its host aggregate is created there.')
      .meta(immutable('availabilityZone')),
    hypervisor: z
      .enum(HYPERVISORS)
      .default('kvm')
      .describe('kvm: libvirt on the listed hosts; vmware: a vCenter cluster; ironic: bare metal.')
      .meta(immutable('hypervisor')),
    hosts: z
      .array(hostName)
      .min(1)
      .max(256)
      .optional()
      .describe(
        'kvm only: the hypervisor nodes; one agent runs on each, named after the node. Without it, the ' +
          'nodes matching spec.nodeSelector are the hosts, so labelling a node adds it to the block.',
      ),
    nodeSelector: labelMap(
      'Run the agents only on nodes with these labels; for kvm without hosts, the nodes that make the ' +
        "block. Always among the platform's compute nodes (the Composition input's nodes.computeSelector).",
    ).optional(),
    vmware: vmwareSchema.optional(),
    ironic: ironicSchema.optional(),
    agents: z
      .array(agentSchema)
      .min(1)
      .max(8)
      .default([{ name: NOVA_COMPUTE, replicas: 1 }])
      .describe('The agents to run; nova-compute alone by default.'),
    nova: novaSchema,
    maintenance: maintenanceSchema.default({ enabled: false }),
    notifications: notificationsSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (spec.hypervisor === 'kvm' && !spec.hosts && Object.keys(spec.nodeSelector ?? {}).length === 0)
      issue(['hosts'], 'is required for hypervisor kvm: list the nodes, or select them with nodeSelector');
    if (spec.hypervisor !== 'kvm' && spec.hosts)
      issue(['hosts'], `is for hypervisor kvm only; remove it (a ${spec.hypervisor} block has one agent)`);
    if (spec.hypervisor === 'vmware' && !spec.vmware)
      issue(['vmware'], 'is required for hypervisor vmware: set host, clusterName and credentialsSecret');
    if (spec.hypervisor !== 'vmware' && spec.vmware)
      issue(['vmware'], `is for hypervisor vmware only; remove it or set hypervisor: vmware`);
    if (spec.hypervisor !== 'ironic' && spec.ironic)
      issue(['ironic'], 'is for hypervisor ironic only; remove it or set hypervisor: ironic');
    if (new Set(spec.hosts ?? []).size !== (spec.hosts ?? []).length)
      issue(['hosts'], 'lists a host twice; list each once');
    const seen = new Set<string>();
    spec.agents.forEach((agent, i) => {
      if (seen.has(agent.name))
        issue(['agents', i, 'name'], `"${agent.name}" is listed twice; list each agent once`);
      seen.add(agent.name);
    });
    if (!seen.has(NOVA_COMPUTE))
      issue(['agents'], `must include ${NOVA_COMPUTE}: it is what registers the block in Nova`);
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: "self.hypervisor != 'kvm' || has(self.hosts) || (has(self.nodeSelector) && size(self.nodeSelector) > 0)",
        message: 'hosts or nodeSelector is required for hypervisor kvm',
      },
      { rule: "self.hypervisor == 'kvm' || !has(self.hosts)", message: 'hosts is for hypervisor kvm only' },
      {
        rule: "self.hypervisor != 'vmware' || has(self.vmware)",
        message: 'vmware is required for hypervisor vmware',
      },
      {
        rule: "self.hypervisor == 'vmware' || !has(self.vmware)",
        message: 'vmware is for hypervisor vmware only',
      },
      {
        rule: "self.hypervisor == 'ironic' || !has(self.ironic)",
        message: 'ironic is for hypervisor ironic only',
      },
    ],
  })
  .describe(
    'A block of compute capacity: its Nova agents, host aggregate, maintenance mode and notifications.',
  );

const serviceStateSchema = z
  .object({
    host: z.string().describe('The Nova host name.'),
    status: z.string().optional().describe('enabled or disabled, as Nova reports it.'),
    state: z.string().optional().describe('up or down, as Nova reports it.'),
    disabledReason: z.string().optional().describe('The disabled reason Nova records.'),
  })
  .describe('One nova-compute service of the block as Nova reports it.');

export const buildingBlockStatusSchema = z
  .object({
    readyAgents: z.string().optional().describe('Ready agent pods out of the wanted ones, e.g. 3/3.'),
    hosts: z.array(z.string()).optional().describe('The Nova host names of the block.'),
    aggregate: z.string().optional().describe('The name of the host aggregate.'),
    services: z
      .array(serviceStateSchema)
      .optional()
      .describe('The nova-compute services, read back from Nova through provider-stackplane.'),
    maintenance: z
      .object({
        enabled: z.boolean().optional().describe('The maintenance state last taken over from the spec.'),
        reason: z.string().optional().describe('Its reason.'),
        transitions: z.number().int().optional().describe('How many maintenance transitions there were.'),
      })
      .optional()
      .describe('Maintenance transitions: each one is announced once.'),
    notification: z
      .object({
        lastDelivered: z.number().int().optional().describe('The last transition the webhook accepted.'),
        deliveredAt: z.string().optional().describe('When it was accepted.'),
      })
      .optional()
      .describe('What the webhook was told.'),
  })
  .describe('What was composed for the building block and what Nova reports.');

export type BuildingBlockSpec = z.output<typeof buildingBlockSpecSchema>;
export type Agent = z.output<typeof agentSchema>;

export const BuildingBlock: CompositeKind<typeof buildingBlockSpecSchema, typeof buildingBlockStatusSchema> =
  {
    group: 'openstack.stackplane.io',
    version: 'v1alpha1',
    kind: 'BuildingBlock',
    // Its agents run privileged on the platform's compute nodes.
    operatorOnly: true,
    plural: 'buildingblocks',
    scope: 'Namespaced',
    description:
      'A block of compute capacity in one availability zone: its Nova agents, host aggregate, maintenance ' +
      'mode in Nova and the notification of each maintenance transition.',
    spec: buildingBlockSpecSchema,
    status: buildingBlockStatusSchema,
    printerColumns: [
      { name: 'AZ', type: 'string', jsonPath: '.spec.availabilityZone' },
      { name: 'HYPERVISOR', type: 'string', jsonPath: '.spec.hypervisor' },
      { name: 'READY-AGENTS', type: 'string', jsonPath: '.status.readyAgents' },
      {
        name: 'MAINTENANCE',
        type: 'string',
        jsonPath: ".status.conditions[?(@.type=='Maintenance')].reason",
      },
    ],
  };
