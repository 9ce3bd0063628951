import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readSingleManifest } from '../../render/manifests.js';
import { crossplaneModuleDir } from '../crossplane-module.js';
import type { PolicyRule } from './policy.js';

/**
 * The rules of Crossplane's own ClusterRole as the Helm chart of the pinned version renders it: the
 * chart ships in the Go module, under cluster/charts/crossplane.
 */
export async function crossplaneChartRules(): Promise<{ rules: PolicyRule[]; path: string }> {
  const dir = await crossplaneModuleDir();
  const path = join(dir, 'cluster/charts/crossplane/templates/clusterrole.yaml');
  const template = await readFile(path, 'utf8');
  // The rules follow the last template directive and are plain YAML.
  const start = template.lastIndexOf('\nrules:\n');
  if (start < 0 || template.slice(start).includes('{{')) {
    throw new Error(`cannot read the rules of ${path}: expected plain YAML after its last "rules:"`);
  }
  const rules = (parse(template.slice(start)) as { rules?: PolicyRule[] }).rules;
  if (!Array.isArray(rules) || rules.length === 0) throw new Error(`cannot read the rules of ${path}`);
  return { rules, path };
}

/**
 * Crossplane's RBAC manager grants Crossplane every verb on the kinds of every installed XRD and on
 * the CRDs of every installed Provider package (its `:aggregate-to-edit` roles aggregate to
 * Crossplane). These are the API groups of those Providers: a Configuration's Provider dependencies
 * and the backends a platform installs as Crossplane Providers for a Composition input to pick.
 */
export const PLATFORM_PROVIDER_GROUPS: ReadonlyArray<{ provider: string; groupSuffix: string }> = [
  // PlacementAPI database: provider-sql (database.backend: sql-provider).
  { provider: 'xpkg.crossplane.io/crossplane-contrib/provider-sql', groupSuffix: '.sql.m.crossplane.io' },
  // PlacementAPI Keystone registration: provider-openstack (keystone.backend: openstack-provider).
  {
    provider: 'xpkg.crossplane.io/crossplane-contrib/provider-openstack',
    groupSuffix: '.openstack.m.crossplane.io',
  },
  // Objects for a tenant's cluster that is not the management cluster: provider-kubernetes.
  {
    provider: 'xpkg.crossplane.io/crossplane-contrib/provider-kubernetes',
    groupSuffix: 'kubernetes.m.crossplane.io',
  },
];

/** The API groups a Provider package serves, by its package reference. */
export async function providerGroups(pkg: string): Promise<{ groups: string[]; groupSuffixes: string[] }> {
  if (pkg === 'ghcr.io/stackplane/provider-stackplane') {
    const groups = new Set<string>();
    for (const file of (await readdir('package/provider/crds')).sort()) {
      const crd = await readSingleManifest(join('package/provider/crds', file));
      groups.add(String((crd['spec'] as { group: string }).group));
    }
    return { groups: [...groups].sort(), groupSuffixes: [] };
  }
  // provider-upjet-aws families: provider-aws-<service> serves <service>.aws.upbound.io (cluster
  // scoped) and <service>.aws.m.upbound.io (namespaced).
  const family = /^xpkg\.upbound\.io\/upbound\/provider-aws-([a-z0-9]+)$/.exec(pkg)?.[1];
  if (family)
    return { groups: [`${family}.aws.upbound.io`, `${family}.aws.m.upbound.io`], groupSuffixes: [] };
  const platform = PLATFORM_PROVIDER_GROUPS.find((p) => p.provider === pkg);
  if (platform) return { groups: [], groupSuffixes: [platform.groupSuffix] };
  throw new Error(`cannot tell which API groups Provider package ${pkg} serves: add it to scripts/rbac`);
}

/** The API groups of every XRD in apis/xrds. */
export async function xrdGroups(): Promise<string[]> {
  const groups = new Set<string>();
  for (const file of (await readdir('apis/xrds')).sort()) {
    const xrd = await readSingleManifest(join('apis/xrds', file));
    groups.add(String((xrd['spec'] as { group: string }).group));
  }
  return [...groups].sort();
}

/** The Provider dependencies a Configuration's crossplane.yaml declares. */
export async function providerDependencies(metaPath: string): Promise<string[]> {
  const meta = await readSingleManifest(metaPath);
  const deps = ((meta['spec'] as { dependsOn?: Array<{ kind?: string; package?: string }> }).dependsOn ?? [])
    .filter((d) => d.kind === 'Provider' && d.package)
    .map((d) => d.package!);
  return deps;
}
