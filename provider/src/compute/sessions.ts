/**
 * One Keystone token per provider config, kept across reconciles until shortly before it expires, so
 * every ComputeService of a region shares one login. New credentials make a new session.
 */
import { createHash } from 'node:crypto';
import type { ComputeProviderConfig } from './config.js';
import { catalogEndpoint, issueToken, type Token } from './keystone.js';
import { NovaClient } from './nova.js';
import type { OutboundOptions } from '../transport/http.js';

/** A token is renewed this long before Keystone says it expires. */
const RENEW_BEFORE_MS = 5 * 60_000;

interface Session {
  fingerprint: string;
  token: Promise<Token> | undefined;
}

/** The Keystone sessions of every provider config in use; the clock is injected for tests. */
export class ComputeSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Limits and test seams of every Keystone and Nova call. */
    private readonly outbound: Omit<OutboundOptions, 'ca' | 'policy'> = {},
  ) {}

  /** A Nova client of the provider config's region. */
  async nova(config: ComputeProviderConfig): Promise<NovaClient> {
    const options = this.optionsOf(config);
    const token = await this.token(config);
    const endpoint = config.endpoint ?? catalogEndpoint(token, 'compute', config.interface, config.region);
    const current = async (renew: boolean) => {
      if (renew) this.invalidate(config.id);
      return (await this.token(config)).value;
    };
    return new NovaClient(endpoint.replace(/\/+$/, ''), current, options);
  }

  /** Drops the token of a config, e.g. after Nova refused it, so the next call logs in again. */
  invalidate(id: string): void {
    const session = this.sessions.get(id);
    if (session) session.token = undefined;
  }

  private optionsOf(config: ComputeProviderConfig): OutboundOptions {
    return { ...this.outbound, ...(config.ca === undefined ? {} : { ca: config.ca }) };
  }

  private token(config: ComputeProviderConfig): Promise<Token> {
    // A digest, so the map never holds the secret in a second place.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([config.authURL, config.credentials, config.ca ?? null]))
      .digest('hex');
    let session = this.sessions.get(config.id);
    if (session === undefined || session.fingerprint !== fingerprint) {
      session = { fingerprint, token: undefined };
      this.sessions.set(config.id, session);
    }
    const current = session;
    const fresh = (t: Token) => t.expiresAt - RENEW_BEFORE_MS > this.now();
    const login = (): Promise<Token> => {
      current.token = issueToken(config.authURL, config.credentials, this.optionsOf(config)).catch(
        (error: unknown) => {
          // A failed login must not stick: the next reconcile tries again.
          current.token = undefined;
          throw error;
        },
      );
      return current.token;
    };
    if (current.token === undefined) return login();
    return current.token.then((t) => (fresh(t) ? t : login()));
  }
}
