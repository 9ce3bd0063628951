// The pure modules of the BuildingBlock step: config merge, host identity, transitions, conditions.
import { describe, expect, it } from 'vitest';
import { buildingBlockInputSchema } from '../../../../apis/functions/buildingblock-input.js';
import { buildingBlockSpecSchema } from '../../../../apis/openstack/buildingblock.js';
import { maintenanceCondition, type Progress } from '../../../../functions/steps/buildingblock/conditions.js';
import { configFiles, CustomConfigError } from '../../../../functions/steps/buildingblock/config.js';
import {
  IniSyntaxError,
  mergeIni,
  parseIni,
  renderIni,
} from '../../../../functions/steps/buildingblock/ini.js';
import {
  decideMaintenance,
  type MaintenanceRecord,
} from '../../../../functions/steps/buildingblock/maintenance.js';
import {
  agentInstances,
  novaHosts,
  objectName,
  type Block,
} from '../../../../functions/steps/buildingblock/names.js';

const platform = { keystoneAuthURL: 'https://keystone.example.com/v3', region: 'region-1' };

function block(spec: Record<string, unknown>, name = 'bb-1'): Block {
  return {
    name,
    namespace: 'openstack',
    spec: buildingBlockSpecSchema.parse({
      availabilityZone: 'az-1',
      nova: { secret: 'nova-secret' },
      ...spec,
    }),
    input: buildingBlockInputSchema.parse({}),
  };
}
const kvm = (spec: Record<string, unknown> = {}) =>
  block({ hypervisor: 'kvm', hosts: ['node-a', 'node-b'], ...spec });
const vmware = {
  hypervisor: 'vmware',
  vmware: { host: 'vc.example.com', clusterName: 'c1', credentialsSecret: 'vc' },
};

describe('ini merge', () => {
  it('lets custom keys replace generated ones and appends new keys and sections', () => {
    const base = parseIni('[DEFAULT]\na = 1\nb = 2\n\n[libvirt]\nvirt_type = kvm\n');
    const over = parseIni(
      '# tuned\n[libvirt]\nvirt_type = qemu\ncpu_mode = host-passthrough\n[DEFAULT]\nb=3\n[new]\nx = y',
    );
    expect(renderIni(mergeIni(base, over))).toBe(
      '[DEFAULT]\na = 1\nb = 3\n\n[libvirt]\nvirt_type = qemu\ncpu_mode = host-passthrough\n\n[new]\nx = y\n',
    );
  });

  it('puts keys before any section into DEFAULT and keeps values with "=" whole', () => {
    expect(renderIni(parseIni('debug = true\n[database]\nconnection = mysql://h/db?x=1'))).toBe(
      '[DEFAULT]\ndebug = true\n\n[database]\nconnection = mysql://h/db?x=1\n',
    );
  });

  it('names the line it cannot read', () => {
    expect(() => parseIni('[DEFAULT]\nnot a setting')).toThrow(
      new IniSyntaxError('line 2: "not a setting" is neither [section] nor key = value'),
    );
  });
});

describe('agent configuration', () => {
  it.each<{ reason: string; custom: string; want: string }>([
    {
      reason: 'the host identity is derived',
      custom: '[DEFAULT]\nhost = other',
      want: 'spec.agents[0].customServiceConfig: [DEFAULT] host cannot be set: the block derives the host identity; remove it',
    },
    {
      reason: 'the transport URL comes from the Secret',
      custom: '[DEFAULT]\ntransport_url = rabbit://u:p@h',
      want: 'spec.agents[0].customServiceConfig: [DEFAULT] transport_url cannot be set: it comes from the nova Secret; remove it',
    },
    {
      reason: 'secrets never go inline',
      custom: '[vmware]\nhost_password = hunter2',
      want: 'spec.agents[0].customServiceConfig: [vmware] host_password looks like a secret; secrets never go inline: put it in the nova Secret',
    },
    {
      reason: 'it must be ini',
      custom: 'cpu_allocation_ratio: 4',
      want: 'spec.agents[0].customServiceConfig: line 1: "cpu_allocation_ratio: 4" is neither [section] nor key = value',
    },
  ])('customServiceConfig is refused when $reason', ({ custom, want }) => {
    const b = kvm({ agents: [{ name: 'nova-compute', customServiceConfig: custom }] });
    expect(() => configFiles(b, platform, b.input.agentTypes)).toThrow(new CustomConfigError(want));
  });

  it('generates the vmware driver config and merges the custom config over it', () => {
    const b = block({
      ...vmware,
      agents: [
        { name: 'nova-compute', customServiceConfig: '[vmware]\ninsecure = true\n[DEFAULT]\ndebug = true' },
      ],
    });
    const conf = configFiles(b, platform, b.input.agentTypes)['nova-compute.conf']!;
    expect(parseIni(conf).get('vmware')).toEqual(
      new Map([
        ['host_ip', 'vc.example.com'],
        ['cluster_name', 'c1'],
        ['insecure', 'true'],
      ]),
    );
    expect(parseIni(conf).get('DEFAULT')?.get('compute_driver')).toBe('vmwareapi.VMwareVCDriver');
    expect(parseIni(conf).get('DEFAULT')?.get('debug')).toBe('true');
    expect(conf).not.toMatch(/password =/);
  });

  it('points the ironic driver at the conductor group with the block host as its only peer', () => {
    const b = block({ hypervisor: 'ironic', ironic: { conductorGroup: 'cg-az1' } });
    const ironic = parseIni(configFiles(b, platform, b.input.agentTypes)['nova-compute.conf']!).get('ironic');
    expect([ironic?.get('partition_key'), ironic?.get('peer_list'), ironic?.get('region_name')]).toEqual([
      'cg-az1',
      'openstack-bb-1',
      'region-1',
    ]);
  });
});

