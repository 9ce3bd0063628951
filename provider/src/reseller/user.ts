/**
 * The User managed kind against the reseller API. The external name is the user id. Before its first
 * create, a User looks for the user with exactly its e-mail address: it adopts it (and sets the
 * password it publishes) when it carries this resource's ownership marker (a create whose answer was
 * lost) or the platform granted it (see ownership.ts); otherwise it refuses and changes nothing.
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
import { NotFoundError, ResellerAPIError } from './client/errors.js';
import type { User as APIUser, UserUpdate } from './client/types.js';
import type { ResellerProviderConfig } from './config.js';
import { requireExternalName } from '../external-name.js';
import type { ResellerSessions } from './sessions.js';
import { userConnectionDetails } from './user-connection.js';
import {
  markedDescription,
  NotOwnedError,
  requireOwnership,
  strictOwnership,
  type OwnershipPolicy,
} from './ownership.js';

/** spec.forProvider of a User with its password, which the runtime read from passwordSecretRef. */
export interface UserForProvider {
  email: string;
  description: string;
  enabled: boolean;
  defaultProjectID?: string | undefined;
  password: string;
}

/** More than one user has the e-mail address to adopt. */
export class AmbiguousUserError extends ResellerAPIError {
  override name = 'AmbiguousUserError';
}

/** Connects User managed resources to the reseller API of their provider config. */
export class UserConnector implements ExternalConnector<UserForProvider, ResellerProviderConfig> {
  constructor(
    private readonly sessions: ResellerSessions,
    private readonly ownership: OwnershipPolicy = strictOwnership,
  ) {}

  async connect(config: ResellerProviderConfig): Promise<ExternalClient<UserForProvider>> {
    return new UserExternal(this.sessions.client(config), config, this.ownership);
  }
}

/** Observe, create, update and delete of one User. */
export class UserExternal implements ExternalClient<UserForProvider> {
  constructor(
    private readonly client: ResellerClient,
    private readonly config: Pick<ResellerProviderConfig, 'keystone' | 'regionName'>,
    private readonly ownership: OwnershipPolicy = strictOwnership,
  ) {}

  async observe(mr: ManagedView<UserForProvider>): Promise<ExternalObservation> {
    if (mr.externalName === undefined) return { resourceExists: false, resourceUpToDate: false };
    let user: APIUser;
    try {
      user = await this.client.getUser(mr.externalName);
    } catch (error) {
      if (error instanceof NotFoundError) return { resourceExists: false, resourceUpToDate: false };
      throw error;
    }
    try {
      await this.requireOwned(mr, user, true);
    } catch (error) {
      // Deleting a resource that never owned its user leaves the user alone.
      if (mr.deleting === true && error instanceof NotOwnedError) {
        return { resourceExists: false, resourceUpToDate: false };
      }
      throw error;
    }
    // The API never returns the password: the published one is the one it last accepted, so a
    // different desired password must be pushed (update) before it may be published.
    const passwordChanged = await this.passwordChanged(mr);
    return {
      resourceExists: true,
      resourceUpToDate: !passwordChanged && Object.keys(changes(mr, user)).length === 0,
      available: user.enabled ?? true,
      atProvider: { id: user.id, enabled: user.enabled ?? true },
      ...(passwordChanged ? {} : { connectionDetails: userConnectionDetails(this.config, mr.forProvider) }),
    };
  }

  async create(mr: ManagedView<UserForProvider>): Promise<ExternalCreation> {
    const desired = mr.forProvider;
    const existing = (await this.client.listUsers()).filter((user) => user.name === desired.email);
    if (existing.length > 1) {
      throw new AmbiguousUserError(
        `cannot create user "${desired.email}": ${existing.length} users have this e-mail address ` +
          `(${existing.map((u) => u.id).join(', ')}); set the external name to the one to manage`,
      );
    }
    const adopted = existing[0];
    if (adopted !== undefined) {
      await this.requireOwned(mr, adopted, false);
      // The password is never observable: set it, so the published one is the one that works.
      await this.client.updateUser(adopted.id, { ...changes(mr, adopted), password: desired.password });
      return { externalName: adopted.id, connectionDetails: userConnectionDetails(this.config, desired) };
    }
    const created = await this.client.createUser({
      name: desired.email,
      description: markedDescription(desired.description, mr),
      enabled: desired.enabled,
      password: desired.password,
      ...(desired.defaultProjectID === undefined ? {} : { default_project: desired.defaultProjectID }),
    });
    return { externalName: created.id, connectionDetails: userConnectionDetails(this.config, desired) };
  }

  async update(mr: ManagedView<UserForProvider>): Promise<ExternalUpdate> {
    const id = requireExternalName(mr, 'update user');
    const update: UserUpdate = changes(mr, await this.client.getUser(id));
    if (await this.passwordChanged(mr)) update.password = mr.forProvider.password;
    if (Object.keys(update).length > 0) await this.client.updateUser(id, update);
    // Published only now that the API accepted it.
    return { connectionDetails: userConnectionDetails(this.config, mr.forProvider) };
  }

  /**
   * Whether the desired password differs from the published one (or none is published although a
   * connection Secret is wanted). Without a connection Secret nothing records the password the API
   * has, so a change cannot be seen.
   */
  private async passwordChanged(mr: ManagedView<UserForProvider>): Promise<boolean> {
    if (mr.published === undefined) return false;
    const published = await mr.published();
    return published?.['password']?.toString('utf8') !== mr.forProvider.password;
  }

  async delete(mr: ManagedView<UserForProvider>): Promise<void> {
    if (mr.externalName === undefined) return;
    try {
      // Observe checked it in this reconcile; checked again, as deleting a foreign user is final.
      await this.requireOwned(mr, await this.client.getUser(mr.externalName), true);
      await this.client.deleteUser(mr.externalName);
    } catch (error) {
      if (!(error instanceof NotFoundError || error instanceof NotOwnedError)) throw error;
    }
  }

  /** Throws NotOwnedError unless mr may manage user (see ownership.ts). */
  private async requireOwned(
    mr: ManagedView<UserForProvider>,
    user: APIUser,
    recorded: boolean,
  ): Promise<void> {
    await requireOwnership(
      this.ownership,
      mr,
      {
        kind: 'User',
        what: `user "${user.name}" (${user.id})`,
        description: user.description,
        grantName: mr.forProvider.email,
        named: user.name === mr.forProvider.email,
      },
      recorded,
    );
  }
}

/**
 * The fields of the desired user that differ from the API's, the description with mr's ownership
 * marker; a default project left out is not managed.
 */
function changes(mr: ManagedView<UserForProvider>, user: APIUser): UserUpdate {
  const desired = mr.forProvider;
  const update: UserUpdate = {};
  const description = markedDescription(desired.description, mr);
  if (user.name !== desired.email) update.name = desired.email;
  if (user.description !== description) update.description = description;
  if ((user.enabled ?? true) !== desired.enabled) update.enabled = desired.enabled;
  if (desired.defaultProjectID !== undefined && user.default_project !== desired.defaultProjectID) {
    update.default_project = desired.defaultProjectID;
  }
  return update;
}
