import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ComputeServiceConnector,
  ServiceNotRegisteredError,
} from '../../../provider/src/compute/compute-service.js';
import type { ComputeProviderConfig } from '../../../provider/src/compute/config.js';
import {
  ExternalAPIError,
  RetryableError,
  UnauthorizedError,
} from '../../../provider/src/transport/errors.js';
import { ComputeSessions } from '../../../provider/src/compute/sessions.js';
import type { ComputeServiceParameters } from '../../../provider/src/compute/types.js';
import type { ExternalClient } from '../../../provider/src/runtime/external.js';
import { DEFAULT_APPLICATION_CREDENTIAL, FakeNova } from '../../support/fakes/nova.js';
import { selfSignedLoopback } from '../../support/fakes/tls.js';
import { managed, rejection, withForProvider } from '../../support/provider/managed.js';

const tls = selfSignedLoopback();
let nova: FakeNova;
let sessions: ComputeSessions;
let external: ExternalClient<ComputeServiceParameters>;

const enabled: ComputeServiceParameters = { host: 'compute-0', binary: 'nova-compute', status: 'enabled' };
const disabled: ComputeServiceParameters = {
  ...enabled,
  status: 'disabled',
  disabledReason: 'firmware upgrade',
};

function config(change: Partial<ComputeProviderConfig> = {}): ComputeProviderConfig {
  return {
    id: 'ClusterProviderConfig/default',
    authURL: nova.authURL,
    credentials: {
      kind: 'applicationCredential',
      id: DEFAULT_APPLICATION_CREDENTIAL.id,
      secret: DEFAULT_APPLICATION_CREDENTIAL.secret,
    },
    interface: 'public',
    region: 'RegionOne',
    ca: tls.cert,
    ...change,
  };
}

beforeEach(async () => {
  nova = await new FakeNova({
    tls,
    credentials: [
      DEFAULT_APPLICATION_CREDENTIAL,
      {
        kind: 'password',
        username: 'reader',
        password: 'reader-password',
        projectName: 'service',
        admin: false,
      },
    ],
  }).start();
  sessions = new ComputeSessions();
  external = await new ComputeServiceConnector(sessions).connect(config());
});
afterEach(async () => {
  await nova.stop();
});

describe('ComputeService observe', () => {
  it('reports a service that has not registered as missing', async () => {
    expect(await external.observe(managed(enabled))).toEqual({
      resourceExists: false,
      resourceUpToDate: false,
    });
  });

  it.each<{
    reason: string;
    want: ComputeServiceParameters;
    status: 'enabled' | 'disabled';
    nova: string | null;
    upToDate: boolean;
  }>([
    { reason: 'enabled as wanted', want: enabled, status: 'enabled', nova: null, upToDate: true },
    { reason: 'enabled but wanted disabled', want: disabled, status: 'enabled', nova: null, upToDate: false },
    {
      reason: 'disabled with the wanted reason',
      want: disabled,
      status: 'disabled',
      nova: 'firmware upgrade',
      upToDate: true,
    },
    {
      reason: 'disabled with another reason',
      want: disabled,
      status: 'disabled',
      nova: 'other',
      upToDate: false,
    },
    {
      reason: 'disabled, no reason wanted: any reason is kept',
      want: { ...enabled, status: 'disabled' },
      status: 'disabled',
      nova: 'other',
      upToDate: true,
    },
    { reason: 'disabled but wanted enabled', want: enabled, status: 'disabled', nova: 'x', upToDate: false },
  ])('$reason', async ({ want, status, nova: reason, upToDate }) => {
    const service = nova.register('compute-0', { zone: 'az-1' });
    service.status = status;
    service.disabled_reason = reason;
    expect(await external.observe(managed(want))).toEqual({
      resourceExists: true,
      resourceUpToDate: upToDate,
      available: true,
      atProvider: {
        id: service.uuid,
        host: 'compute-0',
        binary: 'nova-compute',
        status,
        zone: 'az-1',
        state: 'up',
        ...(reason === null ? {} : { disabledReason: reason }),
        updatedAt: service.updated_at,
      },
    });
  });

  it('is not available while the agent is down', async () => {
    nova.register('compute-0', { state: 'down' });
    expect(await external.observe(managed(enabled))).toMatchObject({
      resourceExists: true,
      available: false,
    });
  });

  it('reports a deleting resource gone without asking Nova, so Nova keeps its record', async () => {
    nova.register('compute-0');
    const before = nova.requests.length;
    expect(await external.observe({ ...managed(enabled), deleting: true })).toEqual({
      resourceExists: false,
      resourceUpToDate: false,
    });
    await external.delete(managed(enabled));
    expect(nova.requests.length).toBe(before);
    expect(nova.services()).toHaveLength(1);
  });

  it('refuses to guess between two services of one host', async () => {
    const a = nova.register('compute-0');
    const b = nova.register('compute-0');
    const error = await rejection(external.observe(managed(enabled)));
    expect(error).toBeInstanceOf(ExternalAPIError);
    expect(error.message).toBe(
      `cannot observe compute service: Nova has 2 nova-compute services on host "compute-0" (ids ${a.uuid}, ${b.uuid}); delete the stale ones`,
    );
  });
});

