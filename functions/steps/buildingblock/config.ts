import { createHash } from 'node:crypto';
import type { BuildingBlockInput } from '../../../apis/functions/buildingblock-input.js';
import { NOVA_COMPUTE, type Agent } from '../../../apis/openstack/buildingblock.js';
import type { KubeObject } from '../../types.js';
import { IniSyntaxError, mergeIni, parseIni, renderIni, type Ini } from './ini.js';
import type { Platform } from './inputs.js';
import { metadata, novaHosts, objectNames, type Block } from './names.js';

/** Where the pods mount the config Secret and the rendered credentials. */
export const CONFIG_DIR = '/var/lib/openstack/config';
export const SECRETS_DIR = '/var/lib/openstack/secrets';
/** Where a vmware block's vCenter CA bundle is mounted. */
export const VMWARE_CA_FILE = '/etc/pki/vmware/ca.crt';

/** The sections nova-compute authenticates to other services with, as the nova service user. */
export const NOVA_AUTH_SECTIONS = ['placement', 'neutron', 'cinder'] as const;

/**
 * How credentials reach the agents: never through this function. An init container reads them from
 * Secret-backed environment variables and writes a conf.d file on a memory-backed volume: the host
 * identity and transport URL into [DEFAULT], the service password into each section of AUTH_SECTIONS,
 * the vCenter login into [vmware]. So results, status and logs can never carry a secret.
 */
const RENDER_SECRETS_SCRIPT = `#!/bin/bash
# Writes what the agent reads from Secret-backed environment variables into a conf.d file on a
# memory-backed volume; no secret value is part of the rendered configuration.
set -euo pipefail
umask 077
# oslo.config expands $name in values: a literal $ is written as $$.
esc() { printf '%s' "\${1//\\$/\\$\\$}"; }
{
  echo '[DEFAULT]'
  echo "host = $AGENT_HOST"
  echo "transport_url = $(esc "$TRANSPORT_URL")"
  for section in \${AUTH_SECTIONS:-}; do
    printf '\\n[%s]\\npassword = %s\\n' "$section" "$(esc "$SERVICE_PASSWORD")"
  done
  if [ -n "\${VMWARE_USERNAME:-}" ]; then
    printf '\\n[vmware]\\nhost_username = %s\\nhost_password = %s\\n' \\
      "$(esc "$VMWARE_USERNAME")" "$(esc "$VMWARE_PASSWORD")"
  fi
} > ${SECRETS_DIR}/secrets.conf
`;

type AgentType = BuildingBlockInput['agentTypes'][string];

/** Keys customServiceConfig may not set: the block derives them, or they are secrets. */
const RESERVED = [
  { section: 'DEFAULT', key: 'host', why: 'the block derives the host identity' },
  { section: 'DEFAULT', key: 'transport_url', why: 'it comes from the nova Secret' },
];
const SECRET_KEY = /(password|secret)$/;

/** A customServiceConfig that cannot be used, with the field and the fix. */
export class CustomConfigError extends Error {
  override name = 'CustomConfigError';
}

const section = (entries: Record<string, string | undefined>): Map<string, string> =>
  new Map(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined));

/** Keystone authentication of the nova service user in one section (password comes from conf.d). */
function serviceAuth(b: Block, platform: Platform): Record<string, string> {
  return {
    auth_type: 'password',
    auth_url: platform.keystoneAuthURL,
    username: b.spec.nova.serviceUser,
    user_domain_name: 'Default',
    project_name: 'service',
    project_domain_name: 'Default',
    region_name: platform.region,
    valid_interfaces: 'internal',
  };
}

/** The generated nova.conf of nova-compute for the block's hypervisor, credentials excluded. */
export function novaComputeIni(b: Block, platform: Platform): Ini {
  const { hypervisor, vmware, ironic } = b.spec;
  const ini: Ini = new Map();
  const driver = {
    kvm: 'libvirt.LibvirtDriver',
    vmware: 'vmwareapi.VMwareVCDriver',
    ironic: 'ironic.IronicDriver',
  };
  ini.set(
    'DEFAULT',
    section({
      compute_driver: driver[hypervisor],
      state_path: '/var/lib/nova',
      // The aggregate carries the zone; this is where the service shows before it joins one.
      default_availability_zone: b.spec.availabilityZone,
      // Ironic and vCenter report capacity per node or cluster; nothing to keep back on the agent pod.
      ...(hypervisor === 'kvm' ? {} : { reserved_host_memory_mb: '0' }),
    }),
  );
  if (hypervisor === 'kvm')
    ini.set('libvirt', section({ virt_type: 'kvm', connection_uri: 'qemu:///system' }));
  if (vmware) {
    ini.set(
      'vmware',
      section({
        host_ip: vmware.host,
        cluster_name: vmware.clusterName,
        datastore_regex: vmware.datastoreRegex,
        insecure: String(vmware.insecure),
        ca_file: vmware.caBundleSecretName ? VMWARE_CA_FILE : undefined,
      }),
    );
  }
  for (const name of NOVA_AUTH_SECTIONS) ini.set(name, section(serviceAuth(b, platform)));
  if (hypervisor === 'ironic') {
    ini.set(
      'ironic',
      section({
        ...serviceAuth(b, platform),
        partition_key: ironic?.conductorGroup,
        peer_list: ironic?.conductorGroup ? novaHosts(b).join(',') : undefined,
      }),
    );
  }
  ini.set('oslo_concurrency', section({ lock_path: '/var/lib/nova/tmp' }));
  return ini;
}

