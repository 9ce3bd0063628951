/**
 * The storage Project managed kind: a LightOS project named after the tenant's cloud project id. The
 * name is the identity, so a create that finds the project (409) simply takes it.
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
import { StorageConflictError, StorageNotFoundError } from './errors.js';

/** spec.forProvider of a storage Project. */
export interface StorageProjectForProvider {
  /** The tenant's cloud project id, the storage project's name. */
  name: string;
}

/** Builds the client of a provider config; tests pass the scheme. */
export type StorageClientFactory = (config: StorageProviderConfig) => StorageClient;

/** The production client: HTTPS with the provider config's CA. */
export function storageClientFor(
  options: Pick<StorageClientConfig, 'scheme' | 'requestTimeoutMs'> = {},
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
    try {
      const project = await this.client.getProject(mr.forProvider.name);
      return {
        resourceExists: true,
        resourceUpToDate: true,
        available: true,
        atProvider: { name: project.name },
      };
    } catch (error) {
      if (error instanceof StorageNotFoundError) return { resourceExists: false, resourceUpToDate: false };
      throw error;
    }
  }

  async create(mr: ManagedView<StorageProjectForProvider>): Promise<ExternalCreation> {
    const name = mr.forProvider.name;
    try {
      await this.client.createProject({ name, description: `cloud project ${name}` });
    } catch (error) {
      // Created before (a lost answer, or another cluster): the name is the identity.
      if (!(error instanceof StorageConflictError)) throw error;
    }
    return { externalName: name };
  }

  async update(): Promise<ExternalUpdate> {
    // The name is the only field and it is immutable.
    return {};
  }

  async delete(mr: ManagedView<StorageProjectForProvider>): Promise<void> {
    try {
      await this.client.deleteProject(mr.forProvider.name);
    } catch (error) {
      if (!(error instanceof StorageNotFoundError)) throw error;
    }
  }
}
