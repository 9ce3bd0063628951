/**
 * The bearer token of one set of reseller API credentials: logged in once, re-used by every call until
 * it expires or the API refuses it, and never logged or put into an error.
 */
import { z } from 'zod';
import { ExternalAPIError, UnauthorizedError } from '../../transport/errors.js';
import type { ResellerTransport } from './transport.js';

/** The username and password the provider logs in with. */
export interface ResellerCredentials {
  username: string;
  password: string;
}

/** The login path of the OAuth2 password flow (securitySchemes.OAuth2PasswordBearer.tokenUrl). */
const LOGIN_PATH = '/api/v1/auth/login/access-token';

/** Log in again this long before a token's `exp`, so a call never starts with a token about to expire. */
const EXPIRY_MARGIN_MS = 30_000;

const tokenSchema = z.object({ access_token: z.string().min(1), token_type: z.string() });
const jwtExpiry = z.object({ exp: z.number() });

interface CachedToken {
  value: string;
  /** Epoch milliseconds; undefined when the token does not say (then it lives until a 401). */
  expiresAt: number | undefined;
}

/** Hands out one token for a set of credentials; concurrent callers share one login. */
export class TokenSource {
  private current: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  /** How many times this source logged in; for tests and metrics. */
  logins = 0;

  constructor(
    private readonly transport: ResellerTransport,
    private readonly credentials: ResellerCredentials,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token that has not expired, logging in when there is none. */
  async token(): Promise<string> {
    const current = this.current;
    if (
      current !== undefined &&
      (current.expiresAt === undefined || current.expiresAt - EXPIRY_MARGIN_MS > this.now())
    ) {
      return current.value;
    }
    this.pending ??= this.login().finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).value;
  }

  /** Forgets `token` after the API refused it, unless a newer token already replaced it. */
  invalidate(token: string): void {
    if (this.current?.value === token) this.current = undefined;
  }

  private async login(): Promise<CachedToken> {
    const operation = `cannot log in to the reseller API as "${this.credentials.username}"`;
    let answer;
    try {
      answer = await this.transport.send({
        method: 'POST',
        path: LOGIN_PATH,
        form: {
          grant_type: 'password',
          username: this.credentials.username,
          password: this.credentials.password,
        },
        operation,
        secrets: [this.credentials.password],
      });
    } catch (error) {
      // The API answers wrong credentials with 400 (OAuth2 invalid_grant); both mean "credentials refused".
      if (error instanceof ExternalAPIError && error.status === 400) {
        throw new UnauthorizedError(error.message, 400, { cause: error });
      }
      throw error;
    }
    const parsed = tokenSchema.safeParse(answer.body);
    if (!parsed.success) {
      throw new ExternalAPIError(`${operation}: the answer holds no access_token`, answer.status);
    }
    this.logins++;
    this.current = { value: parsed.data.access_token, expiresAt: expiryOf(parsed.data.access_token) };
    return this.current;
  }
}

/** The `exp` of a JWT access token in epoch milliseconds; undefined for opaque tokens. */
function expiryOf(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = jwtExpiry.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return claims.success ? claims.data.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
