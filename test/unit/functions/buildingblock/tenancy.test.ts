// What a BuildingBlock may choose and what the platform keeps: images only among those the
// Composition input allows, privileges only for the agents that need them and only on kvm hosts,
// pods only on the platform's compute nodes and never on a control-plane node.
import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_TYPES } from '../../../../apis/functions/buildingblock-input.js';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, desiredStatus, summarize } from '../../../support/responses.js';

const NOVA_IMAGE = DEFAULT_AGENT_TYPES['nova-compute'].image;
const NEXT_NOVA_IMAGE = 'registry.example.com/openstack/nova-compute:2026.1';

const secret = (name: string, keys: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'openstack' },
  data: Object.fromEntries(keys.map((k) => [k, 'cGxhY2Vob2xkZXI='])),
});
const required = {
  'environment-config': [
    {
      apiVersion: 'apiextensions.crossplane.io/v1beta1',
      kind: 'EnvironmentConfig',
      metadata: { name: 'stackplane-openstack' },
      data: { openstack: { keystoneAuthURL: 'https://keystone.example.com/v3', region: 'region-1' } },
    },
  ],
  'nova-secret': [secret('nova-secret', ['NovaPassword', 'transport_url'])],
  'vmware-secret': [secret('vcenter', ['username', 'password'])],
};
// The config Secret exists, so the agents are composed.
const observed = { 'config-secret': { apiVersion: 'v1', kind: 'Secret' } };

/** The Composition input: the defaults, with modifiers. */
function input(...modifiers: ((i: Record<string, unknown>) => void)[]): KubeObject {
  const i: Record<string, unknown> = { apiVersion: 'fn.stackplane.io/v1alpha1', kind: 'BuildingBlock' };
  for (const modify of modifiers) modify(i);
  return i as KubeObject;
}
const allowingNovaImages =
  (...images: string[]) =>
  (i: Record<string, unknown>) => {
    i['agentTypes'] = {
      ...DEFAULT_AGENT_TYPES,
      'nova-compute': { ...DEFAULT_AGENT_TYPES['nova-compute'], allowedImages: images },
    };
  };

const kvm = { availabilityZone: 'az-1', hosts: ['node-a'], nova: { secret: 'nova-secret' } };
const vmware = {
  availabilityZone: 'az-2',
  hypervisor: 'vmware',
  vmware: { host: 'vcenter.example.com', clusterName: 'c1', credentialsSecret: 'vcenter' },
  nova: { secret: 'nova-secret' },
};
const withSriov = [{ name: 'nova-compute' }, { name: 'neutron-sriov-agent' }];

const xr = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'openstack.stackplane.io/v1alpha1',
  kind: 'BuildingBlock',
  metadata: { name: 'bb-1', namespace: 'openstack' },
  spec,
});

const run = (spec: Record<string, unknown>, parts: { input?: KubeObject; nodes?: KubeObject[] } = {}) =>
  new StackplaneFunction(steps).RunFunction(
    runFunctionRequest({
      xr: xr(spec),
      input: parts.input ?? input(),
      observed,
      required: { ...required, ...(parts.nodes ? { nodes: parts.nodes } : {}) },
    }),
  );

type PodSpec = {
  hostNetwork?: boolean;
  securityContext?: Record<string, unknown>;
  nodeSelector?: Record<string, string>;
  affinity?: unknown;
  containers: { image: string; securityContext: unknown; volumeMounts: { mountPath: string }[] }[];
  volumes: { hostPath?: { path: string } }[];
};
const podSpec = (deployment: KubeObject | undefined): PodSpec =>
  (deployment!['spec'] as { template: { spec: PodSpec } }).template.spec;

const refusal = (message: string) => ({
  results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
  conditions: [{ type: 'Valid', status: 'False', reason: 'InvalidSpec', message }],
});