describe('ComputeService update', () => {
  it('disables the service with the reason, then enables it again and Nova clears the reason', async () => {
    nova.register('compute-0');
    await external.update(managed(disabled));
    expect(nova.service('compute-0')).toMatchObject({
      status: 'disabled',
      disabled_reason: 'firmware upgrade',
    });
    expect(await external.observe(managed(disabled))).toMatchObject({ resourceUpToDate: true });

    await external.update(
      managed(
        disabled,
        withForProvider<ComputeServiceParameters>({ status: 'enabled', disabledReason: undefined }),
      ),
    );
    expect(nova.service('compute-0')).toMatchObject({ status: 'enabled', disabled_reason: null });
  });

  it('touches only the service of its host and binary', async () => {
    nova.register('compute-0');
    nova.register('compute-1');
    nova.register('compute-0', { binary: 'nova-conductor' });
    await external.update(managed(disabled));
    expect(
      nova
        .services()
        .filter((s) => s.status === 'disabled')
        .map((s) => `${s.host}/${s.binary}`),
    ).toEqual(['compute-0/nova-compute']);
  });

  it('never creates: Nova registers services when their agent starts', async () => {
    const error = await rejection(external.create(managed(enabled)));
    expect(error).toBeInstanceOf(ServiceNotRegisteredError);
    expect(error.message).toBe(
      'cannot create compute service: Nova has no nova-compute service on host "compute-0"; it registers when ' +
        'nova-compute first starts with host = compute-0, so start the agent (or leave Create out of managementPolicies)',
    );
    expect(nova.services()).toEqual([]);
  });

  it('fails retryably when Nova answers 500, and the next attempt works', async () => {
    nova.register('compute-0');
    nova.faults.script({ kind: 'pass' }, { kind: 'status', status: 500 });
    expect(await rejection(external.update(managed(disabled)))).toBeInstanceOf(RetryableError);
    await external.update(managed(disabled));
    expect(nova.service('compute-0')?.status).toBe('disabled');
  });
});

describe('ComputeService authentication', () => {
  it('logs in once for many calls, and again after Keystone revoked the token', async () => {
    nova.register('compute-0');
    await external.observe(managed(enabled));
    await external.update(managed(disabled));
    const again = await new ComputeServiceConnector(sessions).connect(config());
    await again.observe(managed(disabled));
    expect(nova.logins).toBe(1);
    nova.revokeTokens();
    await again.observe(managed(disabled));
    expect(nova.logins).toBe(2);
  });

  it('logs in as a password user scoped to the project, and reports a missing admin role', async () => {
    nova.register('compute-0');
    const reader = await new ComputeServiceConnector(sessions).connect(
      config({
        id: 'ProviderConfig/ops/reader',
        credentials: {
          kind: 'password',
          username: 'reader',
          password: 'reader-password',
          projectName: 'service',
          userDomainName: 'Default',
          projectDomainName: 'Default',
        },
      }),
    );
    const error = await rejection(reader.observe(managed(enabled)));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe(
      `cannot list Nova services of host "compute-0": Nova answered 403: Policy doesn't allow os_compute_api:os-services:list to be performed.`,
    );
  });

  it('refuses wrong credentials without putting the secret into the error', async () => {
    const error = await rejection(
      new ComputeServiceConnector(new ComputeSessions()).connect(
        config({ credentials: { kind: 'applicationCredential', id: 'ac-1', secret: 'wrong-secret-value' } }),
      ),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe(
      'cannot authenticate to Keystone as application credential "ac-1": Keystone answered 401: The request you have made requires authentication.',
    );
    expect(JSON.stringify(error) + error.message).not.toContain('wrong-secret-value');
  });

  it('verifies Keystone with the configured CA only', async () => {
    const error = await rejection(
      new ComputeServiceConnector(new ComputeSessions()).connect(config({ ca: selfSignedLoopback().cert })),
    );
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toMatch(
      /^cannot authenticate to Keystone as application credential "a1b2c3d4e5f60718293a4b5c6d7e8f90": connection failed \(/,
    );
  });

  it('names the region when the catalog has no Nova there', async () => {
    const error = await rejection(
      new ComputeServiceConnector(new ComputeSessions()).connect(config({ region: 'region-9' })),
    );
    expect(error.message).toBe(
      'cannot find the compute endpoint: the Keystone catalog has no public compute endpoint in region "region-9"; set spec.compute.endpoint or fix the region',
    );
  });
});
