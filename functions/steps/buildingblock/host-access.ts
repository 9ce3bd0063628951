import { createHash } from 'node:crypto';
import type { AgentInstance, Block } from './names.js';

/** The uid of the nova user in the upstream images; an agent without privileges never runs as root. */
export const NOVA_UID = 42436;

/** A container may not gain privileges; what every container of an agent pod starts from. */
export const NO_PRIVILEGES = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** What one agent's pod gets of its node: pod fields, the agent container's securityContext, host mounts. */
export interface HostAccess {
  pod: Record<string, unknown>;
  container: Record<string, unknown>;
  mounts: { name: string; mountPath: string; readOnly?: true }[];
  volumes: { name: string; hostPath: { path: string; type: 'Directory' } }[];
}

/**
 * Volume names for host directories (/var/lib/nova is host-var-lib-nova), each a DNS label; a path
 * too long for one, or one whose name another path took (/a-b and /a/b), is named by its hash.
 */
function volumeNames(paths: readonly string[]): string[] {
  const taken = new Set<string>();
  return paths.map((path) => {
    let name = `host${path.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.replace(/-+$/, '');
    if (name.length > 63 || taken.has(name))
      name = `host-${createHash('sha256').update(path).digest('hex').slice(0, 16)}`;
    taken.add(name);
    return name;
  });
}

/**
 * What an agent gets of its node: only on a kvm block (its agents run pinned to the platform's
 * compute nodes), only what the Composition input's agent type declares (`host`), and nothing for
 * vmware and ironic agents, which reach vCenter or Ironic over the network.
 *
 * Without privileges the pod meets Pod Security `restricted`: non-root, no capability, no escalation,
 * the runtime's seccomp profile. The root filesystem stays writable because kolla_start copies the
 * configuration into the image's /etc at start. A privileged agent (Pod Security `privileged`) runs
 * as root: `allowPrivilegeEscalation: false` cannot be set beside `privileged: true`.
 */
export function hostAccess(b: Block, instance: AgentInstance): HostAccess {
  const type = b.input.agentTypes[instance.agent.name]!;
  const host = b.spec.hypervisor === 'kvm' ? type.host : { privileged: false, hostNetwork: false, paths: [] };
  const network = host.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {};
  const names = volumeNames(host.paths.map((p) => p.path));
  const mounts = host.paths.map((p, i) => ({
    name: names[i]!,
    mountPath: p.path,
    ...(p.readOnly ? { readOnly: true as const } : {}),
  }));
  const volumes = host.paths.map((p, i) => ({
    name: names[i]!,
    hostPath: { path: p.path, type: 'Directory' as const },
  }));
  if (host.privileged) return { pod: network, container: { privileged: true }, mounts, volumes };
  return {
    pod: {
      ...network,
      securityContext: {
        runAsUser: NOVA_UID,
        runAsGroup: NOVA_UID,
        fsGroup: NOVA_UID,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
    },
    container: NO_PRIVILEGES,
    mounts,
    volumes,
  };
}