describe('BuildingBlock images: the platform chooses', () => {
  it.each<{ reason: string; input: KubeObject; image: string; message: string }>([
    {
      reason: 'any image when the input allows none besides its own',
      input: input(),
      image: 'attacker.example.com/root-shell:latest',
      message:
        'spec.agents[0].image: "attacker.example.com/root-shell:latest" is not an image the platform ' +
        `allows for nova-compute; remove it to run ${NOVA_IMAGE} (allowedImages of the Composition input)`,
    },
    {
      reason: 'an image the input does not list, named with the ones it does',
      input: input(allowingNovaImages(NEXT_NOVA_IMAGE)),
      image: 'registry.example.com/openstack/nova-compute:2026.1-debug',
      message:
        'spec.agents[0].image: "registry.example.com/openstack/nova-compute:2026.1-debug" is not an image ' +
        `the platform allows for nova-compute; remove it to run ${NOVA_IMAGE}, or pick one of: ` +
        `${NEXT_NOVA_IMAGE} (allowedImages of the Composition input)`,
    },
  ])('refuses $reason, naming the field and the fix', async ({ input, image, message }) => {
    const rsp = await run({ ...kvm, agents: [{ name: 'nova-compute', image }] }, { input });
    expect(summarize(rsp)).toEqual(refusal(message));
    expect(desiredResources(rsp)).toEqual({});
  });

  it.each<{ reason: string; input: KubeObject; image?: string; want: string }>([
    { reason: "the input's image when the block names none", input: input(), want: NOVA_IMAGE },
    { reason: "the input's own image named again", input: input(), image: NOVA_IMAGE, want: NOVA_IMAGE },
    {
      reason: 'an image of allowedImages',
      input: input(allowingNovaImages(NEXT_NOVA_IMAGE)),
      image: NEXT_NOVA_IMAGE,
      want: NEXT_NOVA_IMAGE,
    },
  ])('runs $reason', async ({ input, image, want }) => {
    const rsp = await run(
      { ...kvm, agents: [{ name: 'nova-compute', ...(image ? { image } : {}) }] },
      { input },
    );
    expect(summarize(rsp).results).toEqual([]);
    const pod = podSpec(desiredResources(rsp)['agent-nova-compute-node-a']);
    expect(pod.containers.map((c) => c.image)).toEqual([want]);
  });
});

