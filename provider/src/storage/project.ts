/**
 * The storage Project managed kind: a LightOS project named after the tenant's cloud project id. The
 * name is the identity, so a create that finds the project (409) simply takes it. A project holds the
 * tenants' volumes, so deleting the resource keeps it unless deletionPolicy is DeleteWhenEmpty, and
 * then only once no volume is left.
 */
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import { StorageClient, type StorageClientConfig } from './client.js';
import type { StorageProviderConfig } from './config.js';
import { ConflictError, ExternalAPIError, NotFoundError } from '../transport/errors.js';
import { StorageProjectNotEmptyError } from './errors.js';

/** spec.forProvider of a storage Project. */
export interface StorageProjectForProvider {
  /** The tenant's cloud project id, the storage project's name. */
  name: string;
  /** Orphan (the default) keeps the storage project; DeleteWhenEmpty deletes it once it has no volumes. */
  deletionPolicy?: 'Orphan' | 'DeleteWhenEmpty';
}

/** Volume states that no longer hold data (Volume.StateEnum). */
const GONE_VOLUME_STATES = new Set(['Deleted']);

/** Builds the client of a provider config; tests pass the scheme. */
export type StorageClientFactory = (config: StorageProviderConfig) => StorageClient;

/** The production client: HTTPS with the provider config's CA. */
export function storageClientFor(
  options: Pick<StorageClientConfig, 'scheme' | 'outbound'> = {},
): StorageClientFactory {
  return (config) =>
    new StorageClient({
      endpoints: config.endpoints,
      adminToken: config.adminToken,
      ...(config.ca === undefined ? {} : { ca: config.ca }),
      ...options,
    });
}

/** Connects storage Projects to the storage API of their provider config. */
export class StorageProjectConnector implements ExternalConnector<
  StorageProjectForProvider,
  StorageProviderConfig
> {
  constructor(private readonly clientFor: StorageClientFactory = storageClientFor()) {}

  async connect(config: StorageProviderConfig): Promise<ExternalClient<StorageProjectForProvider>> {
    return new StorageProjectExternal(this.clientFor(config));
  }
}

/** Observe, create and delete of one storage project. */
export class StorageProjectExternal implements ExternalClient<StorageProjectForProvider> {
  constructor(private readonly client: StorageClient) {}

  async observe(mr: ManagedView<StorageProjectForProvider>): Promise<ExternalObservation> {
    // Orphan: for a resource being deleted the project is none of its business any more, so it is
    // reported gone and the reconciler removes the finalizer without a delete call.
    if (mr.deleting && mr.forProvider.deletionPolicy !== 'DeleteWhenEmpty') {
      return { resourceExists: false, resourceUpToDate: false };
    }
    try {
      const project = await this.client.getProject(mr.forProvider.name);
      return {
        resourceExists: true,
        resourceUpToDate: true,
        available: true,
        atProvider: { name: project.name },
      };
    } catch (error) {
      if (error instanceof NotFoundError) return { resourceExists: false, resourceUpToDate: false };
      throw error;
    }
  }

  async create(mr: ManagedView<StorageProjectForProvider>): Promise<ExternalCreation> {
    const name = mr.forProvider.name;
    try {
      await this.client.createProject({ name, description: `cloud project ${name}` });
    } catch (error) {
      // Created before (a lost answer, or another cluster): the name is the identity.
      if (!(error instanceof ConflictError)) throw error;
    }
    return { externalName: name };
  }

  async update(): Promise<ExternalUpdate> {
    // The name is the only field and it is immutable.
    return {};
  }

  async delete(mr: ManagedView<StorageProjectForProvider>): Promise<void> {
    const name = mr.forProvider.name;
    if (mr.forProvider.deletionPolicy !== 'DeleteWhenEmpty') {
      // The reconciler never gets here (observe reports an orphaned project gone); a direct call must
      // not delete either.
      throw new ExternalAPIError(
        `cannot delete storage project "${name}": deletionPolicy is Orphan; set DeleteWhenEmpty to delete it`,
      );
    }
    try {
      const volumes = (await this.client.listVolumes(name)).filter((v) => !GONE_VOLUME_STATES.has(v.state));
      if (volumes.length > 0) {
        const shown = volumes.slice(0, 5).map((v) => v.name || v.UUID);
        const more = volumes.length > shown.length ? `, and ${volumes.length - shown.length} more` : '';
        throw new StorageProjectNotEmptyError(
          `cannot delete storage project "${name}": ${volumes.length} volume${volumes.length === 1 ? '' : 's'} ` +
            `remain${volumes.length === 1 ? 's' : ''} (${shown.join(', ')}${more}); delete them first, or ` +
            'keep the project with deletionPolicy: Orphan (retrying)',
        );
      }
      await this.client.deleteProject(name);
    } catch (error) {
      // A project that is gone has nothing left to delete.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