/** The generated config of another agent: only what every OpenStack agent shares. */
function genericAgentIni(): Ini {
  return new Map([['oslo_concurrency', section({ lock_path: '/var/lib/openstack/tmp' })]]);
}

/** The sections whose password the init container writes, per agent. */
export function authSections(b: Block, agent: Agent): string[] {
  if (agent.name !== NOVA_COMPUTE) return [];
  return [...NOVA_AUTH_SECTIONS, ...(b.spec.hypervisor === 'ironic' ? ['ironic'] : [])];
}

/** Parses an agent's customServiceConfig and refuses what it may not set. */
export function customIni(agent: Agent, index: number): Ini {
  const field = `spec.agents[${index}].customServiceConfig`;
  let ini: Ini;
  try {
    ini = parseIni(agent.customServiceConfig ?? '');
  } catch (error) {
    if (error instanceof IniSyntaxError) throw new CustomConfigError(`${field}: ${error.message}`);
    throw error;
  }
  for (const [name, keys] of ini) {
    for (const key of keys.keys()) {
      const reserved = RESERVED.find((r) => r.section === name && r.key === key);
      if (reserved)
        throw new CustomConfigError(`${field}: [${name}] ${key} cannot be set: ${reserved.why}; remove it`);
      if (SECRET_KEY.test(key))
        throw new CustomConfigError(
          `${field}: [${name}] ${key} looks like a secret; secrets never go inline: put it in the nova Secret`,
        );
    }
  }
  return ini;
}

/** The file name of an agent's config in the config Secret. */
export const configKey = (agent: string) => `${agent}.conf`;

/** Every file of the config Secret: each agent's merged config, its kolla start config and the script. */
export function configFiles(
  b: Block,
  platform: Platform,
  agentTypes: Block['input']['agentTypes'],
): Record<string, string> {
  const files: Record<string, string> = { 'render-secrets.sh': RENDER_SECRETS_SCRIPT };
  b.spec.agents.forEach((agent, index) => {
    const type = agentTypes[agent.name]!;
    const base = agent.name === NOVA_COMPUTE ? novaComputeIni(b, platform) : genericAgentIni();
    files[configKey(agent.name)] = renderIni(mergeIni(base, customIni(agent, index)));
    files[`${agent.name}-config.json`] = kollaConfig(type, agent.name, b);
  });
  return files;
}

/** The kolla start config of an agent: which files go where, and the command. */
function kollaConfig(type: AgentType, agent: string, b: Block): string {
  const { command, configFile, user: owner } = type;
  const files = [
    { source: `${CONFIG_DIR}/${configKey(agent)}`, dest: configFile, owner, perm: '0600' },
    { source: `${SECRETS_DIR}/secrets.conf`, dest: `${configFile}.d/02-secrets.conf`, owner, perm: '0600' },
  ];
  if (agent === NOVA_COMPUTE && b.spec.vmware?.caBundleSecretName) {
    files.push({ source: '/var/lib/config-data/vmware/ca.crt', dest: VMWARE_CA_FILE, owner, perm: '0644' });
  }
  return (
    JSON.stringify(
      { command: `${command} --config-file ${configFile} --config-dir ${configFile}.d`, config_files: files },
      null,
      2,
    ) + '\n'
  );
}

/** The config Secret every agent mounts. It holds no credential. */
export function configSecret(b: Block, files: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(b, objectNames(b).configSecret),
    type: 'Opaque',
    stringData: files,
  };
}

/**
 * A hash of one agent's config inputs (its files and the Secrets, names and keys, it reads): it goes
 * into the pod template, so a change rolls that agent's pods and no other's.
 */
export function agentConfigHash(b: Block, agent: Agent, files: Record<string, string>): string {
  const inputs = {
    config: files[configKey(agent.name)],
    kolla: files[`${agent.name}-config.json`],
    script: files['render-secrets.sh'],
    nova: b.spec.nova,
    vmware: agent.name === NOVA_COMPUTE ? (b.spec.vmware ?? null) : null,
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}