describe('BuildingBlock privileges: only agents that need them, only on kvm hosts', () => {
  const unprivileged = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  const nonRoot = {
    runAsUser: 42436,
    runAsGroup: 42436,
    fsGroup: 42436,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const view = (pod: PodSpec) => ({
    hostNetwork: pod.hostNetwork ?? false,
    pod: pod.securityContext,
    container: pod.containers[0]!.securityContext,
    hostPaths: pod.volumes.flatMap((v) => (v.hostPath ? [v.hostPath.path] : [])),
  });

  it.each<{ reason: string; spec: Record<string, unknown>; resource: string; want: object }>([
    {
      reason: 'nova-compute on kvm drives libvirt: privileged, host network, libvirt paths',
      spec: kvm,
      resource: 'agent-nova-compute-node-a',
      want: {
        hostNetwork: true,
        pod: undefined,
        container: { privileged: true },
        hostPaths: ['/run/libvirt', '/var/lib/nova', '/var/lib/libvirt', '/dev', '/lib/modules'],
      },
    },
    {
      reason: "neutron-sriov-agent on kvm: privileged, host network, sysfs, none of libvirt's paths",
      spec: { ...kvm, agents: withSriov },
      resource: 'agent-neutron-sriov-agent-node-a',
      want: {
        hostNetwork: true,
        pod: undefined,
        container: { privileged: true },
        hostPaths: ['/sys/class/net', '/sys/devices'],
      },
    },
    {
      reason: 'nova-compute on vmware talks to vCenter: nothing of its node',
      spec: vmware,
      resource: 'agent-nova-compute',
      want: { hostNetwork: false, pod: nonRoot, container: unprivileged, hostPaths: [] },
    },
  ])('$reason', async ({ spec, resource, want }) => {
    const rsp = await run(spec);
    expect(view(podSpec(desiredResources(rsp)[resource]))).toEqual(want);
  });

  it('gives an agent type that declares nothing of its node nothing, even on kvm', async () => {
    const plain = (i: Record<string, unknown>) => {
      i['agentTypes'] = {
        ...DEFAULT_AGENT_TYPES,
        'neutron-ovn-metadata-agent': {
          image: 'quay.io/podified-antelope-centos9/openstack-neutron-metadata-agent-ovn:current-podified',
          command: 'neutron-ovn-metadata-agent',
          configFile: '/etc/neutron/neutron.conf',
        },
      };
    };
    const rsp = await run(
      { ...kvm, agents: [{ name: 'nova-compute' }, { name: 'neutron-ovn-metadata-agent' }] },
      { input: input(plain) },
    );
    expect(view(podSpec(desiredResources(rsp)['agent-neutron-ovn-metadata-agent-node-a']))).toEqual({
      hostNetwork: false,
      pod: nonRoot,
      container: unprivileged,
      hostPaths: [],
    });
  });
});

describe('BuildingBlock nodes: the platform compute nodes, never the control plane', () => {
  const notControlPlane = { key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' };
  const affinity = (...expressions: object[]) => ({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: expressions }],
      },
    },
  });

  it.each<{ reason: string; spec: Record<string, unknown>; resource: string; want: object }>([
    {
      reason: 'a kvm agent requires the compute label and excludes control-plane nodes, pinned to its host',
      spec: kvm,
      resource: 'agent-nova-compute-node-a',
      want: {
        nodeSelector: { 'kubernetes.io/hostname': 'node-a' },
        affinity: affinity(
          { key: 'openstack.stackplane.io/compute', operator: 'In', values: ['true'] },
          notControlPlane,
        ),
      },
    },
    {
      reason: 'a vmware agent, on no hypervisor node, still excludes control-plane nodes',
      spec: vmware,
      resource: 'agent-nova-compute',
      want: { nodeSelector: undefined, affinity: affinity(notControlPlane) },
    },
  ])('$reason', async ({ spec, resource, want }) => {
    const pod = podSpec(desiredResources(await run(spec))[resource]);
    expect({ nodeSelector: pod.nodeSelector, affinity: pod.affinity }).toEqual(want);
  });

  it("takes the platform's compute selector from the Composition input", async () => {
    const racks = (i: Record<string, unknown>) => {
      i['nodes'] = { computeSelector: { 'example.com/hypervisor': 'kvm' } };
    };
    const pod = podSpec(
      desiredResources(await run(kvm, { input: input(racks) }))['agent-nova-compute-node-a'],
    );
    expect(pod.affinity).toEqual(
      affinity({ key: 'example.com/hypervisor', operator: 'In', values: ['kvm'] }, notControlPlane),
    );
  });

  it.each<{ reason: string; spec: Record<string, unknown>; message: string }>([
    {
      reason: 'the block',
      spec: { ...kvm, nodeSelector: { 'openstack.stackplane.io/compute': 'false' } },
      message:
        'spec.nodeSelector: "openstack.stackplane.io/compute" is "true" on the platform\'s compute nodes ' +
        '(nodes.computeSelector of the Composition input); remove it',
    },
    {
      reason: 'an agent',
      spec: {
        ...kvm,
        agents: [{ name: 'nova-compute', nodeSelector: { 'openstack.stackplane.io/compute': '' } }],
      },
      message:
        'spec.agents[0].nodeSelector: "openstack.stackplane.io/compute" is "true" on the platform\'s ' +
        'compute nodes (nodes.computeSelector of the Composition input); remove it',
    },
  ])("refuses a selector of $reason that contradicts the platform's", async ({ spec, message }) => {
    expect(summarize(await run(spec))).toEqual(refusal(message));
  });

  it('lets a vmware block keep its agent off compute nodes: it runs on no hypervisor', async () => {
    const offCompute = { 'openstack.stackplane.io/compute': 'false' };
    const rsp = await run({ ...vmware, nodeSelector: offCompute });
    expect(summarize(rsp).results).toEqual([]);
    expect(podSpec(desiredResources(rsp)['agent-nova-compute']).nodeSelector).toEqual(offCompute);
  });

  it('names each host directory of an agent type apart, even when two read alike', async () => {
    const alike = (i: Record<string, unknown>) => {
      i['agentTypes'] = {
        ...DEFAULT_AGENT_TYPES,
        'nova-compute': {
          ...DEFAULT_AGENT_TYPES['nova-compute'],
          host: { privileged: true, paths: [{ path: '/var/lib/a-b' }, { path: '/var/lib/a/b' }] },
        },
      };
    };
    const pod = podSpec(
      desiredResources(await run(kvm, { input: input(alike) }))['agent-nova-compute-node-a'],
    );
    const hostVolumes = pod.volumes.filter((v) => v.hostPath) as {
      name: string;
      hostPath: { path: string };
    }[];
    expect(hostVolumes.map((v) => v.hostPath.path)).toEqual(['/var/lib/a-b', '/var/lib/a/b']);
    expect(hostVolumes[0]!.name).toBe('host-var-lib-a-b');
    expect(hostVolumes[1]!.name).toMatch(/^host-[0-9a-f]{16}$/);
  });

  it('selects hosts among compute nodes only and never takes a control-plane node', async () => {
    const spec = { ...kvm, hosts: undefined, nodeSelector: { 'stackplane.io/block': 'bb-1' } };
    const asked = await new StackplaneFunction(steps).RunFunction(
      runFunctionRequest({ xr: xr(spec), input: input(), required: {} }),
    );
    expect(asked.requirements?.resources['nodes']?.matchLabels?.labels).toEqual({
      'stackplane.io/block': 'bb-1',
      'openstack.stackplane.io/compute': 'true',
    });
    const node = (name: string, labels: Record<string, string> = {}): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels },
    });
    const rsp = await run(spec, {
      nodes: [node('node-a'), node('master-0', { 'node-role.kubernetes.io/control-plane': '' })],
    });
    expect(desiredStatus(rsp)?.['hosts']).toEqual(['node-a']);
    expect(Object.keys(desiredResources(rsp)).filter((n) => n.startsWith('agent-'))).toEqual([
      'agent-nova-compute-node-a',
    ]);
  });
});

