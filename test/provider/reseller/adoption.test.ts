/**
 * A namespace never takes over another namespace's reseller project or user: adopting an object it
 * did not create needs the platform's AdoptionGrant, and without one nothing is changed or deleted.
 * Against the loopback fake of the reseller API; its request log shows what reached the API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdoptionGrantSpec } from '../../../apis/provider/adoption-grant.js';
import { projectParametersSchema, userParametersSchema } from '../../../apis/provider/reseller.js';
import { adoptionGrantsFrom } from '../../../provider/src/reseller/adoption-grants.js';
import {
  markedDescription,
  NotOwnedError,
  type OwnershipPolicy,
} from '../../../provider/src/reseller/ownership.js';
import { ProjectConnector, type ProjectForProvider } from '../../../provider/src/reseller/project.js';
import { ResellerSessions } from '../../../provider/src/reseller/sessions.js';
import { UserConnector, type UserForProvider } from '../../../provider/src/reseller/user.js';
import type { ManagedView } from '../../../provider/src/runtime/external.js';
import { FakeResellerAPI } from '../../support/fakes/reseller-api.js';
import { managed, rejection, withExternalName, type Modifier } from '../../support/provider/managed.js';
import { resellerConfig } from '../../support/provider/reseller.js';

/** The name both resources want: team-a/web's hashed name, which team/a-web-<hash> once got plainly. */
const NAME = 'qxmrtb-team-a-web-bcdefghijk';
const EMAIL = 'web-team-a@qxmrtb.k8s';
const VICTIM_PASSWORD = 'victim-password-1';
const ATTACKER_PASSWORD = 'attacker-password-2';

const project: ProjectForProvider = {
  name: NAME,
  description: 'Web',
  enabled: true,
  networkPreconfigure: false,
};
const user: UserForProvider = { email: EMAIL, description: 'Web', enabled: true, password: VICTIM_PASSWORD };

/** Places the managed resource in a namespace, with a name. */
const inNamespace =
  <P>(namespace: string, name = 'web'): Modifier<P> =>
  (mr) => {
    mr.namespace = namespace;
    mr.name = name;
  };
const createdAt =
  <P>(time: string): Modifier<P> =>
  (mr) => {
    mr.createdAt = time;
  };
const deleting =
  <P>(): Modifier<P> =>
  (mr) => {
    mr.deleting = true;
  };

/** Grants as the platform writes them, read through the same code as the informer cache's. */
function policy(grants: AdoptionGrantSpec[] = [], unmarkedBefore?: string): OwnershipPolicy {
  const objects = grants.map((spec, i) => ({ metadata: { name: `grant-${i}` }, spec }));
  return {
    grants: adoptionGrantsFrom(() => Promise.resolve(objects)),
    ...(unmarkedBefore === undefined ? {} : { unmarkedBefore: new Date(unmarkedBefore) }),
  };
}

let fake: FakeResellerAPI;
beforeEach(async () => {
  fake = await new FakeResellerAPI().start();
});
afterEach(async () => {
  await fake.stop();
});

const projects = (ownership: OwnershipPolicy) =>
  new ProjectConnector(new ResellerSessions(), ownership).connect(resellerConfig(fake));
const users = (ownership: OwnershipPolicy) =>
  new UserConnector(new ResellerSessions(), ownership).connect(resellerConfig(fake));

