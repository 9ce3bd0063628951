// Usages outlive the resources that use them.
import type { DesiredResource, KubeObject } from './types.js';

const USAGE_GROUPS = new Set(['protection.crossplane.io', 'apiextensions.crossplane.io']);
const USAGE_KINDS = new Set(['Usage', 'ClusterUsage']);

interface UsageSpec {
  by?: { apiVersion?: string; kind?: string; resourceRef?: { name?: string } };
}

interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const groupOf = (apiVersion: unknown): string =>
  typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';

const nameOf = (o: KubeObject): unknown => ((o['metadata'] ?? {}) as ObjectMeta).name;
const keyOf = (apiVersion: unknown, kind: unknown, name: unknown): string =>
  JSON.stringify([apiVersion, kind, name]);

const isUsage = (o: KubeObject): boolean =>
  USAGE_GROUPS.has(groupOf(o['apiVersion'])) && USAGE_KINDS.has(String(o['kind']));

/**
 * Usages the desired state left out whose `by` resource Crossplane still observes, kept as they are.
 *
 * Crossplane deletes a composed resource that leaves the desired state after removing its
 * `crossplane.io/composite` label, and its Usage controller waits for the using resource only for
 * a Usage that carries that label: a Usage dropped together with its user is released at once,
 * and what it protected can go while the user still needs it (a regional User's password Secret
 * while the user's application credential is being deleted). So a Usage stays desired until its
 * `by` resource has left the observed state; then the next run lets it go.
 */
export function usagesStillInUse(
  observed: Readonly<Record<string, KubeObject>>,
  desired: Readonly<Record<string, DesiredResource>>,
): Record<string, DesiredResource> {
  const kept: Record<string, DesiredResource> = {};
  let present: Set<string> | undefined;
  for (const [name, usage] of Object.entries(observed)) {
    if (Object.hasOwn(desired, name) || !isUsage(usage)) continue;
    const by = (usage['spec'] as UsageSpec | undefined)?.by;
    const user = by?.resourceRef?.name;
    if (!by || !user) continue;
    present ??= new Set(Object.values(observed).map((o) => keyOf(o['apiVersion'], o['kind'], nameOf(o))));
    if (present.has(keyOf(by.apiVersion, by.kind, user))) {
      kept[name] = { resource: asDesired(usage), ready: true };
    }
  }
  return kept;
}

/** The observed Usage as a desired one: what the function set, none of the server's fields. */
function asDesired(usage: KubeObject): KubeObject {
  const { name, namespace, labels, annotations } = (usage['metadata'] ?? {}) as ObjectMeta;
  return {
    apiVersion: usage['apiVersion'],
    kind: usage['kind'],
    metadata: {
      ...(name ? { name } : {}),
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
    spec: usage['spec'],
  };
}
