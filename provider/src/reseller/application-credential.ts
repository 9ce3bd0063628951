/**
 * The ApplicationCredential managed kind: a Keystone v3 application credential, created as its user
 * (password authentication scoped to the project). The external name is the credential id.
 *
 * Keystone shows a credential's secret only in the answer to its creation. When that answer was lost
 * (crash, dropped connection), the credential with the resource's name exists but its secret cannot be
 * published; create then deletes it and creates it again, so the published secret always works.
 *
 * Keystone refuses a project-scoped login once the user lost its role on the project, but still lets
 * the user log in unscoped and show or delete its credentials: observe and delete fall back to that, so
 * such a credential is reported unusable and still finishes deleting. A disabled user cannot log in at
 * all; the error says so and what to do. Keystone answers `expires_at` without a zone (UTC);
 * atProvider.expiresAt holds it as RFC 3339 (`2027-01-01T00:00:00Z`), and a credential past it is not
 * Ready.
 */
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import { ExternalAPIError, NotFoundError, UnauthorizedError } from '../transport/errors.js';
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
    const login = await this.login(mr.forProvider, `show application credential "${mr.externalName}"`);
    let found: ApplicationCredential;
    try {
      found = await this.keystone.getApplicationCredential(
        login.token,
        mr.forProvider.userID,
        mr.externalName,
      );
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
    const expiresAt = found.expires_at ? rfc3339(found.expires_at) : undefined;
    const unusable = unusableBecause(mr.forProvider, found.id, expiresAt, login.scoped);
    return {
      resourceExists: true,
      // Every field is immutable (the API server refuses changes), so there is never an update.
      resourceUpToDate: true,
      available: unusable === undefined,
      ...(unusable === undefined ? {} : { unavailableBecause: unusable }),
      atProvider: { id: found.id, ...(expiresAt === undefined ? {} : { expiresAt }) },
    };
  }

  async create(mr: ManagedView<ApplicationCredentialForProvider>): Promise<ExternalCreation> {
    const desired = mr.forProvider;
    // Keystone refuses a past expiry (400); admission cannot compare with the time (CEL has no clock).
    if (desired.expiresAt !== undefined && !(Date.parse(desired.expiresAt) > Date.now())) {
      throw new ExternalAPIError(
        `cannot create application credential "${desired.name}": spec.forProvider.expiresAt ` +
          `${desired.expiresAt} is not in the future; Keystone refuses it. The field is immutable: ` +
          'delete this ApplicationCredential and create it with a later expiresAt, or none',
      );
    }
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
    const login = await this.login(mr.forProvider, `delete application credential "${mr.externalName}"`);
    try {
      await this.keystone.deleteApplicationCredential(login.token, mr.forProvider.userID, mr.externalName);
    } catch (error) {
      // 404: the credential is gone, or (for a token issued before) its user is.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /**
   * A token of the user for showing or deleting its credentials: scoped to the project, or, once the
   * user lost its role there, unscoped (`scoped: false`). A disabled user, or a changed password, gets
   * neither; the error says what to do.
   */
  private async login(
    desired: ApplicationCredentialForProvider,
    action: string,
  ): Promise<{ token: string; scoped: boolean }> {
    try {
      return { token: await this.token(desired), scoped: true };
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
    }
    try {
      return {
        token: await this.keystone.authenticate({ userID: desired.userID, password: desired.password }),
        scoped: false,
      };
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      throw new UnauthorizedError(
        `cannot ${action} of user "${desired.userID}": Keystone refuses the user's login (401): the user ` +
          'is disabled, or its password is not the one in spec.forProvider.passwordSecretRef. Enable the ' +
          'user or fix the Secret, or delete the user (Keystone deletes its application credentials with ' +
          'it); then this resource finishes deleting',
        error.status,
        { cause: error },
      );
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

/** Why Keystone refuses an existing credential, if it does: expired, or its user lost the role. */
function unusableBecause(
  desired: ApplicationCredentialForProvider,
  id: string,
  expiresAt: string | undefined,
  scoped: boolean,
): string | undefined {
  if (expiresAt !== undefined && Date.parse(expiresAt) <= Date.now()) {
    return (
      `application credential "${id}" expired at ${expiresAt}: Keystone refuses it; ` +
      'create a new ApplicationCredential with a later spec.forProvider.expiresAt, or none'
    );
  }
  if (!scoped) {
    return (
      `user "${desired.userID}" has no role on project "${desired.projectID}" any more: ` +
      'Keystone refuses the credential; grant the user a role on the project again'
    );
  }
  return undefined;
}

/** A Keystone time (UTC, often without a zone: `2027-01-01T00:00:00.000000`) as RFC 3339. */
export function rfc3339(time: string): string {
  const zoned = /(Z|[+-]\d{2}:\d{2})$/i.test(time) ? time : `${time}Z`;
  const parsed = new Date(zoned);
  if (Number.isNaN(parsed.getTime())) return time;
  return parsed.toISOString().replace('.000Z', 'Z');
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
