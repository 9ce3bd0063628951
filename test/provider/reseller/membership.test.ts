import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProjectMembershipConnector,
  type ProjectMembershipForProvider,
} from '../../../provider/src/reseller/membership.js';
import { NotFoundError } from '../../../provider/src/reseller/client/errors.js';
import { ResellerSessions } from '../../../provider/src/reseller/sessions.js';
import type { ExternalClient } from '../../../provider/src/runtime/external.js';
import { FakeResellerAPI, type StoredProject, type StoredUser } from '../../../testing/fakes/reseller-api.js';
import { managed, rejection } from '../../support/provider/managed.js';
import { resellerConfig } from '../../support/provider/reseller.js';

let fake: FakeResellerAPI;
let external: ExternalClient<ProjectMembershipForProvider>;
let project: StoredProject;
let user: StoredUser;

beforeEach(async () => {
  fake = await new FakeResellerAPI().start();
  external = await new ProjectMembershipConnector(new ResellerSessions()).connect(resellerConfig(fake));
  project = fake.seedProject({ name: 'c0042-team' });
  user = fake.seedUser({ name: 'dev@example.com' });
});
afterEach(async () => {
  await fake.stop();
});

describe('ProjectMembership', () => {
  it.each<{ reason: string; member: boolean; otherProject: boolean; want: object }>([
    {
      reason: 'a member exists',
      member: true,
      otherProject: false,
      want: { resourceExists: true, resourceUpToDate: true, available: true, atProvider: { member: true } },
    },
    {
      reason: 'a non-member does not',
      member: false,
      otherProject: false,
      want: { resourceExists: false, resourceUpToDate: false },
    },
    {
      reason: 'a membership of a missing project does not',
      member: false,
      otherProject: true,
      want: { resourceExists: false, resourceUpToDate: false },
    },
  ])('observe: $reason', async ({ member, otherProject, want }) => {
    if (member) fake.memberships.add(`${project.id}/${user.id}`);
    const projectID = otherProject ? 'e'.repeat(32) : project.id;
    expect(await external.observe(managed({ projectID, userID: user.id }))).toEqual(want);
  });

  it('adds the user, and removes it on delete (twice is fine)', async () => {
    const mr = managed({ projectID: project.id, userID: user.id });
    expect(await external.create(mr)).toEqual({ externalName: `${project.id}:${user.id}` });
    expect([...fake.memberships]).toEqual([`${project.id}/${user.id}`]);
    expect(await external.observe(mr)).toMatchObject({ resourceExists: true });
    await external.delete(mr);
    await external.delete(mr);
    expect(fake.memberships.size).toBe(0);
  });

  it('reports a missing user on create', async () => {
    const missing = 'd'.repeat(32);
    const error = await rejection(external.create(managed({ projectID: project.id, userID: missing })));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      `cannot add user "${missing}" to project "${project.id}": reseller API answered 404: User ${missing} not found`,
    );
  });
});
