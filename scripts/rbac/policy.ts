/** A Kubernetes RBAC rule, as in a ClusterRole. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** One permission: a verb on a resource of an API group, optionally on one named object. */
export interface Permission {
  group: string;
  resource: string;
  verb: string;
  resourceName?: string;
}

/** What Crossplane does to a composed resource: server-side apply, watch, garbage collect. */
export const COMPOSE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;
/** What Crossplane does to a resource a function requires: read it by name or by labels. */
export const READ_VERBS = ['get', 'list', 'watch'] as const;

const matches = (granted: readonly string[], wanted: string) =>
  granted.includes('*') || granted.includes(wanted);

/** Whether a rule grants a permission, as the API server's RBAC authorizer decides it. */
export function ruleAllows(rule: PolicyRule, p: Permission): boolean {
  if (!matches(rule.apiGroups, p.group) || !matches(rule.verbs, p.verb)) return false;
  if (!matches(rule.resources, p.resource)) return false;
  if (!rule.resourceNames || rule.resourceNames.length === 0) return true;
  return p.resourceName !== undefined && rule.resourceNames.includes(p.resourceName);
}

export const allows = (rules: readonly PolicyRule[], p: Permission) => rules.some((r) => ruleAllows(r, p));

export const describePermission = (p: Permission) =>
  `${p.verb} ${p.resource}${p.group ? `.${p.group}` : ''}${p.resourceName ? ` "${p.resourceName}"` : ''}`;

/** Every permission a rule lists (no wildcards expected: a shipped role never uses them). */
export function expandRule(rule: PolicyRule): Permission[] {
  const out: Permission[] = [];
  for (const group of rule.apiGroups) {
    for (const resource of rule.resources) {
      for (const verb of rule.verbs) {
        if (!rule.resourceNames?.length) out.push({ group, resource, verb });
        for (const resourceName of rule.resourceNames ?? [])
          out.push({ group, resource, verb, resourceName });
      }
    }
  }
  return out;
}

const key = (p: Permission) => JSON.stringify([p.group, p.resource, p.verb, p.resourceName ?? '']);

/** Permissions without duplicates, in a stable order. */
export function uniquePermissions(permissions: Iterable<Permission>): Permission[] {
  const byKey = new Map<string, Permission>();
  for (const p of permissions) byKey.set(key(p), p);
  return [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, p]) => p);
}

/**
 * The fewest rules that grant exactly these permissions: one rule per API group and set of verbs
 * (and resource names), resources sorted, so the output is stable and reads like a hand-written role.
 */
export function rulesFor(permissions: readonly Permission[]): PolicyRule[] {
  // group + resource + resourceName → verbs
  const verbsOf = new Map<string, { group: string; resource: string; name?: string; verbs: Set<string> }>();
  for (const p of permissions) {
    const k = JSON.stringify([p.group, p.resource, p.resourceName ?? '']);
    const entry = verbsOf.get(k) ?? {
      group: p.group,
      resource: p.resource,
      ...(p.resourceName ? { name: p.resourceName } : {}),
      verbs: new Set<string>(),
    };
    entry.verbs.add(p.verb);
    verbsOf.set(k, entry);
  }
  const verbOrder = (v: string) => {
    const i = (COMPOSE_VERBS as readonly string[]).indexOf(v);
    return i < 0 ? COMPOSE_VERBS.length : i;
  };
  const rules = new Map<string, PolicyRule>();
  for (const { group, resource, name, verbs } of verbsOf.values()) {
    const sorted = [...verbs].sort((a, b) => verbOrder(a) - verbOrder(b) || a.localeCompare(b));
    const k = JSON.stringify([group, sorted, name ?? '']);
    const rule = rules.get(k) ?? {
      apiGroups: [group],
      resources: [],
      verbs: sorted,
      ...(name ? { resourceNames: [name] } : {}),
    };
    rule.resources.push(resource);
    rules.set(k, rule);
  }
  return [...rules.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, rule]) => ({ ...rule, resources: rule.resources.sort() }));
}
