import { describe, expect, it } from 'vitest';
import { isRetryable } from '../../../provider/src/reseller/client/errors.js';
import { ProjectConnector, type ProjectForProvider } from '../../../provider/src/reseller/project.js';
import { ResellerSessions } from '../../../provider/src/reseller/sessions.js';
import { UserConnector, type UserForProvider } from '../../../provider/src/reseller/user.js';
import type { ExternalClient, ManagedView } from '../../../provider/src/runtime/external.js';
import { FakeResellerAPI } from '../../../testing/fakes/reseller-api.js';
import { managed } from '../../support/provider/managed.js';
import { resellerConfig } from '../../support/provider/reseller.js';

/**
 * What the reconciler does, reduced to the external calls: observe, then create or update, repeated
 * after every retryable failure, until observe finds the resource up to date.
 */
async function reconcileUntilReady<P>(
  external: ExternalClient<P>,
  mr: ManagedView<P>,
  attempts = 60,
): Promise<number> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const observation = await external.observe(mr);
      if (observation.resourceExists && observation.resourceUpToDate) return attempt;
      if (!observation.resourceExists) {
        const created = await external.create(mr);
        if (created.externalName !== undefined) mr.externalName = created.externalName;
      } else await external.update(mr);
    } catch (error) {
      if (!isRetryable(error)) throw error;
    }
  }
  throw new Error(`not ready after ${attempts} attempts`);
}

describe('reconciling against a faulty reseller API', () => {
  it.each([1, 2, 3, 4, 5])('creates exactly one project and one user with seed %i', async (seed) => {
    const fake = await new FakeResellerAPI({
      faults: { seed, errorRate: 0.2, dropRate: 0.1, crashAfterPerformRate: 0.3 },
    }).start();
    try {
      const sessions = new ResellerSessions();
      const projects = await new ProjectConnector(sessions).connect(resellerConfig(fake));
      const project = managed<ProjectForProvider>({
        name: 'team-a',
        description: 'Team A',
        enabled: true,
        networkPreconfigure: false,
        quotas: { compute: { cores: 8 } },
      });
      await reconcileUntilReady(projects, project);
      const users = await new UserConnector(sessions).connect(resellerConfig(fake));
      const user = managed<UserForProvider>({
        email: 'dev@example.com',
        description: 'Developer',
        enabled: true,
        password: 'user-password-1',
      });
      await reconcileUntilReady(users, user);

      // The faults did happen: answers were lost and errors answered.
      expect(fake.requests.filter((r) => r.status === undefined).length).toBeGreaterThan(0);
      expect(fake.requests.filter((r) => r.status === 500 || r.status === 429).length).toBeGreaterThan(0);
      expect([...fake.projects.values()].map((p) => p.name)).toEqual(['c0042-team-a']);
      expect(fake.quotas.get(project.externalName!)?.compute?.cores).toBe(8);
      expect([...fake.users.values()].map((u) => [u.name, u.password])).toEqual([
        ['dev@example.com', 'user-password-1'],
      ]);
    } finally {
      await fake.stop();
    }
  });
});
