import type { KubeObject } from '../../types.js';

/** The pod annotation Multus reads the extra networks from. */
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
/** The pod annotation Multus writes the attached networks and their IPs to. */
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';

/** Linux limits interface names to 15 characters. */
const MAX_INTERFACE_NAME = 15;

/**
 * The value of `k8s.v1.cni.cncf.io/networks` for the attachments: a JSON list of
 * `{name, namespace, interface}`, the interface named after the attachment, cut to 15 characters.
 */
export function networksAnnotation(attachments: readonly string[], namespace: string): string {
  return JSON.stringify(
    attachments.map((name) => ({ name, namespace, interface: name.slice(0, MAX_INTERFACE_NAME) })),
  );
}

interface NetworkStatus {
  name?: unknown;
  ips?: unknown;
}

/**
 * IPs of the pods on each attachment, from their network-status annotations. An attachment no
 * pod reports yet is left out; unreadable annotations count as not reported.
 */
export function attachmentIPs(
  attachments: readonly string[],
  namespace: string,
  pods: readonly KubeObject[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const pod of pods) {
    const annotations = (pod['metadata'] as { annotations?: Record<string, string> } | undefined)
      ?.annotations;
    for (const status of parseStatuses(annotations?.[NETWORK_STATUS_ANNOTATION])) {
      const attachment = attachments.find((a) => status.name === `${namespace}/${a}`);
      if (!attachment || !Array.isArray(status.ips)) continue;
      out[attachment] = [...(out[attachment] ?? []), ...status.ips.filter((ip) => typeof ip === 'string')];
    }
  }
  return out;
}

function parseStatuses(value: string | undefined): NetworkStatus[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as NetworkStatus[]) : [];
  } catch {
    return [];
  }
}