describe('host identity', () => {
  it('is the node name for kvm, one Deployment per agent and host', () => {
    const b = kvm({ agents: [{ name: 'nova-compute' }, { name: 'neutron-sriov-agent' }] });
    expect(novaHosts(b)).toEqual(['node-a', 'node-b']);
    expect(agentInstances(b).map((i) => [i.resource, i.deploymentName, i.host, i.node])).toEqual([
      ['agent-nova-compute-node-a', 'bb-1-nova-compute-node-a', 'node-a', 'node-a'],
      ['agent-nova-compute-node-b', 'bb-1-nova-compute-node-b', 'node-b', 'node-b'],
      ['agent-neutron-sriov-agent-node-a', 'bb-1-neutron-sriov-agent-node-a', 'node-a', 'node-a'],
      ['agent-neutron-sriov-agent-node-b', 'bb-1-neutron-sriov-agent-node-b', 'node-b', 'node-b'],
    ]);
  });

  it('is derived from namespace and name for vmware and ironic, whatever pod runs the agent', () => {
    expect(novaHosts(block(vmware))).toEqual(['openstack-bb-1']);
    expect(agentInstances(block({ hypervisor: 'ironic' })).map((i) => [i.host, i.node])).toEqual([
      ['openstack-bb-1', undefined],
    ]);
  });

  it('keeps long object names within 63 characters, stable and distinct', () => {
    const long = 'a'.repeat(40);
    const one = objectName(`${long}-nova-compute-node-000000000001`);
    const two = objectName(`${long}-nova-compute-node-000000000002`);
    expect([one.length, two.length]).toEqual([63, 63]);
    expect(one).not.toBe(two);
    expect(objectName(`${long}-nova-compute-node-000000000001`)).toBe(one);
  });
});

describe('maintenance transitions', () => {
  const record = (enabled: boolean, transitions: number, reason?: string): MaintenanceRecord => ({
    enabled,
    transitions,
    ...(reason ? { reason } : {}),
  });
  const cases: Record<
    string,
    {
      wanted: { enabled: boolean; reason?: string };
      recorded?: MaintenanceRecord;
      notifications?: { transition: number; enabled: boolean }[];
      want: { record: MaintenanceRecord; announce?: number };
    }
  > = {
    'a new block is no transition, even in maintenance': {
      wanted: { enabled: true, reason: 'r' },
      want: { record: record(true, 0, 'r') },
    },
    'a re-reconcile without change announces nothing': {
      wanted: { enabled: true },
      recorded: record(true, 1),
      want: { record: record(true, 1) },
    },
    'switching on is transition n+1': {
      wanted: { enabled: true, reason: 'fw' },
      recorded: record(false, 0),
      want: { record: record(true, 1, 'fw'), announce: 1 },
    },
    'switching off again is the next one': {
      wanted: { enabled: false },
      recorded: record(true, 1, 'fw'),
      want: { record: record(false, 2), announce: 2 },
    },
    'a new reason alone is no transition': {
      wanted: { enabled: true, reason: 'new' },
      recorded: record(true, 1, 'old'),
      want: { record: record(true, 1, 'new') },
    },
    'a lost status write is recovered from the composed notification, not announced twice': {
      wanted: { enabled: true },
      recorded: record(false, 0),
      notifications: [{ transition: 1, enabled: true }],
      want: { record: record(true, 1) },
    },
    'a flip back after a lost status write is the next transition': {
      wanted: { enabled: false },
      recorded: record(false, 0),
      notifications: [{ transition: 1, enabled: true }],
      want: { record: record(false, 2), announce: 2 },
    },
  };
  it.each(Object.entries(cases))('%s', (_, { wanted, recorded, notifications, want }) => {
    expect(decideMaintenance(wanted, recorded, notifications ?? [])).toEqual(want);
  });
});

describe('Maintenance condition', () => {
  const progress = (enabled: boolean, services: Progress['services']): Progress => ({
    agents: { ready: 0, wanted: 0 },
    registered: [],
    services,
    aggregate: 'Ready',
    maintenance: { enabled },
  });
  it.each<{ reason: string; p: Progress; want: object }>([
    {
      reason: 'Enabled once every service is disabled',
      p: progress(true, [{ host: 'a', status: 'disabled' }]),
      want: {
        status: 'True',
        reason: 'Enabled',
        message: '1/1 services disabled in Nova; nothing new is scheduled',
      },
    },
    {
      reason: 'Transitioning while one is still enabled or not registered',
      p: progress(true, [{ host: 'a', status: 'disabled' }, { host: 'b', status: 'enabled' }, { host: 'c' }]),
      want: {
        status: 'Unknown',
        reason: 'Transitioning',
        message: '1/3 services disabled in Nova; waiting for b, c',
      },
    },
    {
      reason: 'Disabled when all are enabled; an unregistered one registers enabled',
      p: progress(false, [{ host: 'a', status: 'enabled' }, { host: 'b' }]),
      want: { status: 'False', reason: 'Disabled', message: '2/2 services enabled in Nova' },
    },
  ])('$reason', ({ p, want }) => {
    expect(maintenanceCondition(p)).toEqual({ type: 'Maintenance', ...want });
  });
});
