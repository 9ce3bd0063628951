/**
 * Every managed kind of provider-stackplane as a runtime registration: the kind's API location and
 * spec schema from apis/provider, the loader of its part of the provider config, and its connector.
 * Adding a kind is adding an entry here.
 */
import {
  ApplicationCredential,
  Project,
  ProjectMembership,
  User,
  type ApplicationCredentialParameters,
  type UserParameters,
} from '../../apis/provider/reseller.js';
import { StorageCredential, StorageProject, StorageToken } from '../../apis/provider/storage.js';
import { ComputeService } from '../../apis/provider/compute.js';
import { WebhookNotification } from '../../apis/provider/notification.js';
import { providerConfigSpecSchema, type ProviderConfigSpec } from '../../apis/provider/providerconfig.js';
import type { ManagedKind as KindSchema } from '../../apis/provider/definition.js';
import { ComputeServiceConnector } from './compute/compute-service.js';
import { resolveComputeConfig, type ComputeProviderConfig } from './compute/config.js';
import { ComputeSessions } from './compute/sessions.js';
import {
  WebhookNotificationConnector,
  type DeliveryLog,
  type WebhookProviderConfig,
} from './notification/webhook.js';
import { ApplicationCredentialConnector } from './reseller/application-credential.js';
import type { ResellerClientOptions } from './reseller/client/client.js';
import { resolveResellerConfig, type ResellerProviderConfig } from './reseller/config.js';
import { ProjectMembershipConnector } from './reseller/membership.js';
import { type OwnershipPolicy } from './reseller/ownership.js';
import { ProjectConnector } from './reseller/project.js';
import { ResellerSessions } from './reseller/sessions.js';
import { UserConnector } from './reseller/user.js';
import type { ExternalConnector } from './runtime/external.js';
import {
  providerConfigFromSpec,
  type ManagedKind,
  type ProviderConfigLoader,
  type ProviderConfigSource,
  type ProviderConfigStatusObserver,
  type SecretRef,
} from './runtime/kind.js';
import { resolvingSecretKey, type SecretReader } from './secret-key.js';
import { resolveStorageConfig, type StorageProviderConfig } from './storage/config.js';
import { StorageCredentialConnector } from './storage/credential.js';
import { storageClientFor, StorageProjectConnector, type StorageClientFactory } from './storage/project.js';
import { StorageTokenConnector } from './storage/token-external.js';
import { AllowListError, allowListPolicy } from './transport/address-policy.js';
import type { OutboundLimits } from './transport/http.js';
import { ProviderConfigError } from './runtime/providerconfig.js';

/** What the kinds' connectors need from the process; tests replace the transports. */
export interface ProviderKindsOptions {
  /** Reads Secrets in a managed resource's namespace (user passwords). */
  readSecret: SecretReader;
  /** Options of the reseller API and Keystone clients. */
  reseller?: ResellerClientOptions;
  /** Builds the block-storage client of a provider config. */
  storageClientFor?: StorageClientFactory;
  /** The clock of storage tokens, Keystone token renewal and notification timestamps. */
  now?: () => number;
  /** Which existing reseller projects and users may be adopted; default: only marked ones. */
  ownership?: OwnershipPolicy;
  /** The deadline and size limit of every Keystone, Nova and webhook call. */
  outbound?: OutboundLimits;
  /** Where the detail of a failed webhook delivery goes (never into the resource's conditions). */
  log?: DeliveryLog;
}

const parseSpec = providerConfigFromSpec(providerConfigSpecSchema);

/** Loads the reseller part of a provider config: its spec and the credentials Secret. */
export const loadResellerConfig: ProviderConfigLoader<ResellerProviderConfig> = async (source) => {
  const spec = await parseSpec(source);
  const secretData =
    spec.credentials === undefined
      ? undefined
      : await source.readSecret(secretRefOf(spec.credentials.secretRef));
  return resolveResellerConfig(source.id, spec, secretData);
};

