/**
 * The provider's Keystone paths, ApplicationCredential and ComputeService login, against the fakes and
 * against a real Keystone 30.0.0 (scripts/install-keystone.sh) with the same assertions. The reseller
 * API stays a fake: it only answers whether the user still exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeProviderConfig } from '../../provider/src/compute/config.js';
import { catalogEndpoint, issueToken } from '../../provider/src/compute/keystone.js';
import {
  ApplicationCredentialConnector,
  type ApplicationCredentialForProvider,
} from '../../provider/src/reseller/application-credential.js';
import { ResellerAPIError, UnauthorizedError } from '../../provider/src/reseller/client/errors.js';
import { ResellerSessions } from '../../provider/src/reseller/sessions.js';
import type { ExternalClient } from '../../provider/src/runtime/external.js';
import { FakeResellerAPI } from '../../testing/fakes/reseller-api.js';
import { fakeCloud, realCloud, type KeystoneCloud, type Member } from '../../testing/keystone-cloud.js';
import { keystoneOrSkip } from '../../testing/keystone.js';
import { managed, rejection, withExternalName } from '../support/provider/managed.js';
import { resellerConfig } from '../support/provider/reseller.js';

const install = keystoneOrSkip('provider Keystone paths against the real Keystone');

const GONE = { resourceExists: false, resourceUpToDate: false };

describe.each([
  { keystone: 'the fakes', start: fakeCloud, enabled: true },
  { keystone: 'the real Keystone 30.0.0', start: () => realCloud(install!), enabled: install !== undefined },
])('provider Keystone paths against $keystone', ({ start, enabled }) => {
  let cloud: KeystoneCloud;
  let reseller: FakeResellerAPI;
  let external: ExternalClient<ApplicationCredentialForProvider>;
  beforeAll(async () => {
    if (!enabled) return;
    cloud = await start();
    reseller = await new FakeResellerAPI().start();
    external = await new ApplicationCredentialConnector(new ResellerSessions()).connect(
      resellerConfig(reseller, { keystone: { authURL: cloud.identityURL, userDomainName: 'Default' } }),
    );
  }, 300_000);
  afterAll(async () => {
    await cloud?.stop();
    await reseller?.stop();
  });

  /** A member of the cloud the reseller API knows too, and its credential's spec. */
  async function user(change: Partial<ApplicationCredentialForProvider> = {}) {
    const member = await cloud.member();
    reseller.seedUser({ id: member.userID, name: member.name, password: member.password });
    const spec: ApplicationCredentialForProvider = {
      userID: member.userID,
      projectID: member.projectID,
      name: 'ci',
      unrestricted: false,
      password: member.password,
      ...change,
    };
    return { member, spec };
  }
  const deleting = (spec: ApplicationCredentialForProvider, id: string) =>
    managed(spec, withExternalName(id), (mr) => {
      mr.deleting = true;
    });
  const removeUser = async (member: Member) => {
    await cloud.deleteUser(member);
    reseller.users.delete(member.userID);
  };

  it.runIf(enabled)(
    'creates a credential and observes it Ready, its expiresAt as RFC 3339',
    async () => {
      const { spec } = await user({ expiresAt: '2099-06-01T12:00:00Z' });
      const created = await external.create(managed(spec));
      const observed = await external.observe(managed(spec, withExternalName(created.externalName!)));
      expect(observed).toEqual({
        resourceExists: true,
        resourceUpToDate: true,
        available: true,
        atProvider: { id: created.externalName, expiresAt: '2099-06-01T12:00:00Z' },
      });
    },
    60_000,
  );

  it.runIf(enabled)(
    'refuses a past expiresAt before asking Keystone, saying what to do',
    async () => {
      const { spec } = await user({ expiresAt: '2020-01-01T00:00:00Z' });
      const error = await rejection(external.create(managed(spec)));
      expect(error).toBeInstanceOf(ResellerAPIError);
      expect(error.message).toBe(
        'cannot create application credential "ci": spec.forProvider.expiresAt 2020-01-01T00:00:00Z is not in ' +
          'the future; Keystone refuses it. The field is immutable: delete this ApplicationCredential and ' +
          'create it with a later expiresAt, or none',
      );
    },
    60_000,
  );

  it.runIf(enabled)(
    'a user without its role: the credential is not Ready and still finishes deleting',
    async () => {
      const { member, spec } = await user();
      const created = await external.create(managed(spec));
      const id = created.externalName!;
      await cloud.revokeRole(member);
      expect(await external.observe(managed(spec, withExternalName(id)))).toEqual({
        resourceExists: true,
        resourceUpToDate: true,
        available: false,
        unavailableBecause:
          `user "${member.userID}" has no role on project "${member.projectID}" any more: Keystone ` +
          'refuses the credential; grant the user a role on the project again',
        atProvider: { id },
      });
      await external.delete(deleting(spec, id));
      expect(await external.observe(deleting(spec, id))).toEqual(GONE);
    },
    60_000,
  );

  it.runIf(enabled)(
    'a disabled user: deleting says why it cannot, and finishes once the user is deleted',
    async () => {
      const { member, spec } = await user();
      const id = (await external.create(managed(spec))).externalName!;
      await cloud.disableUser(member);
      const error = await rejection(external.delete(deleting(spec, id)));
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect(error.message).toBe(
        `cannot delete application credential "${id}" of user "${member.userID}": Keystone refuses the ` +
          "user's login (401): the user is disabled, or its password is not the one in " +
          'spec.forProvider.passwordSecretRef. Enable the user or fix the Secret, or delete the user ' +
          '(Keystone deletes its application credentials with it); then this resource finishes deleting',
      );
      await removeUser(member);
      await external.delete(deleting(spec, id));
      expect(await external.observe(deleting(spec, id))).toEqual(GONE);
    },
    60_000,
  );

  it.runIf(enabled)(
    'a deleted user: its credential is gone, and deleting it finishes without a login',
    async () => {
      const { member, spec } = await user();
      const id = (await external.create(managed(spec))).externalName!;
      await removeUser(member);
      // Without the password Secret too: nothing needs a login any more.
      const withoutPassword = { ...spec, password: '' };
      expect(await external.observe(deleting(withoutPassword, id))).toEqual(GONE);
      await external.delete(deleting(withoutPassword, id));
    },
    60_000,
  );

  function computeConfig(credentials: ComputeProviderConfig['credentials']): ComputeProviderConfig {
    return {
      id: 'ClusterProviderConfig/default',
      authURL: cloud.computeIdentityURL,
      credentials,
      interface: 'public',
      region: cloud.region,
    };
  }

  it.runIf(enabled)(
    'compute: an application credential logs in and the catalog names Nova of the region',
    async () => {
      const credential = await cloud.computeCredential();
      const config = computeConfig({ kind: 'applicationCredential', ...credential });
      const token = await issueToken(config.authURL, config.credentials);
      expect(catalogEndpoint(token, 'compute', 'public', cloud.region)).toBe(cloud.computeURL);
      expect(token.expiresAt).toBeGreaterThan(Date.now());
    },
    60_000,
  );

  it.runIf(enabled).each([
    { reason: 'an unknown credential (404)', id: '0123456789abcdef0123456789abcdef', status: 404 },
    { reason: 'a wrong secret (401)', id: undefined, status: 401 },
  ])(
    'compute: $reason is the same unusable-credentials error',
    async ({ id, status }) => {
      const credential = await cloud.computeCredential();
      const config = computeConfig({
        kind: 'applicationCredential',
        id: id ?? credential.id,
        secret: 'wrong-secret-value',
      });
      const error = await rejection(issueToken(config.authURL, config.credentials));
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as UnauthorizedError).status).toBe(status);
      expect(error.message).toMatch(
        /; the credentials are unusable: fix the Secret of spec\.compute\.credentialsSecretRef$/,
      );
    },
    60_000,
  );

  it.runIf(enabled).each([
    { domain: 'Default', ok: true },
    { domain: 'default', ok: false },
  ])(
    'compute: a password user in domain $domain is sent as configured',
    async ({ domain, ok }) => {
      const user = await cloud.computeUser();
      const config = computeConfig({
        kind: 'password',
        ...user,
        userDomainName: domain,
        projectDomainName: domain,
      });
      const login = issueToken(config.authURL, config.credentials);
      if (ok) expect((await login).value).toMatch(/\S+/);
      else expect(await rejection(login)).toBeInstanceOf(UnauthorizedError);
    },
    60_000,
  );
});
