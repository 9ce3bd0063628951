import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { StorageKeyError } from '../../../provider/src/storage/errors.js';
import { errParseKey, parseAdminKey } from '../../../provider/src/storage/keys.js';
import {
  StorageTokenConnector,
  type StorageTokenForProvider,
} from '../../../provider/src/storage/token-external.js';
import { reissueReason } from '../../../provider/src/storage/token.js';
import type { StorageProviderConfig } from '../../../provider/src/storage/config.js';
import { managed, rejection, withExternalName, withForProvider } from '../../support/provider/managed.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const PROJECT = '6f1c2a9e4b7d4e8f9a0b1c2d3e4f5a6b';

function rsaKey(): { privatePEM: string; publicPEM: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePEM: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPEM: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
const keyA = rsaKey();
const keyB = rsaKey();

function config(privatePEM: string): StorageProviderConfig {
  return {
    id: 'ClusterProviderConfig/default',
    endpoints: ['127.0.0.1:1'],
    adminToken: 'admin',
    adminPrivateKey: privatePEM,
  };
}
const base: StorageTokenForProvider = {
  projectName: PROJECT,
  subject: 'tenant-a',
  issuer: 'provider-stackplane',
  lifetimeHours: 192,
  renewBeforeHours: 24,
};

async function external(now: number, privatePEM = keyA.privatePEM) {
  return new StorageTokenConnector(() => now).connect(config(privatePEM));
}

describe('storage Token', () => {
  it('issues an RS256 JWT with kid <project>:root, the claims and an 8 day lifetime', async () => {
    const created = await (await external(T0)).create(managed(base));
    const jwt = created.connectionDetails!.jwt!.toString();
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT', kid: `${PROJECT}:root` });
    const { payload } = await jwtVerify(jwt, await importSPKI(keyA.publicPEM, 'RS256'), {
      currentDate: new Date(T0),
    });
    expect(payload).toEqual({
      sub: 'tenant-a',
      iss: 'provider-stackplane',
      iat: T0 / 1000,
      exp: T0 / 1000 + 8 * 24 * 3600,
      jti: expect.stringMatching(/^[0-9a-f]{32}$/),
      roles: [`${PROJECT}:admin`],
    });
    expect(created.externalName).toMatch(
      new RegExp(`^${T0 / 1000}\\.${T0 / 1000 + 8 * 24 * 3600}\\.[0-9a-f]{16}$`),
    );
  });

  it.each<{
    reason: string;
    later: number;
    change: Partial<StorageTokenForProvider>;
    otherKey: boolean;
    exists: boolean;
  }>([
    { reason: 'a fresh token serves', later: HOUR, change: {}, otherKey: false, exists: true },
    {
      reason: 'with exactly 24 hours left it still serves',
      later: 168 * HOUR,
      change: {},
      otherKey: false,
      exists: true,
    },
    {
      reason: 'with less than 24 hours left it is re-issued',
      later: 168 * HOUR + 1000,
      change: {},
      otherKey: false,
      exists: false,
    },
    {
      reason: 'an expired token is re-issued',
      later: 200 * HOUR,
      change: {},
      otherKey: false,
      exists: false,
    },
    { reason: 'a new admin key re-issues it', later: HOUR, change: {}, otherKey: true, exists: false },
    {
      reason: 'another subject re-issues it',
      later: HOUR,
      change: { subject: 'tenant-b' },
      otherKey: false,
      exists: false,
    },
    {
      reason: 'another lifetime re-issues it',
      later: HOUR,
      change: { lifetimeHours: 48 },
      otherKey: false,
      exists: false,
    },
    {
      reason: 'a longer renew window can make it due',
      later: HOUR,
      change: { renewBeforeHours: 192 },
      otherKey: false,
      exists: false,
    },
  ])('$reason', async ({ later, change, otherKey, exists }) => {
    const created = await (await external(T0)).create(managed(base));
    const client = await external(T0 + later, otherKey ? keyB.privatePEM : keyA.privatePEM);
    const observation = await client.observe(
      managed(base, withExternalName(created.externalName!), withForProvider(change)),
    );
    expect(observation.resourceExists).toBe(exists);
    if (exists) {
      expect(observation.atProvider).toEqual({ expiresAt: new Date(T0 + 192 * HOUR).toISOString() });
      // The same token, derived again from the external name.
      expect(observation.connectionDetails?.jwt?.toString()).toBe(created.connectionDetails!.jwt!.toString());
    }
  });

  it('observes a token whose resource is being deleted as gone, so the finalizer can go', async () => {
    const created = await (await external(T0)).create(managed(base));
    const client = await external(T0 + HOUR);
    const view = managed(base, withExternalName(created.externalName!), (mr) => {
      mr.deleting = true;
    });
    expect(await client.observe(view)).toEqual({ resourceExists: false, resourceUpToDate: false });
  });

  it('observes a token that was never issued, or a foreign external name, as missing', async () => {
    const client = await external(T0);
    expect(await client.observe(managed(base))).toEqual({ resourceExists: false, resourceUpToDate: false });
    expect(await client.observe(managed(base, withExternalName('my-token')))).toEqual({
      resourceExists: false,
      resourceUpToDate: false,
    });
  });

  it.each<{
    issued: Parameters<typeof reissueReason>[0];
    now: number;
    want: ReturnType<typeof reissueReason>;
  }>([
    { issued: undefined, now: 0, want: 'missing' },
    { issued: { issuedAt: 0, expiresAt: 1000, digest: 'b'.repeat(16) }, now: 0, want: 'changed' },
    { issued: { issuedAt: 0, expiresAt: 1000, digest: 'a'.repeat(16) }, now: 901, want: 'expiring' },
    { issued: { issuedAt: 0, expiresAt: 1000, digest: 'a'.repeat(16) }, now: 900, want: undefined },
  ])('reissueReason at $now is $want', ({ issued, now, want }) => {
    expect(reissueReason(issued, 'a'.repeat(16), now, 100)).toBe(want);
  });

  it('refuses a key that is not an RSA private key without quoting it', async () => {
    const error = await rejection(
      new StorageTokenConnector(() => T0).connect(
        config('-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----'),
      ),
    );
    expect(error).toBeInstanceOf(StorageKeyError);
    expect(error.message).toBe(errParseKey);
    expect(() => parseAdminKey(keyA.publicPEM)).toThrow(errParseKey);
  });
});