describe('BuildingBlock sizes: every field a block sets is bounded', () => {
  const invalid = (problem: string) => `invalid BuildingBlock openstack/bb-1: ${problem}`;
  const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, 'x']));
  it.each<{ reason: string; spec: Record<string, unknown>; message: string }>([
    {
      reason: 'a host name with an empty label',
      spec: { ...kvm, hosts: ['node..a'] },
      message: invalid('spec.hosts[0]: must be a lowercase host name, for example node-01.rack2'),
    },
    {
      reason: 'too many node labels',
      spec: { ...kvm, nodeSelector: labels(17) },
      message: invalid('spec.nodeSelector: must have at most 16 labels'),
    },
    {
      reason: 'a customServiceConfig over 32 KiB',
      spec: { ...kvm, agents: [{ name: 'nova-compute', customServiceConfig: 'x'.repeat(32769) }] },
      message: invalid(
        'spec.agents[0].customServiceConfig: Too big: expected string to have <=32768 characters',
      ),
    },
    {
      reason: 'an image that is no image reference',
      spec: { ...kvm, agents: [{ name: 'nova-compute', image: 'nova; rm -rf /' }] },
      message: invalid(
        'spec.agents[0].image: must be an image reference with a tag or digest, for example quay.io/org/image:2025.1',
      ),
    },
  ])('refuses $reason', async ({ spec, message }) => {
    expect(summarize(await run(spec))).toEqual(refusal(message));
  });
});

describe('BuildingBlock Composition input: what the platform writes is checked too', () => {
  it.each<{ reason: string; modify: (i: Record<string, unknown>) => void; message: string }>([
    {
      reason: 'an empty compute selector, which would match every node',
      modify: (i) => {
        i['nodes'] = { computeSelector: {} };
      },
      message: 'invalid step input: input.nodes.computeSelector: must name at least one label',
    },
    {
      reason: 'a host path listed twice',
      modify: (i) => {
        i['agentTypes'] = {
          'nova-compute': {
            ...DEFAULT_AGENT_TYPES['nova-compute'],
            host: { privileged: true, paths: [{ path: '/dev' }, { path: '/dev', readOnly: true }] },
          },
        };
      },
      message: 'invalid step input: input.agentTypes.nova-compute.host.paths: lists a path twice',
    },
  ])('refuses $reason', async ({ modify, message }) => {
    const { results } = summarize(await run(kvm, { input: input(modify) }));
    expect(results.map((r) => [r.severity, r.message])).toEqual([['Fatal', message]]);
  });
});
