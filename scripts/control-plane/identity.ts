/**
 * The reseller API fake and the region's Keystone behind it: a real Keystone (testing/keystone.ts)
 * when one is installed, in which the reseller fake makes the projects, users and `member` role
 * assignments it is asked for; the FakeKeystone reading the reseller fake's users otherwise.
 */
import { KeystoneAdmin, type KeystoneHoldings } from '../../testing/keystone-admin.js';
import { startKeystone, type KeystoneInstall } from '../../testing/keystone.js';
import { FakeKeystone } from '../../testing/fakes/keystone.js';
import { FakeResellerAPI } from '../../testing/fakes/reseller-api.js';
import { keystoneIdentity } from '../../testing/fakes/reseller-identity.js';

/** The region's Keystone, as the tests see it. */
export interface Identity {
  /** Its v3 URL, the region's `spec.keystone.authURL`. */
  url: string;
  /** The real Keystone's admin; undefined where the FakeKeystone stands in. */
  admin: KeystoneAdmin | undefined;
  /** What it holds beyond its bootstrap: projects, users, application credentials. */
  holdings(): Promise<KeystoneHoldings>;
  stop(): Promise<void>;
}

/** The reseller fake and its Keystone: the real one when `install` is given, logging to `logFile`. */
export async function startResellerIdentity(
  install: KeystoneInstall | undefined,
  logFile?: string,
): Promise<{ reseller: FakeResellerAPI; identity: Identity }> {
  if (install !== undefined) {
    const keystone = await startKeystone(install, logFile);
    try {
      const admin = new KeystoneAdmin(keystone);
      const reseller = await new FakeResellerAPI({ identity: keystoneIdentity(admin) }).start();
      return {
        reseller,
        identity: { url: keystone.url, admin, holdings: () => admin.holdings(), stop: () => keystone.stop() },
      };
    } catch (error) {
      await keystone.stop();
      throw error;
    }
  }
  const reseller = await new FakeResellerAPI().start();
  const keystone = await new FakeKeystone(
    (id, password) => reseller.authenticate(id, password),
    (id) => reseller.users.has(id),
  ).start();
  return {
    reseller,
    identity: {
      url: keystone.url,
      admin: undefined,
      holdings: async () => ({
        projects: [...reseller.projects.values()].map((p) => p.name),
        users: [...reseller.users.values()].map((u) => u.name),
        applicationCredentials: [...keystone.credentials.values()].map(
          (c) => `${reseller.users.get(c.user_id)?.name ?? c.user_id}/${c.name}`,
        ),
      }),
      stop: () => keystone.stop(),
    },
  };
}
