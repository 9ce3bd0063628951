/**
 * The Project managed kind against the reseller API. The external name is the 32-hex project id.
 * Before its first create, a Project looks for the project named exactly `<customer prefix><name>`:
 * it adopts it when it carries this resource's ownership marker (a create whose answer was lost) or
 * the platform granted it (see ownership.ts); otherwise it refuses and changes nothing.
 */
import type { ProjectQuotas } from '../../../apis/provider/reseller-quotas.js';
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import type { ResellerClient } from './client/client.js';
import { NotAllowedError, NotFoundError, ResellerAPIError } from './client/errors.js';
import type { Project as APIProject } from './client/types.js';
import type { ResellerProviderConfig } from './config.js';
import { quotaDifferences, quotaUpdate } from './quotas.js';
import type { ResellerSessions } from './sessions.js';
import { requireExternalName } from '../external-name.js';
import {
  markedDescription,
  NotOwnedError,
  requireOwnership,
  strictOwnership,
  type OwnershipPolicy,
} from './ownership.js';

/** spec.forProvider of a Project, defaults applied. */
export interface ProjectForProvider {
  name: string;
  description: string;
  enabled: boolean;
  networkPreconfigure: boolean;
  quotas?: ProjectQuotas | undefined;
}

/** Deleting the project was refused because users are still members; retried after a back-off. */
export class ProjectHasMembersError extends ResellerAPIError {
  override name = 'ProjectHasMembersError';
}

/** More than one project has the name to adopt; the user must pick one by external name. */
export class AmbiguousProjectError extends ResellerAPIError {
  override name = 'AmbiguousProjectError';
}

/** Connects Project managed resources to the reseller API of their provider config. */
export class ProjectConnector implements ExternalConnector<ProjectForProvider, ResellerProviderConfig> {
  constructor(
    private readonly sessions: ResellerSessions,
    private readonly ownership: OwnershipPolicy = strictOwnership,
  ) {}

  async connect(config: ResellerProviderConfig): Promise<ExternalClient<ProjectForProvider>> {
    return new ProjectExternal(
      this.sessions.client(config),
      () => this.sessions.projectPrefix(config),
      this.ownership,
    );
  }
}

/** Observe, create, update and delete of one Project. */
export class ProjectExternal implements ExternalClient<ProjectForProvider> {
  constructor(
    private readonly client: ResellerClient,
    private readonly projectPrefix: () => Promise<string>,
    private readonly ownership: OwnershipPolicy = strictOwnership,
  ) {}

  async observe(mr: ManagedView<ProjectForProvider>): Promise<ExternalObservation> {
    if (mr.externalName === undefined) return { resourceExists: false, resourceUpToDate: false };
    let project: APIProject;
    try {
      project = await this.client.getProject(mr.externalName);
    } catch (error) {
      if (error instanceof NotFoundError) return { resourceExists: false, resourceUpToDate: false };
      throw error;
    }
    try {
      await this.requireOwned(mr, project, true);
    } catch (error) {
      // Deleting a resource that never owned its project leaves the project alone.
      if (mr.deleting === true && error instanceof NotOwnedError) {
        return { resourceExists: false, resourceUpToDate: false };
      }
      throw error;
    }
    const desired = mr.forProvider;
    let upToDate =
      project.description === markedDescription(desired.description, mr) &&
      (project.enabled ?? true) === desired.enabled;
    if (upToDate && desired.quotas !== undefined) {
      upToDate = quotaDifferences(desired.quotas, await this.client.getQuotas(project.id)).length === 0;
    }
    return {
      resourceExists: true,
      resourceUpToDate: upToDate,
      available: true,
      atProvider: { id: project.id, name: project.name, enabled: project.enabled ?? true },
    };
  }

  async create(mr: ManagedView<ProjectForProvider>): Promise<ExternalCreation> {
    const desired = mr.forProvider;
    const fullName = (await this.projectPrefix()) + desired.name;
    // Exact name only: "c0042-a" must never adopt "c0042-team-a" or "other-c0042-a".
    const existing = (await this.client.listProjects()).filter((project) => project.name === fullName);
    if (existing.length > 1) {
      throw new AmbiguousProjectError(
        `cannot create project "${fullName}": ${existing.length} projects have this name ` +
          `(${existing.map((p) => p.id).join(', ')}); set the external name to the one to manage`,
      );
    }
    const adopted = existing[0];
    if (adopted !== undefined) {
      await this.requireOwned(mr, adopted, false);
      // The next observe finds the adopted project's differences (its marker too) and updates it.
      return { externalName: adopted.id };
    }
    const created = await this.client.createProject({
      name: desired.name,
      description: markedDescription(desired.description, mr),
      enabled: desired.enabled,
      network_preconfigure: desired.networkPreconfigure,
    });
    return { externalName: created.id };
  }

  async update(mr: ManagedView<ProjectForProvider>): Promise<ExternalUpdate> {
    const id = requireExternalName(mr, 'update project');
    const desired = mr.forProvider;
    const project = await this.client.getProject(id);
    const description = markedDescription(desired.description, mr);
    if (project.description !== description || (project.enabled ?? true) !== desired.enabled) {
      await this.client.updateProject(id, { description, enabled: desired.enabled });
    }
    if (desired.quotas !== undefined) {
      const observed = await this.client.getQuotas(id);
      if (quotaDifferences(desired.quotas, observed).length > 0) {
        await this.client.updateQuotas(id, quotaUpdate(desired.quotas, observed));
      }
    }
    return {};
  }

  async delete(mr: ManagedView<ProjectForProvider>): Promise<void> {
    if (mr.externalName === undefined) return;
    try {
      // Observe checked it in this reconcile; checked again, as deleting a foreign project is final.
      await this.requireOwned(mr, await this.client.getProject(mr.externalName), true);
      await this.client.deleteProject(mr.externalName);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof NotOwnedError) return;
      if (error instanceof NotAllowedError) {
        throw new ProjectHasMembersError(
          `cannot delete project "${mr.externalName}": users are still members; ` +
            'delete their ProjectMemberships first (retrying)',
          405,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** Throws NotOwnedError unless mr may manage project (see ownership.ts). */
  private async requireOwned(
    mr: ManagedView<ProjectForProvider>,
    project: APIProject,
    recorded: boolean,
  ): Promise<void> {
    const fullName = (await this.projectPrefix()) + mr.forProvider.name;
    await requireOwnership(
      this.ownership,
      mr,
      {
        kind: 'Project',
        what: `project "${project.name}" (${project.id})`,
        description: project.description,
        grantName: mr.forProvider.name,
        named: project.name === fullName,
      },
      recorded,
    );
  }
}
