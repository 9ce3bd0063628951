// The README's generated sections: the package table (from scripts/packages.ts and the derived
// dependencies) and what each file of package/rbac/ grants (from those files, which
// `npm run generate:rbac` writes). Each lives between `<!-- begin generated: NAME -->` and
// `<!-- end generated: NAME -->`.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { COMPOSE_VERBS, READ_VERBS, type PolicyRule } from '../rbac/policy.js';
import { roleFile } from '../rbac/role.js';
import { PACKAGE_NAMES, packageSpec, servedKinds, type PackageName } from '../packages.js';
import { kindsByGroup, listOf, shortName, wrap } from './crossplane-yaml.js';
import type { Dependency } from './dependencies.js';

export const RBAC_DIR = 'package/rbac';

const begin = (name: string) => `<!-- begin generated: ${name} (npm run generate; do not edit) -->`;
const end = (name: string) => `<!-- end generated: ${name} -->`;

/** Replaces what is between a section's markers; a README without them is an error. */
export function replaceSection(readme: string, name: string, content: string): string {
  const from = readme.indexOf(begin(name));
  const to = readme.indexOf(end(name));
  if (from < 0 || to < from) {
    throw new Error(
      `cannot generate the README section ${name}: add the lines ${begin(name)} and ${end(name)}`,
    );
  }
  return `${readme.slice(0, from + begin(name).length)}\n${content}\n${readme.slice(to)}`;
}

const code = (s: string) => `\`${s}\``;

function dependsOnCell(deps: readonly Dependency[]): string {
  return deps
    .filter((d) => d.installedBy === 'dependsOn')
    .map((d) => `${shortName(d.package)} ${code(d.version ?? '')}`)
    .join(', ');
}

/** The package table, and the Providers the platform installs for a Composition input's backend. */
export function packageTable(deps: ReadonlyMap<PackageName, readonly Dependency[]>): string {
  const rows = PACKAGE_NAMES.map((name) => {
    const spec = packageSpec(name);
    const kinds = kindsByGroup(servedKinds(name));
    const what = spec.kind === 'Function' ? `step inputs: ${kinds}` : kinds;
    const role = spec.kind === 'Configuration' ? code(roleFile(name)) : '';
    return `| ${code(name)} | ${what} | ${dependsOnCell(deps.get(name) ?? [])} | ${role} |`;
  });
  const platform = new Map<string, Dependency>();
  for (const d of [...deps.values()].flat()) if (d.installedBy === 'platform') platform.set(d.package, d);
  const backends = [...platform.values()].map(
    (d) => `${shortName(d.package)} (${d.kinds.map(code).join(', ')}) for ${d.note ?? 'its kinds'}`,
  );
  return [
    "| package | kinds | depends on | Crossplane's extra permissions |",
    '|---|---|---|---|',
    ...rows,
    '',
    ...(backends.length ? wrap(`The platform installs ${listOf(backends)}.`, 100) : []),
  ].join('\n');
}

function verbsLabel(verbs: readonly string[]): string {
  const same = (want: readonly string[]) =>
    verbs.length === want.length && want.every((v) => verbs.includes(v));
  if (same(COMPOSE_VERBS)) return 'compose';
  if (same(READ_VERBS)) return 'read';
  if (same([...COMPOSE_VERBS, 'deletecollection'])) return 'every verb on';
  return verbs.join(', ');
}

/** The rules by verb set, then API group, then resource with the names it is limited to. */
function grants(rules: readonly PolicyRule[]): string {
  const byVerbs = new Map<string, Map<string, Map<string, string[]>>>();
  for (const rule of rules) {
    const label = verbsLabel(rule.verbs ?? []);
    const groups = byVerbs.get(label) ?? new Map<string, Map<string, string[]>>();
    for (const group of rule.apiGroups ?? []) {
      const resources = groups.get(group) ?? new Map<string, string[]>();
      for (const resource of rule.resources ?? []) {
        resources.set(resource, [...(resources.get(resource) ?? []), ...(rule.resourceNames ?? [])]);
      }
      groups.set(group, resources);
    }
    byVerbs.set(label, groups);
  }
  const resource = ([name, names]: [string, string[]]) =>
    names.length ? `${name} ${names.map(code).join(', ')}` : name;
  return [...byVerbs]
    .map(([label, groups]) => {
      const parts = [...groups].map(
        ([group, resources]) => `${[...resources].map(resource).join(', ')} (${group || 'core'})`,
      );
      return `${label} ${parts.join('; ')}`;
    })
    .join('. ');
}

const aggregatedInto = (labels: Record<string, string> = {}) =>
  Object.keys(labels)
    .filter((key) => key.includes('/aggregate-to-') && labels[key] === 'true')
    .map((key) => code(key.slice(key.indexOf('aggregate-to-') + 'aggregate-to-'.length)))
    .join(', ');

/** What every ClusterRole in package/rbac/ grants, file by file. */
export async function rbacGrants(dir = RBAC_DIR): Promise<string> {
  const lines: string[] = [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
  // Each Configuration's role for Crossplane, then its roles for namespace users.
  files.sort((a, b) => a.replace(/\.yaml$/, '').localeCompare(b.replace(/\.yaml$/, '')));
  for (const file of files) {
    lines.push(`- ${code(join(dir, file))}:`);
    for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      const role = doc.toJS() as {
        metadata: { name: string; labels?: Record<string, string> };
        rules?: PolicyRule[];
      };
      const text = `- aggregated into ${aggregatedInto(role.metadata.labels)}: ${grants(role.rules ?? [])}.`;
      lines.push(...wrap(text, 98, '  ').map((line) => `  ${line}`));
    }
  }
  return lines.join('\n');
}
