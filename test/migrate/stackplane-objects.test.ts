import { describe, expect, it } from 'vitest';
import { adoptionGrant } from '../../migrate/sources/stackplane-objects.js';

describe('adoptionGrant', () => {
  it.each<{ reason: string; namespace: string; name: string; want: string }>([
    { reason: 'namespace, kind and name', namespace: 'team-a', name: 'web', want: 'team-a.project.web' },
    { reason: 'a name with dots', namespace: 'team', name: 'a.web', want: 'team.project.a.web' },
    {
      reason: 'a readable prefix and a hash past 253 characters',
      namespace: 'team',
      name: 'w'.repeat(250),
      want: `team.project.${'w'.repeat(223)}-3e6e4fa1cbabf2b1`,
    },
  ])('names the grant by $reason', ({ namespace, name, want }) => {
    const grant = adoptionGrant(namespace, 'Project', name, 'x');
    expect(grant.metadata.name).toBe(want);
    expect(grant.metadata.name.length).toBeLessThanOrEqual(253);
  });
});