/**
 * status.projectPrefix of provider configs with reseller credentials, from test-token; a config
 * without spec.credentials (storage only) is left alone.
 */
export function resellerProviderConfigStatus(
  sessions: Pick<ResellerSessions, 'projectPrefix' | 'forget'>,
): ProviderConfigStatusObserver<ResellerProviderConfig> {
  return {
    noun: 'reseller project prefix',
    providerConfig: async (source) =>
      (await parseSpec(source)).credentials === undefined ? undefined : loadResellerConfig(source),
    observeStatus: async (config) => ({ projectPrefix: await sessions.projectPrefix(config) }),
    forget: (id) => sessions.forget(id),
  };
}

/** Loads the storage part of a provider config: admin token, admin private key and CA Secrets. */
export const loadStorageConfig: ProviderConfigLoader<StorageProviderConfig> = async (source) => {
  const spec = await parseSpec(source);
  const storage = spec.storage;
  if (storage === undefined) return resolveStorageConfig(source.id, storage, emptyValues);
  return resolveStorageConfig(source.id, storage, {
    adminToken: await secretKey(source, storage.adminTokenSecretRef),
    adminPrivateKey: await secretKey(source, storage.adminPrivateKeySecretRef),
    ...(storage.caSecretRef === undefined ? {} : { ca: await secretKey(source, storage.caSecretRef) }),
  });
};

/** Loads the compute part of a provider config: spec.compute, its credentials Secret and CA. */
export const loadComputeConfig: ProviderConfigLoader<ComputeProviderConfig> = async (source) => {
  const spec = await parseSpec(source);
  const compute = spec.compute;
  if (compute === undefined) return resolveComputeConfig(source.id, spec, undefined, undefined);
  const secretData = await source.readSecret(secretRefOf(compute.credentialsSecretRef));
  const ca = compute.caSecretRef === undefined ? undefined : await secretKey(source, compute.caSecretRef);
  return resolveComputeConfig(source.id, spec, secretData, ca);
};

/** Loads what notifications need from their provider config: the webhook allow-list as a policy. */
export const loadWebhookConfig: ProviderConfigLoader<WebhookProviderConfig> = async (source) => {
  const spec = await parseSpec(source);
  try {
    return { policy: allowListPolicy(spec.webhook?.allowedTargets ?? [], 'spec.webhook.allowedTargets') };
  } catch (error) {
    if (error instanceof AllowListError)
      throw new ProviderConfigError(`cannot use provider config: ${error.problem}`);
    throw error;
  }
};

const emptyValues = { adminToken: undefined, adminPrivateKey: undefined };

type SecretKeyRef = NonNullable<ProviderConfigSpec['storage']>['adminTokenSecretRef'];

async function secretKey(source: ProviderConfigSource, ref: SecretKeyRef): Promise<Buffer | undefined> {
  return (await source.readSecret(secretRefOf(ref)))?.[ref.key];
}

/** The runtime's SecretRef of a parsed reference; a namespace left out stays out. */
function secretRefOf(ref: { name: string; namespace?: string | undefined }): SecretRef {
  return ref.namespace === undefined ? { name: ref.name } : { name: ref.name, namespace: ref.namespace };
}

/** A registration from the kind's schema in apis/provider, its loader and its connector. */
function managedKind<ForProvider, ProviderConfig>(
  schema: Pick<KindSchema, 'group' | 'version' | 'kind' | 'plural'> & {
    forProvider: ManagedKind<ForProvider, ProviderConfig>['forProvider'];
  },
  providerConfig: ProviderConfigLoader<ProviderConfig>,
  connector: ExternalConnector<ForProvider, ProviderConfig>,
  providerConfigStatus?: ProviderConfigStatusObserver<ProviderConfig>,
): ManagedKind<ForProvider, ProviderConfig> {
  const { group, version, kind, plural, forProvider } = schema;
  return {
    group,
    version,
    kind,
    plural,
    forProvider,
    providerConfig,
    connector,
    // Every create of this provider finds what a lost create made before making anything: a Project
    // adopts the project of its exact name, a User the user of its e-mail address (when it carries
    // their ownership marker), a membership and a
    // storage Project or Credential are identified by their derived names (the APIs answer a second
    // create with a conflict or a no-op), an ApplicationCredential replaces the same-named credential
    // whose secret was lost, and issuing a Token has no side effect. So a create whose outcome a crash
    // lost is repeated without a human, and never duplicates.
    createRepeatable: true,
    // The observer is called with what its own loader returned.
    ...(providerConfigStatus === undefined
      ? {}
      : { providerConfigStatus: providerConfigStatus as ProviderConfigStatusObserver<unknown> }),
  };
}

