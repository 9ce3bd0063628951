/**
 * How an OpenStack service behind a real Keystone takes a token: it asks Keystone
 * (GET /v3/auth/tokens, the token as its own subject, which Keystone's policy lets a token's user do)
 * and reads the roles and the expiry from the answer.
 */

/** A token Keystone vouched for: whether it carries the admin role, and when it expires. */
export interface ValidatedToken {
  admin: boolean;
  expiresAt: number;
}

/** What Keystone says of the token; undefined when it does not know it (or it expired, or was revoked). */
export async function validatedToken(
  keystoneURL: string,
  token: string,
): Promise<ValidatedToken | undefined> {
  if (token === '') return undefined;
  const answer = await fetch(`${keystoneURL}/auth/tokens`, {
    headers: { 'x-auth-token': token, 'x-subject-token': token },
  });
  if (!answer.ok) return undefined;
  const validated = (await answer.json()) as {
    token: { expires_at: string; roles?: Array<{ name: string }> };
  };
  return {
    admin: (validated.token.roles ?? []).some((r) => r.name === 'admin'),
    expiresAt: Date.parse(validated.token.expires_at),
  };
}
