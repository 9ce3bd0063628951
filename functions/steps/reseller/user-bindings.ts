import type { ProjectSpec } from '../../../apis/reseller/project.js';
import type { UserProjectBindingSpec } from '../../../apis/reseller/userprojectbinding.js';
import type { KubeObject } from '../../types.js';
import type { ApplicationCredential, RegionAccess } from './credentials.js';
import { findRegion } from './regions.js';
import { live, metaOf, specOf, statusOf } from './resources.js';

/** A live binding of the user to an existing project. */
export interface Membership {
  binding: string;
  project: string;
  region: string;
  /** The project id and full OpenStack project name, once the project is ready. */
  projectID: string | undefined;
  fullName: string | undefined;
  applicationCredential: boolean;
}

/** The user's live bindings (oldest first) and, for those whose Project exists, where they lead. */
export function membershipsOf(
  user: string,
  bindings: readonly KubeObject[],
  projects: readonly KubeObject[],
): { bindings: string[]; memberships: Membership[] } {
  const mine = live(bindings).filter((b) => specOf<UserProjectBindingSpec>(b).user === user);
  const projectsByName = new Map(live(projects).map((p) => [metaOf(p).name, p]));
  const memberships = mine.flatMap((b): Membership[] => {
    const spec = specOf<UserProjectBindingSpec>(b);
    const project = projectsByName.get(spec.project);
    const region = specOf<ProjectSpec>(project).region;
    if (!project || !spec.project || !region) return [];
    return [
      {
        binding: metaOf(b).name ?? '',
        project: spec.project,
        region,
        projectID: statusOf<{ projectID: string }>(project).projectID,
        fullName: statusOf<{ fullName: string }>(project).fullName,
        applicationCredential: spec.applicationCredential === true,
      },
    ];
  });
  return { bindings: mine.flatMap((b) => metaOf(b).name ?? []), memberships };
}

/** Regions in the order the user was first bound in them; the first project in each is its default. */
export function regionsOf(memberships: readonly Membership[]): Map<string, Membership[]> {
  const out = new Map<string, Membership[]>();
  for (const m of memberships) out.set(m.region, [...(out.get(m.region) ?? []), m]);
  return out;
}

/** The credentials each ready region contributes, for projects whose full name is known. */
export function accessFor(
  readyRegions: readonly string[],
  byRegion: ReadonlyMap<string, Membership[]>,
  configs: readonly KubeObject[],
): RegionAccess[] {
  return readyRegions.flatMap((name): RegionAccess[] => {
    const region = findRegion(configs, name);
    const projects = (byRegion.get(name) ?? []).flatMap((m) =>
      m.fullName ? [{ name: m.project, fullName: m.fullName }] : [],
    );
    return region ? [{ region, projects }] : [];
  });
}

/** Application credentials whose Secret the provider has written, decoded for clouds.yaml. */
export function applicationCredentials(
  memberships: readonly Membership[],
  secrets: ReadonlyMap<string, KubeObject | undefined>,
  configs: readonly KubeObject[],
): ApplicationCredential[] {
  return memberships.flatMap((m): ApplicationCredential[] => {
    const data = (secrets.get(m.binding)?.['data'] ?? {}) as Record<string, string | undefined>;
    const [id, secret] = [data['application-credential-id'], data['application-credential-secret']];
    const region = findRegion(configs, m.region);
    if (!m.applicationCredential || !id || !secret || !region) return [];
    return [{ binding: m.binding, region, project: m.project, id: decode(id), secret: decode(secret) }];
  });
}

/** Whether the provider has written an application credential's id and secret to its Secret. */
export function holdsApplicationCredential(secret: KubeObject | undefined): boolean {
  const data = (secret?.['data'] ?? {}) as Record<string, string | undefined>;
  return Boolean(data['application-credential-id'] && data['application-credential-secret']);
}

export const decode = (value: string): string => Buffer.from(value, 'base64').toString('utf8');
