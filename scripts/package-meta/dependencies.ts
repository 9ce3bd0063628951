// A Configuration's dependencies, derived from what its Compositions call and compose: the Function
// each pipeline step names and the Provider of every managed kind a rendered example composes.
import { readSingleManifest } from '../../render/manifests.js';
import { collectAccess, type Kind } from '../rbac/access.js';
import {
  CROSSPLANE_GROUPS,
  FUNCTIONS,
  PROVIDER_GROUP_SUFFIXES,
  PROVIDERS,
  packageContents,
  packageSpec,
  type PackageName,
} from '../packages.js';

/** A package a Configuration needs, with the kinds that make it needed. */
export interface Dependency {
  kind: 'Function' | 'Provider';
  package: string;
  /** Absent for a Provider the platform installs. */
  version?: string;
  installedBy: 'dependsOn' | 'platform';
  note?: string;
  /** The managed kinds composed through it, sorted; a Function's are empty. */
  kinds: string[];
}

/** A composed kind and the example (or input variant) that composed it first, for messages. */
export interface ComposedKind extends Kind {
  source: string;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

/** The Functions a Configuration's Compositions call, by the name in each step's functionRef. */
export async function functionDependencies(configuration: PackageName): Promise<Dependency[]> {
  const names = new Set<string>();
  for (const file of await packageContents(configuration)) {
    const manifest = await readSingleManifest(file);
    if (manifest['kind'] !== 'Composition') continue;
    const pipeline = (manifest['spec'] as { pipeline?: Array<{ functionRef?: { name?: string } }> }).pipeline;
    for (const step of pipeline ?? []) names.add(String(step.functionRef?.name));
  }
  return [...names].sort().map((name) => {
    const fn = FUNCTIONS[name];
    if (!fn) {
      throw new Error(
        `cannot derive the dependencies of ${configuration}: no Function in scripts/packages.ts FUNCTIONS is named ${name}`,
      );
    }
    return {
      kind: 'Function',
      package: fn.package,
      version: fn.version,
      installedBy: 'dependsOn',
      kinds: [],
    };
  });
}

/**
 * The Providers of the composed kinds. A kind of a group only Providers serve (see
 * PROVIDER_GROUP_SUFFIXES) that no PROVIDERS entry serves is an error naming the kind and its example,
 * so a newly composed managed kind can never miss its dependency.
 */
export function providerDependencies(
  configuration: PackageName,
  composed: readonly ComposedKind[],
  ownGroups: readonly string[],
): Dependency[] {
  const byPackage = new Map<string, Dependency>();
  for (const k of composed) {
    const group = groupOf(k.apiVersion);
    if (CROSSPLANE_GROUPS.includes(group) || ownGroups.includes(group)) continue;
    const source = PROVIDERS.find((p) => p.serves.test(group));
    if (!source) {
      if (PROVIDER_GROUP_SUFFIXES.some((suffix) => group.endsWith(suffix))) {
        throw new Error(
          `cannot derive the dependencies of ${configuration}: no Provider in scripts/packages.ts PROVIDERS ` +
            `serves ${group} (${k.kind}, composed by example ${k.source})`,
        );
      }
      continue; // Kubernetes' and operators' kinds: Crossplane's role and package/rbac/ cover them.
    }
    const pkg = group.replace(source.serves, source.package);
    if (source.installedBy === 'dependsOn' && !source.version) {
      throw new Error(`cannot derive the dependencies of ${configuration}: ${pkg} has no version range`);
    }
    const dep = byPackage.get(pkg) ?? {
      kind: 'Provider',
      package: pkg,
      ...(source.installedBy === 'dependsOn' ? { version: source.version } : {}),
      installedBy: source.installedBy,
      ...(source.note ? { note: source.note } : {}),
      kinds: [],
    };
    if (!dep.kinds.includes(k.kind)) dep.kinds = [...dep.kinds, k.kind].sort();
    byPackage.set(pkg, dep);
  }
  return [...byPackage.values()].sort((a, b) => a.package.localeCompare(b.package));
}

/** Every kind a Configuration's examples compose, with the shipped inputs and every input variant. */
export async function composedKinds(
  configuration: PackageName,
  functionAddress: string,
): Promise<ComposedKind[]> {
  const groups = packageSpec(configuration).groups;
  if (!groups)
    throw new Error(`cannot render the Compositions of ${configuration}: it is not a Configuration`);
  const access = await collectAccess(groups, functionAddress);
  return [...access.composed.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, k]) => ({ ...k, source: access.source.get(key) ?? '' }));
}

/** A Configuration's dependencies: its Functions, then its Providers by package. */
export async function configurationDependencies(
  configuration: PackageName,
  functionAddress: string,
): Promise<Dependency[]> {
  const own = packageSpec(configuration).groups ?? [];
  return [
    ...(await functionDependencies(configuration)),
    ...providerDependencies(configuration, await composedKinds(configuration, functionAddress), own),
  ];
}
