import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readSingleManifest } from '../../render/manifests.js';
import { PACKAGES, type PackageName } from '../packages.js';
import { collectAccess, type ComposedAccess, type Kind } from './access.js';
import {
  crossplaneChartRules,
  PLATFORM_PROVIDER_GROUPS,
  providerDependencies,
  providerGroups,
  xrdGroups,
} from './crossplane-grants.js';
import {
  allows,
  COMPOSE_VERBS,
  expandRule,
  READ_VERBS,
  rulesFor,
  uniquePermissions,
  type Permission,
  type PolicyRule,
} from './policy.js';

/** The file a Configuration's ClusterRole ships in: Configuration packages cannot carry RBAC. */
export const roleFile = (configuration: PackageName) => join('package/rbac', `${configuration}.yaml`);

/** The ClusterRole's name: aggregated into Crossplane's by its label. */
export const roleName = (configuration: PackageName) => `stackplane:${configuration}:aggregate-to-crossplane`;

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

/**
 * The resource name of a kind: the plural of a CRD Stackplane ships, else the API server's own guess
 * from the kind (apimachinery's UnsafeGuessKindToResource), which every kind composed today follows.
 */
export async function resourceNamer(): Promise<(k: Kind) => string> {
  const plurals = new Map<string, string>();
  for (const dir of ['package/provider/crds', 'apis/xrds']) {
    for (const file of (await readdir(dir)).sort()) {
      const crd = await readSingleManifest(join(dir, file));
      const spec = crd['spec'] as { group: string; names: { kind: string; plural: string } };
      plurals.set(`${spec.group} ${spec.names.kind}`, spec.names.plural);
    }
  }
  return (k) => {
    const known = plurals.get(`${groupOf(k.apiVersion)} ${k.kind}`);
    if (known) return known;
    const lower = k.kind.toLowerCase();
    if (lower.endsWith('s')) return `${lower}es`;
    if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
    return `${lower}s`;
  };
}

/** Every permission Crossplane needs to run a Configuration's Compositions as rendered. */
export async function neededPermissions(access: ComposedAccess): Promise<Permission[]> {
  const resourceOf = await resourceNamer();
  const out: Permission[] = [];
  const each = (kinds: Iterable<Kind>, verbs: readonly string[]) => {
    for (const k of kinds) {
      for (const verb of verbs) out.push({ group: groupOf(k.apiVersion), resource: resourceOf(k), verb });
    }
  };
  each(access.composed.values(), COMPOSE_VERBS);
  each(access.required.values(), READ_VERBS);
  // Holding what a composed Role grants lets Crossplane create it (no escalate) and bind it (no bind).
  for (const rule of access.roleRules) out.push(...expandRule(rule));
  // A composed ClusterRole: escalate to create it and bind to bind it, on exactly its name.
  for (const name of access.clusterRoles) {
    for (const verb of ['escalate', 'bind']) {
      out.push({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb, resourceName: name });
    }
  }
  // A RoleBinding to a role Crossplane does not compose needs bind on exactly that role.
  for (const role of access.boundRoles) {
    out.push({
      group: 'rbac.authorization.k8s.io',
      resource: role.kind === 'ClusterRole' ? 'clusterroles' : 'roles',
      verb: 'bind',
      resourceName: role.name,
    });
  }
  return uniquePermissions(out);
}

/** What Crossplane holds without Stackplane's roles, for one Configuration. */
export interface BaseGrants {
  /** Crossplane's ClusterRole from its Helm chart. */
  chart: PolicyRule[];
  /** What the RBAC manager grants: every verb on XRD kinds and on the installed Providers' CRDs. */
  rbacManager: PolicyRule[];
  /** API group suffixes the RBAC manager covers (Providers a platform installs as a backend). */
  rbacManagerGroupSuffixes: string[];
}

export async function baseGrants(configuration: PackageName): Promise<BaseGrants> {
  const { rules } = await crossplaneChartRules();
  const groups = await xrdGroups();
  const suffixes: string[] = [];
  const providers = [
    ...(await providerDependencies(PACKAGES[configuration].meta)),
    ...PLATFORM_PROVIDER_GROUPS.map((p) => p.provider),
  ];
  for (const pkg of providers) {
    const served = await providerGroups(pkg);
    groups.push(...served.groups);
    suffixes.push(...served.groupSuffixes);
  }
  return {
    chart: rules,
    rbacManager: [{ apiGroups: [...new Set(groups)].sort(), resources: ['*'], verbs: ['*'] }],
    rbacManagerGroupSuffixes: suffixes,
  };
}

/** Whether Crossplane holds a permission without Stackplane's roles. */
export function grantedByCrossplane(base: BaseGrants, p: Permission): boolean {
  return (
    allows(base.chart, p) ||
    allows(base.rbacManager, p) ||
    base.rbacManagerGroupSuffixes.some((suffix) => p.group.endsWith(suffix))
  );
}

/** The aggregated ClusterRole a Configuration ships: what it needs and Crossplane does not hold. */
export function clusterRole(configuration: PackageName, needed: readonly Permission[], base: BaseGrants) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: roleName(configuration),
      labels: { 'rbac.crossplane.io/aggregate-to-crossplane': 'true' },
    },
    rules: rulesFor(needed.filter((p) => !grantedByCrossplane(base, p))),
  };
}

/** Renders a Configuration's examples and derives its ClusterRole. */
export async function deriveClusterRole(configuration: PackageName, functionAddress: string) {
  const spec = PACKAGES[configuration];
  if (!('groups' in spec)) throw new Error(`${configuration} is not a Configuration`);
  const access = await collectAccess(spec.groups, functionAddress);
  const needed = await neededPermissions(access);
  const base = await baseGrants(configuration);
  return { access, needed, base, role: clusterRole(configuration, needed, base) };
}
