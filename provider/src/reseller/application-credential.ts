/**
 * The ApplicationCredential managed kind: a Keystone v3 application credential, created as its user
 * (password authentication scoped to the project). The external name is the credential id.
 *
 * Keystone shows a credential's secret only in the answer to its creation. When that answer was lost
 * (crash, dropped connection), the credential with the resource's name exists but its secret cannot be
 * published; create then deletes it and creates it again, so the published secret always works.
 */
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import { NotFoundError } from '../transport/errors.js';
import type { TransportOptions } from './client/transport.js';
import { ProviderConfigError } from '../runtime/providerconfig.js';
import type { ResellerProviderConfig } from './config.js';
import { KeystoneClient, type ApplicationCredential } from './keystone/client.js';
import { requireExternalName } from '../external-name.js';
import { SecretKeyError } from '../secret-key.js';
import type { ResellerClient } from './client/client.js';
import type { ResellerSessions } from './sessions.js';

/** spec.forProvider of an ApplicationCredential, with the user's password the runtime resolved. */
export interface ApplicationCredentialForProvider {
  userID: string;
  projectID: string;
  name: string;
  description?: string | undefined;
  expiresAt?: string | undefined;
  unrestricted: boolean;
  password: string;
}

/** The connection keys of a credential. */
export const CREDENTIAL_ID_KEY = 'application-credential-id';
export const CREDENTIAL_SECRET_KEY = 'application-credential-secret';

export const errNoKeystone =
  'cannot connect application credential: the provider config has no keystone.authURL';

/** Connects ApplicationCredential managed resources to the Keystone of their provider config. */
export class ApplicationCredentialConnector implements ExternalConnector<
  ApplicationCredentialForProvider,
  ResellerProviderConfig
> {
  constructor(
    private readonly sessions: ResellerSessions,
    private readonly options: TransportOptions = {},
  ) {}

  async connect(config: ResellerProviderConfig): Promise<ExternalClient<ApplicationCredentialForProvider>> {
    if (config.keystone === undefined) throw new ProviderConfigError(errNoKeystone);
    return new ApplicationCredentialExternal(
      new KeystoneClient(config.keystone.authURL, this.options),
      this.sessions.client(config),
    );
  }
}

/** Observe, create and delete of one application credential; Keystone cannot change one. */
export class ApplicationCredentialExternal implements ExternalClient<ApplicationCredentialForProvider> {
  constructor(
    private readonly keystone: KeystoneClient,
    private readonly reseller: Pick<ResellerClient, 'getUser'>,
  ) {}

  async observe(mr: ManagedView<ApplicationCredentialForProvider>): Promise<ExternalObservation> {
    if (mr.externalName === undefined) return { resourceExists: false, resourceUpToDate: false };
    // Keystone deletes a user's application credentials with the user, who can no longer log in to
    // show them: a credential being deleted after its user is gone already.
    if (mr.deleting && !(await this.userExists(mr.forProvider.userID)))
      return { resourceExists: false, resourceUpToDate: false };
    const token = await this.token(mr.forProvider);
    let found: ApplicationCredential;
    try {
      found = await this.keystone.getApplicationCredential(token, mr.forProvider.userID, mr.externalName);
    } catch (error) {
      if (error instanceof NotFoundError) return { resourceExists: false, resourceUpToDate: false };
      throw error;
    }
    if (mr.published !== undefined && !(await publishedSecretOf(mr.published, found.id))) {
      // Keystone never shows the secret again: a credential whose secret is not published (the
      // publish failed, or the Secret was deleted) is useless. Report it missing, so that create
      // replaces it (after the creation grace period) and publishes the new secret.
      return { resourceExists: false, resourceUpToDate: false };
    }
    return {
      resourceExists: true,
      // Every field is immutable (the API server refuses changes), so there is never an update.
      resourceUpToDate: true,
      available: true,
      atProvider: { id: found.id, ...(found.expires_at ? { expiresAt: found.expires_at } : {}) },
    };
  }

  async create(mr: ManagedView<ApplicationCredentialForProvider>): Promise<ExternalCreation> {
    const desired = mr.forProvider;
    const token = await this.token(desired);
    // A credential with this name whose secret was never published: replace it (see the module doc).
    for (const stale of await this.keystone.findApplicationCredentials(token, desired.userID, desired.name)) {
      await this.keystone.deleteApplicationCredential(token, desired.userID, stale.id);
    }
    const created = await this.keystone.createApplicationCredential(token, desired.userID, {
      name: desired.name,
      unrestricted: desired.unrestricted,
      ...(desired.description === undefined ? {} : { description: desired.description }),
      ...(desired.expiresAt === undefined ? {} : { expires_at: desired.expiresAt }),
    });
    return {
      externalName: created.id,
      connectionDetails: {
        [CREDENTIAL_ID_KEY]: Buffer.from(created.id),
        [CREDENTIAL_SECRET_KEY]: Buffer.from(created.secret ?? ''),
      },
    };
  }

  async update(mr: ManagedView<ApplicationCredentialForProvider>): Promise<ExternalUpdate> {
    requireExternalName(mr, 'update application credential');
    return {};
  }

  async delete(mr: ManagedView<ApplicationCredentialForProvider>): Promise<void> {
    if (mr.externalName === undefined) return;
    if (!(await this.userExists(mr.forProvider.userID))) return;
    const token = await this.token(mr.forProvider);
    try {
      await this.keystone.deleteApplicationCredential(token, mr.forProvider.userID, mr.externalName);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  private async userExists(userID: string): Promise<boolean> {
    try {
      await this.reseller.getUser(userID);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  private token(desired: ApplicationCredentialForProvider): Promise<string> {
    if (desired.password === '')
      throw new SecretKeyError(
        `cannot log in as user "${desired.userID}": spec.forProvider.passwordSecretRef is gone while the user ` +
          'still exists; restore the Secret, or delete the user (Keystone deletes its application credentials)',
      );
    return this.keystone.authenticate({
      userID: desired.userID,
      password: desired.password,
      projectID: desired.projectID,
    });
  }
}

/** Whether the published connection details hold the secret of credential id. */
async function publishedSecretOf(
  published: () => Promise<Record<string, Buffer> | undefined>,
  id: string,
): Promise<boolean> {
  const details = await published();
  return (
    details?.[CREDENTIAL_ID_KEY]?.toString('utf8') === id && (details[CREDENTIAL_SECRET_KEY]?.length ?? 0) > 0
  );
}
