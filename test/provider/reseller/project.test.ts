import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../../../provider/src/reseller/client/errors.js';
import {
  AmbiguousProjectError,
  ProjectConnector,
  ProjectHasMembersError,
  type ProjectForProvider,
} from '../../../provider/src/reseller/project.js';
import { markedDescription } from '../../../provider/src/reseller/ownership.js';
import { ResellerSessions } from '../../../provider/src/reseller/sessions.js';
import type { ExternalClient } from '../../../provider/src/runtime/external.js';
import { FakeResellerAPI } from '../../support/fakes/reseller-api.js';
import { managed, rejection, withExternalName, withForProvider } from '../../support/provider/managed.js';
import { resellerConfig } from '../../support/provider/reseller.js';

const MISSING = 'ffffffffffffffffffffffffffffffff';
/** The description the provider writes for the resource `managed()` builds. */
const marked = (description: string) => markedDescription(description, managed(base));
const base: ProjectForProvider = {
  name: 'team-a',
  description: 'Team A',
  enabled: true,
  networkPreconfigure: false,
};

let fake: FakeResellerAPI;
let external: ExternalClient<ProjectForProvider>;

beforeEach(async () => {
  fake = await new FakeResellerAPI().start();
  external = await new ProjectConnector(new ResellerSessions()).connect(resellerConfig(fake));
});
afterEach(async () => {
  await fake.stop();
});

describe('Project observe', () => {
  it.each<{
    reason: string;
    seed: boolean;
    mods: Parameters<typeof managed<ProjectForProvider>>[1][];
    want: object;
  }>([
    {
      reason: 'without an external name nothing exists yet',
      seed: false,
      mods: [],
      want: { resourceExists: false, resourceUpToDate: false },
    },
    {
      reason: 'an id the API does not know does not exist',
      seed: false,
      mods: [withExternalName(MISSING)],
      want: { resourceExists: false, resourceUpToDate: false },
    },
    {
      reason: 'a matching project is up to date and available',
      seed: true,
      mods: [],
      want: { resourceExists: true, resourceUpToDate: true, available: true },
    },
    {
      reason: 'another description needs an update',
      seed: true,
      mods: [withForProvider<ProjectForProvider>({ description: 'Team A2' })],
      want: { resourceExists: true, resourceUpToDate: false, available: true },
    },
    {
      reason: 'a disabled project that should be enabled needs an update',
      seed: true,
      mods: [withForProvider<ProjectForProvider>({ enabled: false })],
      want: { resourceExists: true, resourceUpToDate: false, available: true },
    },
    {
      reason: 'quotas at the API defaults are up to date',
      seed: true,
      mods: [
        withForProvider<ProjectForProvider>({
          quotas: { compute: { cores: 40, ram: 51200 }, network: { port: 500 } },
        }),
      ],
      want: { resourceExists: true, resourceUpToDate: true, available: true },
    },
    {
      reason: 'a different quota needs an update',
      seed: true,
      mods: [withForProvider<ProjectForProvider>({ quotas: { volume: { gigabytes: 500 } } })],
      want: { resourceExists: true, resourceUpToDate: false, available: true },
    },
  ])('$reason', async ({ seed, mods, want }) => {
    const mr = managed(base, ...mods);
    if (seed) {
      const project = fake.seedProject({ name: 'c0042-team-a', description: marked('Team A') });
      mr.externalName = project.id;
      (want as Record<string, unknown>).atProvider = { id: project.id, name: 'c0042-team-a', enabled: true };
    }
    expect(await external.observe(mr)).toEqual(want);
  });
});

