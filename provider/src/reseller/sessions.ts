/**
 * One reseller API client per provider config, kept across reconciles so every managed resource of a
 * provider config shares one login and one bearer token. New credentials make a new client.
 */
import { createHash } from 'node:crypto';
import { ResellerClient, type ResellerClientOptions } from './client/client.js';
import type { ResellerProviderConfig } from './config.js';

interface Session {
  fingerprint: string;
  client: ResellerClient;
  prefix: Promise<string> | undefined;
}

/** The clients of every provider config in use. */
export class ResellerSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: ResellerClientOptions = {}) {}

  /** The client for this provider config, logged in at most once until its token expires. */
  client(config: ResellerProviderConfig): ResellerClient {
    return this.session(config).client;
  }

  /**
   * The prefix the API puts before every project name of these credentials (test-token's
   * project_prefix), asked once per session. Provider config status shows it.
   */
  async projectPrefix(config: ResellerProviderConfig): Promise<string> {
    const session = this.session(config);
    session.prefix ??= session.client.testToken().then(
      (user) => user.project_prefix,
      (error: unknown) => {
        // A failed test must not stick: the next reconcile asks again.
        session.prefix = undefined;
        throw error;
      },
    );
    return session.prefix;
  }

  /** Forgets a provider config that was deleted. */
  forget(id: string): void {
    this.sessions.delete(id);
  }

  private session(config: ResellerProviderConfig): Session {
    // A digest, so the map never holds the password in a second place.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([config.endpoint, config.username, config.password]))
      .digest('hex');
    let session = this.sessions.get(config.id);
    if (session === undefined || session.fingerprint !== fingerprint) {
      session = {
        fingerprint,
        client: new ResellerClient(
          { endpoint: config.endpoint, username: config.username, password: config.password },
          this.options,
        ),
        prefix: undefined,
      };
      this.sessions.set(config.id, session);
    }
    return session;
  }
}
