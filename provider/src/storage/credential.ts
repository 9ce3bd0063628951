/**
 * The storage Credential managed kind: a project's `root` credential holds the admin public key, which
 * verifies the project's tokens. LightOS has no credential update, so a different key is replaced.
 */
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import type { StorageClient } from './client.js';
import type { StorageProviderConfig } from './config.js';
import { ConflictError, NotFoundError } from '../transport/errors.js';
import { parseAdminKey, type AdminKey } from './keys.js';
import { rootCredentialID } from './paths.js';
import { storageClientFor, type StorageClientFactory } from './project.js';

/** spec.forProvider of a storage Credential. */
export interface StorageCredentialForProvider {
  /** The storage project whose root credential this is. */
  projectName: string;
}

/** Connects storage Credentials to the storage API of their provider config. */
export class StorageCredentialConnector implements ExternalConnector<
  StorageCredentialForProvider,
  StorageProviderConfig
> {
  constructor(private readonly clientFor: StorageClientFactory = storageClientFor()) {}

  async connect(config: StorageProviderConfig): Promise<ExternalClient<StorageCredentialForProvider>> {
    return new StorageCredentialExternal(this.clientFor(config), parseAdminKey(config.adminPrivateKey));
  }
}

/** Observe, create, update (replace) and delete of one root credential. */
export class StorageCredentialExternal implements ExternalClient<StorageCredentialForProvider> {
  constructor(
    private readonly client: StorageClient,
    private readonly key: AdminKey,
  ) {}

  async observe(mr: ManagedView<StorageCredentialForProvider>): Promise<ExternalObservation> {
    const project = mr.forProvider.projectName;
    try {
      const credential = await this.client.getCredential(project, rootCredentialID(project));
      return {
        resourceExists: true,
        resourceUpToDate: sameKey(credential.payload, this.key.publicKeyPEM),
        available: true,
        atProvider: { id: credential.ID, keyFingerprint: this.key.fingerprint },
      };
    } catch (error) {
      if (error instanceof NotFoundError) return { resourceExists: false, resourceUpToDate: false };
      throw error;
    }
  }

  async create(mr: ManagedView<StorageCredentialForProvider>): Promise<ExternalCreation> {
    const project = mr.forProvider.projectName;
    const id = rootCredentialID(project);
    try {
      await this.client.createCredential(project, id, this.key.publicKeyPEM);
    } catch (error) {
      // It exists already; the next observe compares its key.
      if (!(error instanceof ConflictError)) throw error;
    }
    return { externalName: id };
  }

  async update(mr: ManagedView<StorageCredentialForProvider>): Promise<ExternalUpdate> {
    const project = mr.forProvider.projectName;
    const id = rootCredentialID(project);
    // Tokens signed with the old key stop working here; the Token kind re-issues on the key change.
    await this.delete(mr);
    await this.client.createCredential(project, id, this.key.publicKeyPEM);
    return {};
  }

  async delete(mr: ManagedView<StorageCredentialForProvider>): Promise<void> {
    const project = mr.forProvider.projectName;
    try {
      await this.client.deleteCredential(project, rootCredentialID(project));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}

/** PEM comparison that ignores line endings and surrounding blank space. */
function sameKey(a: string, b: string): boolean {
  const normal = (pem: string) => pem.replace(/\r\n/g, '\n').trim();
  return normal(a) === normal(b);
}