describe('Project create', () => {
  it('creates the project; the API puts the customer prefix before the name', async () => {
    const created = await external.create(managed({ ...base, networkPreconfigure: true }));
    expect([...fake.projects.values()]).toEqual([
      {
        id: created.externalName,
        name: 'c0042-team-a',
        description: marked('Team A'),
        enabled: true,
        network_preconfigure: true,
        owner: 'reseller@example.com',
      },
    ]);
  });

  it('adopts the project named exactly prefix + name with its marker instead of creating another', async () => {
    const existing = fake.seedProject({ name: 'c0042-team-a', description: marked('Team A') });
    expect(await external.create(managed(base))).toEqual({ externalName: existing.id });
    expect(fake.projects.size).toBe(1);
  });

  it.each(['c0042-a', 'c0042-xteam-a', 'other-c0042-team-a', 'team-a', 'c0042-team-a-2'])(
    'never adopts %s, which only contains or ends with the name',
    async (name) => {
      const other = fake.seedProject({ name });
      const created = await external.create(managed(base));
      expect(created.externalName).not.toBe(other.id);
      expect([...fake.projects.values()].map((p) => p.name).sort()).toEqual(['c0042-team-a', name].sort());
    },
  );

  it('refuses to guess when two projects have the name', async () => {
    const first = fake.seedProject({ name: 'c0042-team-a' });
    const second = fake.seedProject({ name: 'c0042-team-a' });
    const error = await rejection(external.create(managed(base)));
    expect(error).toBeInstanceOf(AmbiguousProjectError);
    expect(error.message).toBe(
      `cannot create project "c0042-team-a": 2 projects have this name (${first.id}, ${second.id}); ` +
        'set the external name to the one to manage',
    );
  });

  it('creates once when the answer to the create is lost and observe and create follow', async () => {
    fake.faults.script({ kind: 'crash-after-perform' });
    const mr = managed(base);
    expect(await rejection(external.create(mr))).toBeInstanceOf(RetryableError);
    // What the reconciler does next: observe (nothing recorded), then create again.
    expect(await external.observe(mr)).toEqual({ resourceExists: false, resourceUpToDate: false });
    const again = await external.create(mr);
    expect([...fake.projects.keys()]).toEqual([again.externalName]);
  });
});

describe('Project update', () => {
  it('sets description, enabled and only the quotas the resource names', async () => {
    const project = fake.seedProject({ name: 'c0042-team-a', description: marked('Old') });
    const before = structuredClone(fake.quotas.get(project.id)!);
    const mr = managed(
      {
        ...base,
        enabled: false,
        quotas: { compute: { cores: 8, instances: 4 }, volume: { gigabytes: 100 } },
      },
      withExternalName(project.id),
    );
    await external.update(mr);
    expect(fake.projects.get(project.id)).toMatchObject({ description: marked('Team A'), enabled: false });
    expect(fake.quotas.get(project.id)).toEqual({
      compute: { ...before.compute, cores: 8, instances: 4 },
      volume: { ...before.volume, gigabytes: 100 },
      network: before.network,
    });
    expect(await external.observe(mr)).toMatchObject({ resourceUpToDate: true });
  });
});

describe('Project delete', () => {
  it('deletes the project, and a project already gone is fine', async () => {
    const project = fake.seedProject({ name: 'c0042-team-a', description: marked('Team A') });
    await external.delete(managed(base, withExternalName(project.id)));
    await external.delete(managed(base, withExternalName(project.id)));
    expect(fake.projects.size).toBe(0);
  });

  it('reports ProjectHasMembersError while users are members (405)', async () => {
    const project = fake.seedProject({ name: 'c0042-team-a', description: marked('Team A') });
    const user = fake.seedUser({ name: 'member@example.com' });
    fake.memberships.add(`${project.id}/${user.id}`);
    const error = await rejection(external.delete(managed(base, withExternalName(project.id))));
    expect(error).toBeInstanceOf(ProjectHasMembersError);
    expect(error.message).toBe(
      `cannot delete project "${project.id}": users are still members; delete their ProjectMemberships first (retrying)`,
    );
    expect(fake.projects.has(project.id)).toBe(true);
  });
});
