import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ResellerClient,
  type ResellerClientOptions,
} from '../../../../provider/src/reseller/client/client.js';
import type { ResellerAPIError } from '../../../../provider/src/reseller/client/errors.js';
import {
  NotAllowedError,
  NotFoundError,
  RetryableError,
  UnauthorizedError,
  ValidationError,
  isRetryable,
} from '../../../../provider/src/reseller/client/errors.js';
import { DEFAULT_ACCOUNT, FakeResellerAPI } from '../../../support/fakes/reseller-api.js';
import type { Fault } from '../../../support/fakes/faults.js';

const MISSING = '0123456789abcdef0123456789abcdef';

let fake: FakeResellerAPI;
let clock: number;

beforeEach(async () => {
  clock = Date.UTC(2026, 0, 1);
  fake = await new FakeResellerAPI({ now: () => clock, tokenLifetimeMs: 3_600_000 }).start();
});
afterEach(async () => {
  await fake.stop();
});

function client(options: ResellerClientOptions = {}, password = DEFAULT_ACCOUNT.password): ResellerClient {
  return new ResellerClient(
    { endpoint: fake.url, username: DEFAULT_ACCOUNT.username, password },
    { now: () => clock, ...options },
  );
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('ResellerClient login and token', () => {
  it('logs in with the password form once and re-uses the token for every call', async () => {
    const reseller = client();
    expect(await reseller.testToken()).toEqual({
      domain_id: DEFAULT_ACCOUNT.domainID,
      project_prefix: DEFAULT_ACCOUNT.projectPrefix,
      username: DEFAULT_ACCOUNT.username,
    });
    await reseller.listProjects();
    await reseller.listUsers();
    expect(fake.logins).toBe(1);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /api/v1/auth/login/access-token 200',
      'POST /api/v1/auth/login/test-token 200',
      'GET /api/v1/project/ 200',
      'GET /api/v1/user/ 200',
    ]);
  });

  it('shares one login between concurrent calls', async () => {
    const reseller = client();
    await Promise.all([reseller.listProjects(), reseller.listUsers(), reseller.testToken()]);
    expect(fake.logins).toBe(1);
  });

  it('logs in again once and repeats the call when the API answers 401', async () => {
    const reseller = client();
    await reseller.listProjects();
    fake.revokeTokens();
    clock += 1000;
    expect(await reseller.listProjects()).toEqual([]);
    expect(fake.logins).toBe(2);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`).slice(2)).toEqual([
      'GET /api/v1/project/ 401',
      'POST /api/v1/auth/login/access-token 200',
      'GET /api/v1/project/ 200',
    ]);
  });

  it('gives up with UnauthorizedError when the fresh token is refused too', async () => {
    const reseller = client();
    fake.faults.script({ kind: 'status', status: 401 }, { kind: 'status', status: 401 });
    const error = await failure(reseller.listProjects());
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe(
      'cannot list projects: reseller API answered 401: Could not validate credentials',
    );
    expect(fake.logins).toBe(2);
  });

  it('logs in again before the token expires, without a 401 first', async () => {
    const reseller = client();
    await reseller.listProjects();
    clock += 3_600_000 - 10_000; // within the 30 s margin before exp
    await reseller.listProjects();
    expect(fake.logins).toBe(2);
    expect(fake.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it('refuses wrong credentials with UnauthorizedError that names the user but not the password', async () => {
    const error = await failure(client({}, 'wrong-password-value').listProjects());
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe(
      'cannot log in to the reseller API as "reseller@example.com": reseller API answered 400: Incorrect email or password',
    );
    expect(JSON.stringify(error) + String(error.stack) + String(error.cause)).not.toContain(
      'wrong-password-value',
    );
  });
});

describe('ResellerClient calls', () => {
  it('unwraps the envelope of create, get, update and list', async () => {
    const reseller = client();
    const created = await reseller.createProject({ name: 'team-a', description: 'Team A' });
    expect(created).toEqual({
      id: expect.stringMatching(/^[a-f0-9]{32}$/),
      name: 'c0042-team-a',
      description: 'Team A',
      enabled: true,
    });
    expect(await reseller.getProject(created.id)).toEqual(created);
    expect(await reseller.updateProject(created.id, { enabled: false })).toEqual({
      ...created,
      enabled: false,
    });
    expect(await reseller.listProjects()).toEqual([{ ...created, enabled: false }]);
  });

  it('manages users, memberships and quotas', async () => {
    const reseller = client();
    const project = await reseller.createProject({ name: 'team-b', description: 'Team B' });
    const user = await reseller.createUser({
      name: 'dev@example.com',
      description: 'Developer',
      password: 'user-password-1',
      default_project: project.id,
    });
    expect(user).toEqual({
      id: expect.stringMatching(/^[a-f0-9]{32}$/),
      name: 'dev@example.com',
      description: 'Developer',
      enabled: true,
      default_project: project.id,
    });
    await reseller.addProjectUser(project.id, user.id);
    expect(await reseller.listProjectUsers(project.id)).toEqual([{ project: project.id, user: user.id }]);
    await reseller.removeProjectUser(project.id, user.id);
    expect(await reseller.listProjectUsers(project.id)).toEqual([]);
    expect(await reseller.updateUser(user.id, { enabled: false })).toEqual({ ...user, enabled: false });
    const quotas = await reseller.getQuotas(project.id);
    expect(quotas.compute?.cores).toBe(40);
    const updated = await reseller.updateQuotas(project.id, {
      compute: { ...quotas.compute!, cores: 8 },
    });
    expect(updated.compute?.cores).toBe(8);
    expect(updated.volume).toEqual(quotas.volume);
    await reseller.deleteUser(user.id);
    await reseller.deleteProject(project.id);
    expect(fake.projects.size + fake.users.size).toBe(0);
  });

  it.each<{
    reason: string;
    act: (c: ResellerClient) => Promise<unknown>;
    type: abstract new (...args: never[]) => ResellerAPIError;
    message: string;
  }>([
    {
      reason: 'a missing project is NotFoundError',
      act: (c) => c.getProject(MISSING),
      type: NotFoundError,
      message: `cannot get project "${MISSING}": reseller API answered 404: Project ${MISSING} not found`,
    },
    {
      reason: 'a missing user is NotFoundError',
      act: (c) => c.deleteUser(MISSING),
      type: NotFoundError,
      message: `cannot delete user "${MISSING}": reseller API answered 404: User ${MISSING} not found`,
    },
    {
      reason: 'a name outside the pattern is ValidationError with the field',
      act: (c) => c.createProject({ name: 'team a', description: 'ok' }),
      type: ValidationError,
      message:
        'cannot create project "team a": reseller API rejected the request (422): body.name: must match pattern "^(?:\\w|-)+$"',
    },
    {
      reason: 'an id that is not 32 hex digits is ValidationError',
      act: (c) => c.getProject('nope'),
      type: ValidationError,
      message:
        'cannot get project "nope": reseller API rejected the request (422): path.project_id: must NOT have fewer than 32 characters; path.project_id: must match pattern "^[a-f0-9]+$"',
    },
  ])('$reason', async ({ act, type, message }) => {
    const error = await failure(act(client()));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(message);
  });

  it('answers NotAllowedError when a project with members is deleted', async () => {
    const reseller = client();
    const project = await reseller.createProject({ name: 'busy', description: 'Busy' });
    const user = await reseller.createUser({
      name: 'm@example.com',
      description: 'Member',
      password: 'pw-1',
    });
    await reseller.addProjectUser(project.id, user.id);
    const error = await failure(reseller.deleteProject(project.id));
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      `cannot delete project "${project.id}": reseller API answered 405: Project ${project.id} still has 1 user(s)`,
    );
  });

  it('keeps 422 details without the rejected input', async () => {
    const error = await failure(
      client().createUser({ name: 'not-an-email', description: 'x', password: 'secret-pw-value' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { loc: ['body', 'name'], msg: 'must match format "email"', type: 'value_error.format' },
    ]);
    expect(JSON.stringify(error) + error.message).not.toContain('secret-pw-value');
  });
});

describe('ResellerClient failure classification', () => {
  it.each<{ reason: string; fault: Fault; message: string; status: number | undefined }>([
    {
      reason: '500 is retryable',
      fault: { kind: 'status', status: 500 },
      message: 'cannot list projects: reseller API answered 500: Internal Server Error',
      status: 500,
    },
    {
      reason: '429 is retryable',
      fault: { kind: 'status', status: 429 },
      message: 'cannot list projects: reseller API answered 429: Too Many Requests',
      status: 429,
    },
    {
      reason: '503 is retryable',
      fault: { kind: 'status', status: 503 },
      message: 'cannot list projects: reseller API answered 503: Service Unavailable',
      status: 503,
    },
    {
      reason: 'a dropped connection is retryable',
      fault: { kind: 'drop' },
      message: 'cannot list projects: connection failed (ECONNRESET)',
      status: undefined,
    },
  ])('$reason', async ({ fault, message, status }) => {
    const reseller = client();
    await reseller.testToken();
    fake.faults.script(fault);
    const error = await failure(reseller.listProjects());
    expect(error).toBeInstanceOf(RetryableError);
    expect(isRetryable(error)).toBe(true);
    expect(error.message).toBe(message);
    expect((error as ResellerAPIError).status).toBe(status);
    // The client never repeats a failed call by itself: the reconciler backs off and observes first.
    expect(fake.requests.filter((r) => r.path === '/api/v1/project/')).toHaveLength(1);
  });

  it('counts no answer within the timeout as retryable', async () => {
    fake.faults.configure({ latencyMs: 300 });
    const error = await failure(client({ deadlineMs: 50 }).listProjects());
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toBe(
      'cannot log in to the reseller API as "reseller@example.com": no answer within 50 ms',
    );
  });

  it.each<{ error: unknown; retryable: boolean }>([
    { error: new RetryableError('x', 500), retryable: true },
    { error: new NotFoundError('x', 404), retryable: false },
    { error: new NotAllowedError('x', 405), retryable: false },
    { error: new UnauthorizedError('x', 401), retryable: false },
    { error: new ValidationError('x', []), retryable: false },
    { error: new Error('x'), retryable: false },
  ])('isRetryable($error.name) is $retryable', ({ error, retryable }) => {
    expect(isRetryable(error)).toBe(retryable);
  });

  it('never puts the token or the password into errors', async () => {
    const reseller = client();
    await reseller.testToken();
    fake.faults.script({ kind: 'status', status: 500 });
    const error = await failure(reseller.getProject(MISSING));
    const token = await reseller.tokens.token();
    const dump = JSON.stringify(error) + error.message + String(error.stack);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(DEFAULT_ACCOUNT.password);
  });
});