/** Requests other than reads that reached the object with this id. */
const writesTo = (id: string) =>
  fake.requests.filter((r) => r.path.includes(id) && r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

/** The victim's project, created by team-a/web through the provider. */
async function victimProject(): Promise<{ id: string; mr: ManagedView<ProjectForProvider> }> {
  const mr = managed(project, inNamespace('team-a'));
  const { externalName } = await (await projects(policy())).create(mr);
  return { id: externalName!, mr: { ...mr, externalName: externalName! } };
}

const refusal = (what: string, why: string, kind: string, externalName: string) =>
  `cannot adopt ${what}: ${why}; nothing was changed; the platform can allow namespace "team" to adopt ` +
  `it with an AdoptionGrant (m.stackplane.io/v1alpha1) of kind ${kind} and externalName "${externalName}"`;
const OTHER_MARKER = 'it carries the ownership marker of another managed resource';
const NO_MARKER = 'it carries no ownership marker, so another resource or a person created it';

describe("Project: team/a-web cannot take team-a/web's project", () => {
  it('create refuses the project of the same name and changes nothing', async () => {
    const victim = await victimProject();
    const before = structuredClone(fake.projects.get(victim.id));
    const attacker = await projects(policy());
    const error = await rejection(
      attacker.create(managed({ ...project, description: 'Mine', enabled: false }, inNamespace('team'))),
    );
    expect(error).toBeInstanceOf(NotOwnedError);
    expect(error.message).toBe(
      refusal(`project "c0042-${NAME}" (${victim.id})`, OTHER_MARKER, 'Project', NAME),
    );
    expect({
      project: fake.projects.get(victim.id),
      writes: writesTo(victim.id),
      count: fake.projects.size,
    }).toEqual({ project: before, writes: [], count: 1 });
  });

  it('an external name pointing at it is refused on observe, and deleting leaves it alone', async () => {
    const victim = await victimProject();
    const attacker = await projects(policy());
    const pointed = managed(project, inNamespace('team'), withExternalName(victim.id));
    const error = await rejection(attacker.observe(pointed));
    expect(error.message).toBe(
      refusal(`project "c0042-${NAME}" (${victim.id})`, OTHER_MARKER, 'Project', NAME),
    );
    // The reconciler then finalizes without deleting; a delete called anyway deletes nothing.
    const gone = managed(project, inNamespace('team'), withExternalName(victim.id), deleting());
    expect(await attacker.observe(gone)).toEqual({ resourceExists: false, resourceUpToDate: false });
    await attacker.delete(gone);
    expect({ exists: fake.projects.has(victim.id), writes: writesTo(victim.id) }).toEqual({
      exists: true,
      writes: [],
    });
    // The owner still manages it.
    expect(await (await projects(policy())).observe(victim.mr)).toMatchObject({ resourceUpToDate: true });
  });

  it("a project nobody marked (the original operator's) is refused without a grant", async () => {
    const seeded = fake.seedProject({
      name: `c0042-${NAME}`,
      description: 'Generated by PCO Reseller Operator',
    });
    const error = await rejection((await projects(policy())).create(managed(project, inNamespace('team'))));
    expect(error.message).toBe(refusal(`project "c0042-${NAME}" (${seeded.id})`, NO_MARKER, 'Project', NAME));
    expect(writesTo(seeded.id)).toEqual([]);
  });

  it.each<{ reason: string; grant: AdoptionGrantSpec }>([
    { reason: 'another namespace', grant: { namespace: 'team-b', kind: 'Project', externalName: NAME } },
    { reason: 'another name', grant: { namespace: 'team', kind: 'Project', externalName: `${NAME}x` } },
    { reason: 'another kind', grant: { namespace: 'team', kind: 'User', externalName: NAME } },
  ])('a grant for $reason does not allow it', async ({ grant }) => {
    const victim = await victimProject();
    const error = await rejection(
      (await projects(policy([grant]))).create(managed(project, inNamespace('team'))),
    );
    expect(error).toBeInstanceOf(NotOwnedError);
    expect(writesTo(victim.id)).toEqual([]);
  });

  it("with the platform's grant it adopts the project, marks it, and the former owner is refused", async () => {
    const victim = await victimProject();
    const granted = await projects(policy([{ namespace: 'team', kind: 'Project', externalName: NAME }]));
    const mr = managed(project, inNamespace('team'));
    expect(await granted.create(mr)).toEqual({ externalName: victim.id });
    const adopted = { ...mr, externalName: victim.id };
    expect(await granted.observe(adopted)).toMatchObject({ resourceExists: true, resourceUpToDate: false });
    await granted.update(adopted);
    expect(fake.projects.get(victim.id)?.description).toBe(markedDescription('Web', adopted));
    expect(await granted.observe(adopted)).toMatchObject({ resourceUpToDate: true });
    // The grant moved it: the former owner now leaves it alone.
    expect(await rejection((await projects(policy())).observe(victim.mr))).toBeInstanceOf(NotOwnedError);
  });
});

describe("User: an e-mail clash never touches the other namespace's user", () => {
  async function victimUser(): Promise<string> {
    const { externalName } = await (await users(policy())).create(managed(user, inNamespace('team-a')));
    return externalName!;
  }

  it('create refuses, and the password and description stay', async () => {
    const id = await victimUser();
    const before = structuredClone(fake.users.get(id));
    const error = await rejection(
      (await users(policy())).create(managed({ ...user, password: ATTACKER_PASSWORD }, inNamespace('team'))),
    );
    expect(error.message).toBe(refusal(`user "${EMAIL}" (${id})`, OTHER_MARKER, 'User', EMAIL));
    expect({
      user: fake.users.get(id),
      password: fake.users.get(id)?.password,
      writes: writesTo(id),
    }).toEqual({
      user: before,
      password: VICTIM_PASSWORD,
      writes: [],
    });
    expect(error.message).not.toContain(ATTACKER_PASSWORD);
  });

  it('an external name pointing at it is refused, and deleting leaves it alone', async () => {
    const id = await victimUser();
    const attacker = await users(policy());
    const pointed = managed(
      { ...user, password: ATTACKER_PASSWORD },
      inNamespace('team'),
      withExternalName(id),
    );
    expect(await rejection(attacker.observe(pointed))).toBeInstanceOf(NotOwnedError);
    const gone = managed(user, inNamespace('team'), withExternalName(id), deleting());
    expect(await attacker.observe(gone)).toEqual({ resourceExists: false, resourceUpToDate: false });
    await attacker.delete(gone);
    expect({ password: fake.users.get(id)?.password, writes: writesTo(id) }).toEqual({
      password: VICTIM_PASSWORD,
      writes: [],
    });
  });

  it('with a grant it adopts the user and sets the password it publishes', async () => {
    const id = await victimUser();
    const granted = await users(policy([{ namespace: 'team', kind: 'User', externalName: EMAIL }]));
    const mr = managed({ ...user, password: ATTACKER_PASSWORD }, inNamespace('team'));
    expect((await granted.create(mr)).externalName).toBe(id);
    expect(fake.users.get(id)).toMatchObject({
      password: ATTACKER_PASSWORD,
      description: markedDescription('Web', mr),
    });
  });
});

describe('objects created before markers (upgrade)', () => {
  const CUTOFF = '2026-12-01T00:00:00Z';
  const unmarked = () => fake.seedProject({ name: `c0042-${NAME}`, description: 'Web' });

  it.each<{ reason: string; mods: Modifier<ProjectForProvider>[]; kept: boolean }>([
    {
      reason: 'a resource created before the cutoff keeps the project its external name records',
      mods: [createdAt('2026-06-01T10:00:00Z')],
      kept: true,
    },
    {
      reason: 'a resource created after the cutoff does not',
      mods: [createdAt('2026-12-02T10:00:00Z')],
      kept: false,
    },
    { reason: 'nor one without a creation time', mods: [], kept: false },
  ])('$reason', async ({ mods, kept }) => {
    const seeded = unmarked();
    const client = await projects(policy([], CUTOFF));
    const mr = managed(project, inNamespace('team-a'), withExternalName(seeded.id), ...mods);
    if (!kept) {
      expect(await rejection(client.observe(mr))).toBeInstanceOf(NotOwnedError);
      expect(writesTo(seeded.id)).toEqual([]);
      return;
    }
    expect(await client.observe(mr)).toMatchObject({ resourceExists: true, resourceUpToDate: false });
    await client.update(mr);
    // Marked now: it stays this resource's without the cutoff.
    expect(await (await projects(policy())).observe(mr)).toMatchObject({ resourceUpToDate: true });
  });

  it('the cutoff never adopts by name: a create finding an unmarked project refuses', async () => {
    const seeded = unmarked();
    const client = await projects(policy([], CUTOFF));
    const mr = managed(project, inNamespace('team-a'), createdAt('2026-06-01T10:00:00Z'));
    expect(await rejection(client.create(mr))).toBeInstanceOf(NotOwnedError);
    expect(writesTo(seeded.id)).toEqual([]);
  });

  it("the cutoff never overrides another resource's marker", async () => {
    const victim = await victimProject();
    const client = await projects(policy([], CUTOFF));
    const mr = managed(
      project,
      inNamespace('team'),
      withExternalName(victim.id),
      createdAt('2026-06-01T10:00:00Z'),
    );
    expect(await rejection(client.observe(mr))).toBeInstanceOf(NotOwnedError);
  });
});

describe('the ownership marker', () => {
  it.each([
    ['Project', projectParametersSchema, { name: 'web' }],
    ['User', userParametersSchema, { email: EMAIL, passwordSecretRef: { name: 's', key: 'k' } }],
  ] as const)('a %s description cannot forge it', (_kind, schema, fields) => {
    const parsed = schema.safeParse({ ...fields, description: 'Web stackplane-owner_0123456789abcdef0123' });
    expect(parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'description: must not contain "stackplane-owner_": the provider keeps it for its ownership marker',
    ]);
  });

  it('differs per namespace and name and fits the API description pattern', async () => {
    const views: ManagedView<unknown>[] = [
      { name: 'web', namespace: 'team-a', forProvider: {} },
      { name: 'a-web', namespace: 'team', forProvider: {} },
      { name: 'web', namespace: 'team', forProvider: {} },
    ];
    const descriptions = views.map((mr) => markedDescription('Web', mr));
    expect(new Set(descriptions).size).toBe(3);
    for (const description of descriptions)
      expect(description).toMatch(/^Web stackplane-owner_[0-9a-f]{20}$/);
  });
});
