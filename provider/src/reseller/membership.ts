/**
 * The ProjectMembership managed kind: a user in a project. Observed by listing the project's users;
 * the external name `<projectID>:<userID>` only records that the membership was created.
 */
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import type { ResellerClient } from './client/client.js';
import { NotFoundError } from '../transport/errors.js';
import type { ResellerProviderConfig } from './config.js';
import type { ResellerSessions } from './sessions.js';

/** spec.forProvider of a ProjectMembership; both ids are immutable. */
export interface ProjectMembershipForProvider {
  projectID: string;
  userID: string;
}

/** Connects ProjectMembership managed resources to the reseller API of their provider config. */
export class ProjectMembershipConnector implements ExternalConnector<
  ProjectMembershipForProvider,
  ResellerProviderConfig
> {
  constructor(private readonly sessions: ResellerSessions) {}

  async connect(config: ResellerProviderConfig): Promise<ExternalClient<ProjectMembershipForProvider>> {
    return new ProjectMembershipExternal(this.sessions.client(config));
  }
}

/** Observe, create and delete of one membership; there is nothing to update. */
export class ProjectMembershipExternal implements ExternalClient<ProjectMembershipForProvider> {
  constructor(private readonly client: ResellerClient) {}

  async observe(mr: ManagedView<ProjectMembershipForProvider>): Promise<ExternalObservation> {
    const { projectID, userID } = mr.forProvider;
    let members;
    try {
      members = await this.client.listProjectUsers(projectID);
    } catch (error) {
      // No project, no membership: create reports the missing project, delete has nothing to do.
      if (error instanceof NotFoundError) return { resourceExists: false, resourceUpToDate: false };
      throw error;
    }
    const member = members.some((membership) => membership.user === userID);
    return member
      ? { resourceExists: true, resourceUpToDate: true, available: true, atProvider: { member: true } }
      : { resourceExists: false, resourceUpToDate: false };
  }

  async create(mr: ManagedView<ProjectMembershipForProvider>): Promise<ExternalCreation> {
    const { projectID, userID } = mr.forProvider;
    await this.client.addProjectUser(projectID, userID);
    return { externalName: `${projectID}:${userID}` };
  }

  async update(): Promise<ExternalUpdate> {
    // Both ids are immutable and a membership has no other field.
    return {};
  }

  async delete(mr: ManagedView<ProjectMembershipForProvider>): Promise<void> {
    try {
      await this.client.removeProjectUser(mr.forProvider.projectID, mr.forProvider.userID);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
