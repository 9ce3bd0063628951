/**
 * What the fake reseller API stores: projects, users, memberships and quotas per customer account, with
 * the ids it hands out and the quota defaults of the OpenAPI description.
 */
import { fileURLToPath } from 'node:url';
import type { Project, Quotas, User } from '../../provider/src/reseller/client/types.js';
import { seededRandom } from './faults.js';
import { OpenAPISchemas } from './openapi-schemas.js';
import { ownIdentity, type ResellerIdentity } from './reseller-identity.js';

/** A customer account the fake accepts at its login. */
export interface ResellerAccount {
  username: string;
  password: string;
  /** What the API puts before every project name of this customer. */
  projectPrefix: string;
  domainID: string;
}

/** A stored project: the API's answer plus what only the fake knows. */
export interface StoredProject extends Project {
  enabled: boolean;
  owner: string;
  network_preconfigure: boolean;
}

/** A stored user, with the password Keystone checks. */
export interface StoredUser extends User {
  owner: string;
  password: string;
}

/** The default account of a FakeResellerAPI. */
export const DEFAULT_ACCOUNT: ResellerAccount = {
  username: 'reseller@example.com',
  password: 'correct horse battery staple',
  projectPrefix: 'c0042-',
  domainID: 'd0000000000000000000000000000042',
};

/** The vendored contract the fake validates against. */
export const RESELLER_OPENAPI_PATH = fileURLToPath(
  new URL('../../provider/src/reseller/client/reseller-api.openapi.yaml', import.meta.url),
);

/**
 * The quota fields the schemas require without a default get these values in a new project; the
 * defaulted fields get the API's defaults from the OpenAPI description.
 */
const INITIAL_REQUIRED_QUOTAS = {
  compute: { instances: 10, key_pairs: 100, metadata_items: 128, server_groups: 10 },
  volume: { volumes: 10, backups: 10, backup_gigabytes: 1000 },
  network: { network: 10, subnet: 10, router: 10, security_group: 10, security_group_rule: 100 },
};

/** The fake's state, shared by its routes and by tests that seed or inspect it. */
export class ResellerStore {
  readonly projects = new Map<string, StoredProject>();
  readonly users = new Map<string, StoredUser>();
  /** Memberships as `${projectID}/${userID}`. */
  readonly memberships = new Set<string>();
  readonly quotas = new Map<string, Required<Quotas>>();
  readonly schemas = new OpenAPISchemas(RESELLER_OPENAPI_PATH);
  /** Where projects, users and memberships are made in identity; the fake's own ids without Keystone. */
  readonly identity: ResellerIdentity;
  private readonly ids: () => number;

  constructor(
    private readonly owner: ResellerAccount,
    seed: number,
    identity?: ResellerIdentity,
  ) {
    this.ids = seededRandom(seed);
    this.identity = identity ?? ownIdentity(() => this.newID());
  }

  /** Stores a project directly, as if created earlier (by someone else, or by a crashed create). */
  seedProject(fields: Partial<StoredProject> & { name: string }): StoredProject {
    const project: StoredProject = {
      id: this.newID(),
      description: 'seeded',
      enabled: true,
      network_preconfigure: false,
      owner: this.owner.username,
      ...fields,
    };
    this.projects.set(project.id, project);
    this.quotas.set(project.id, this.defaultQuotas());
    return project;
  }

  /**
   * Makes a project as if created earlier (by someone else, or by a crashed create), in identity too:
   * what seedProject does where the fake stands on a real Keystone.
   */
  async addProject(fields: Partial<StoredProject> & { name: string }): Promise<StoredProject> {
    const id = await this.identity.createProject({
      name: fields.name,
      description: fields.description ?? 'seeded',
      enabled: fields.enabled ?? true,
    });
    return this.seedProject({ ...fields, id });
  }

  /** Stores a user directly. */
  seedUser(fields: Partial<StoredUser> & { name: string }): StoredUser {
    const user: StoredUser = {
      id: this.newID(),
      description: 'seeded',
      enabled: true,
      owner: this.owner.username,
      password: 'seeded-password',
      ...fields,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** Makes a user as if created earlier, in identity too: what seedUser does on a real Keystone. */
  async addUser(fields: Partial<StoredUser> & { name: string; password: string }): Promise<StoredUser> {
    const id = await this.identity.createUser({
      name: fields.name,
      description: fields.description ?? 'seeded',
      enabled: fields.enabled ?? true,
      password: fields.password,
    });
    return this.seedUser({ ...fields, id });
  }

  /** Makes a membership as if granted earlier, in identity too. */
  async addMembership(projectID: string, userID: string): Promise<void> {
    await this.identity.addMember(projectID, userID);
    this.memberships.add(`${projectID}/${userID}`);
  }

  /** The user with this id or name and password, for the Keystone fake. */
  authenticate(idOrName: string, password: string): StoredUser | undefined {
    for (const user of this.users.values()) {
      if ((user.id === idOrName || user.name === idOrName) && user.password === password) return user;
    }
    return undefined;
  }

  /** A new 32-hex-digit id, from the seeded sequence so that runs repeat. */
  newID(): string {
    let id = '';
    while (id.length < 32) id += Math.floor(this.ids() * 16).toString(16);
    return id;
  }

  /** The quotas of a new project. */
  defaultQuotas(): Required<Quotas> {
    const quotas = structuredClone(INITIAL_REQUIRED_QUOTAS);
    // Validation fills in the API's defaults for every optional quota.
    this.schemas.validate('UpdateQuota', quotas);
    return quotas as unknown as Required<Quotas>;
  }
}

/** A project as the API answers it. */
export function projectView(project: StoredProject): Project {
  return { id: project.id, name: project.name, description: project.description, enabled: project.enabled };
}

/** A user as the API answers it, without what only the fake knows. */
export function userView(user: StoredUser): User {
  const { owner: _owner, password: _password, ...view } = user;
  return view;
}
