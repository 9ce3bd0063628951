/**
 * The tenant token of a storage project: an RS256 JWT signed with the admin key, with header
 * `kid: <project>:root` and claims sub, iss, iat, exp, jti and roles `["<project>:admin"]`.
 *
 * RS256 signatures are deterministic, so the same inputs give the same token: a Token's external name
 * records only when it was issued, when it expires and a digest of its inputs, and the token can be
 * derived again from them (the connection Secret can be restored without storing the token anywhere).
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AdminKey } from './keys.js';
import { rootCredentialID } from './paths.js';

/** What a token says, besides the times. */
export interface TokenClaims {
  projectName: string;
  subject: string;
  issuer: string;
}

/** One issued token, as recorded in the external name. */
export interface IssuedToken {
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  /** Digest of the claims, the lifetime and the key fingerprint. */
  digest: string;
}

/** The digest that changes when the claims, the lifetime or the key change. */
export function tokenDigest(
  claims: TokenClaims,
  lifetimeSeconds: number,
  key: Pick<AdminKey, 'fingerprint'>,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([claims.projectName, claims.subject, claims.issuer, lifetimeSeconds, key.fingerprint]),
    )
    .digest('hex')
    .slice(0, 16);
}

/** `<iat>.<exp>.<digest>`: the external name of a Token. */
export function formatIssued(issued: IssuedToken): string {
  return `${issued.issuedAt}.${issued.expiresAt}.${issued.digest}`;
}

/** The recorded token, or undefined when the external name is not one. */
export function parseIssued(externalName: string | undefined): IssuedToken | undefined {
  const match = /^(\d+)\.(\d+)\.([0-9a-f]{16})$/.exec(externalName ?? '');
  if (match === null) return undefined;
  return { issuedAt: Number(match[1]), expiresAt: Number(match[2]), digest: match[3]! };
}

/** Why a token must be issued again, or undefined when the recorded one still serves. */
export function reissueReason(
  issued: IssuedToken | undefined,
  wantDigest: string,
  nowSeconds: number,
  renewBeforeSeconds: number,
): 'missing' | 'changed' | 'expiring' | undefined {
  if (issued === undefined) return 'missing';
  if (issued.digest !== wantDigest) return 'changed';
  if (issued.expiresAt - nowSeconds < renewBeforeSeconds) return 'expiring';
  return undefined;
}

/** Signs the token for `issued` (deterministic for the same inputs). */
export async function signToken(claims: TokenClaims, issued: IssuedToken, key: AdminKey): Promise<string> {
  // Unique per issuance, and derivable again from the external name.
  const jti = createHash('sha256').update(`${issued.digest}:${issued.issuedAt}`).digest('hex').slice(0, 32);
  return new SignJWT({ roles: [`${claims.projectName}:admin`] })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: rootCredentialID(claims.projectName) })
    .setSubject(claims.subject)
    .setIssuer(claims.issuer)
    .setIssuedAt(issued.issuedAt)
    .setExpirationTime(issued.expiresAt)
    .setJti(jti)
    .sign(key.privateKey);
}
