import { describe, expect, it } from 'vitest';
import {
  ApplicationCredential,
  Project,
  ProjectMembership,
  User,
} from '../../../../apis/provider/reseller.js';
import { StorageCredential, StorageProject, StorageToken } from '../../../../apis/provider/storage.js';
import type { ApplicationCredentialForProvider } from '../../../../provider/src/reseller/application-credential.js';
import type { ProjectMembershipForProvider } from '../../../../provider/src/reseller/membership.js';
import type { ProjectForProvider } from '../../../../provider/src/reseller/project.js';
import type { UserForProvider } from '../../../../provider/src/reseller/user.js';
import type { StorageCredentialForProvider } from '../../../../provider/src/storage/credential.js';
import type { StorageProjectForProvider } from '../../../../provider/src/storage/project.js';
import type { StorageTokenForProvider } from '../../../../provider/src/storage/token-external.js';

const ID = '0123456789abcdef0123456789abcdef';

// The assignments are the test: what a schema parses is what its external client takes (typecheck).
describe('parsed forProvider fits each external client', () => {
  it('for every kind, with defaults applied', () => {
    const project: ProjectForProvider = Project.forProvider.parse({
      name: 'a',
      description: 'A',
      quotas: { volume: {} },
    });
    const user: UserForProvider = {
      ...User.forProvider.parse({
        email: 'a@example.com',
        description: 'A',
        passwordSecretRef: { name: 's', key: 'k' },
      }),
      password: 'resolved by the runtime',
    };
    const membership: ProjectMembershipForProvider = ProjectMembership.forProvider.parse({
      projectID: ID,
      userID: ID,
    });
    const credential: ApplicationCredentialForProvider = {
      ...ApplicationCredential.forProvider.parse({
        userID: ID,
        projectID: ID,
        name: 'ci',
        passwordSecretRef: { name: 's', key: 'k' },
      }),
      password: 'resolved by the runtime',
    };
    const storageProject: StorageProjectForProvider = StorageProject.forProvider.parse({ name: ID });
    const storageCredential: StorageCredentialForProvider = StorageCredential.forProvider.parse({
      projectName: ID,
    });
    const token: StorageTokenForProvider = StorageToken.forProvider.parse({ projectName: ID });
    expect(project.quotas?.volume?.gigabytes).toBe(2000);
    expect([
      user.enabled,
      membership.userID,
      credential.unrestricted,
      storageProject.name,
      storageCredential.projectName,
    ]).toEqual([true, ID, false, ID, ID]);
    expect(token).toEqual({
      projectName: ID,
      subject: 'stackplane',
      issuer: 'provider-stackplane',
      lifetimeHours: 192,
      renewBeforeHours: 24,
    });
  });
});