/** Every managed kind of the provider, keyed by a stable name. */
export function providerKinds(options: ProviderKindsOptions) {
  const reseller = { ...options.outbound, ...options.reseller };
  const sessions = new ResellerSessions(reseller);
  // One observer for every reseller kind: the manager observes each provider config once.
  const resellerStatus = resellerProviderConfigStatus(sessions);
  const clientFor =
    options.storageClientFor ??
    storageClientFor(options.outbound === undefined ? {} : { outbound: options.outbound });
  return {
    resellerProject: managedKind(
      Project,
      loadResellerConfig,
      new ProjectConnector(sessions, options.ownership),
      resellerStatus,
    ),
    resellerUser: managedKind(
      User,
      loadResellerConfig,
      resolvingSecretKey(new UserConnector(sessions, options.ownership), options.readSecret, {
        field: 'spec.forProvider.passwordSecretRef',
        selector: (spec: UserParameters) => spec.passwordSecretRef,
        resolve: ({ passwordSecretRef: _ref, ...spec }, password) => ({ ...spec, password }),
        deleteNeedsValue: false,
      }),
      resellerStatus,
    ),
    resellerProjectMembership: managedKind(
      ProjectMembership,
      loadResellerConfig,
      new ProjectMembershipConnector(sessions),
      resellerStatus,
    ),
    resellerApplicationCredential: managedKind(
      ApplicationCredential,
      loadResellerConfig,
      resolvingSecretKey(new ApplicationCredentialConnector(sessions, reseller), options.readSecret, {
        field: 'spec.forProvider.passwordSecretRef',
        selector: (spec: ApplicationCredentialParameters) => spec.passwordSecretRef,
        resolve: ({ passwordSecretRef: _ref, ...spec }, password) => ({ ...spec, password }),
        // Keystone deletes a credential only for its user, who logs in with the password.
        deleteNeedsValue: true,
      }),
      resellerStatus,
    ),
    storageProject: managedKind(StorageProject, loadStorageConfig, new StorageProjectConnector(clientFor)),
    storageCredential: managedKind(
      StorageCredential,
      loadStorageConfig,
      new StorageCredentialConnector(clientFor),
    ),
    storageToken: managedKind(StorageToken, loadStorageConfig, new StorageTokenConnector(options.now)),
    computeService: managedKind(
      ComputeService,
      loadComputeConfig,
      new ComputeServiceConnector(new ComputeSessions(options.now, options.outbound)),
    ),
    webhookNotification: managedKind(
      WebhookNotification,
      loadWebhookConfig,
      new WebhookNotificationConnector(options.readSecret, {
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.log === undefined ? {} : { log: options.log }),
        ...(options.outbound === undefined ? {} : { outbound: options.outbound }),
      }),
    ),
  };
}

/** The registrations, as the manager takes them. */
export type ProviderKinds = ReturnType<typeof providerKinds>;

/** Anything kinds register with: the Manager. */
export interface KindRegistry {
  register<ForProvider, ProviderConfig>(kind: ManagedKind<ForProvider, ProviderConfig>): unknown;
}

/** Registers every kind with the manager. */
export function registerProviderKinds(registry: KindRegistry, kinds: ProviderKinds): void {
  for (const kind of Object.values(kinds)) registry.register(kind as ManagedKind<unknown, unknown>);
}
