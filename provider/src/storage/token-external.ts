/**
 * The storage Token managed kind: the project's tenant JWT, published as connection key `jwt`. Nothing
 * is stored on the storage cluster (LightOS verifies tokens with the root credential), so "the token
 * exists" means "the recorded token still serves": same claims and key, and more than renewBefore
 * left. Otherwise observe reports it missing and the reconciler creates (issues) a new one.
 */
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import type { StorageProviderConfig } from './config.js';
import { parseAdminKey, type AdminKey } from './keys.js';
import {
  formatIssued,
  parseIssued,
  reissueReason,
  signToken,
  tokenDigest,
  type IssuedToken,
  type TokenClaims,
} from './token.js';

/** spec.forProvider of a storage Token, defaults applied. */
export interface StorageTokenForProvider {
  projectName: string;
  subject: string;
  issuer: string;
  /** Token lifetime in hours; 192 (8 days) by default. */
  lifetimeHours: number;
  /** Re-issue when fewer hours than this remain; 24 by default. */
  renewBeforeHours: number;
}

/** The connection key of the token, as the Lightbits CSI driver reads it. */
export const JWT_KEY = 'jwt';

/** Connects storage Tokens to the admin key of their provider config; the clock is injected. */
export class StorageTokenConnector implements ExternalConnector<
  StorageTokenForProvider,
  StorageProviderConfig
> {
  constructor(private readonly now: () => number = Date.now) {}

  async connect(config: StorageProviderConfig): Promise<ExternalClient<StorageTokenForProvider>> {
    return new StorageTokenExternal(parseAdminKey(config.adminPrivateKey), this.now);
  }
}

/** Observe and issue of one token. */
export class StorageTokenExternal implements ExternalClient<StorageTokenForProvider> {
  constructor(
    private readonly key: AdminKey,
    private readonly now: () => number,
  ) {}

  async observe(mr: ManagedView<StorageTokenForProvider>): Promise<ExternalObservation> {
    // The token exists only in the resource's record; once that is being deleted, so is the token.
    if (mr.deleting) return { resourceExists: false, resourceUpToDate: false };
    const issued = parseIssued(mr.externalName);
    const desired = mr.forProvider;
    const reason = reissueReason(
      issued,
      tokenDigest(claimsOf(desired), desired.lifetimeHours * 3600, this.key),
      Math.floor(this.now() / 1000),
      desired.renewBeforeHours * 3600,
    );
    if (reason !== undefined || issued === undefined)
      return { resourceExists: false, resourceUpToDate: false };
    return {
      resourceExists: true,
      resourceUpToDate: true,
      available: true,
      atProvider: { expiresAt: new Date(issued.expiresAt * 1000).toISOString() },
      // Derived again from the record: restores a deleted connection Secret with the same token.
      connectionDetails: { [JWT_KEY]: Buffer.from(await signToken(claimsOf(desired), issued, this.key)) },
    };
  }

  async create(mr: ManagedView<StorageTokenForProvider>): Promise<ExternalCreation> {
    const desired = mr.forProvider;
    const issuedAt = Math.floor(this.now() / 1000);
    const lifetime = desired.lifetimeHours * 3600;
    const issued: IssuedToken = {
      issuedAt,
      expiresAt: issuedAt + lifetime,
      digest: tokenDigest(claimsOf(desired), lifetime, this.key),
    };
    return {
      externalName: formatIssued(issued),
      connectionDetails: { [JWT_KEY]: Buffer.from(await signToken(claimsOf(desired), issued, this.key)) },
    };
  }

  async update(): Promise<ExternalUpdate> {
    // Observe never reports an outdated token as existing: a changed token is a new one (create).
    return {};
  }

  async delete(): Promise<void> {
    // Nothing lives on the cluster; deleting the root credential is what revokes tokens.
  }
}

function claimsOf(desired: StorageTokenForProvider): TokenClaims {
  return { projectName: desired.projectName, subject: desired.subject, issuer: desired.issuer };
}
