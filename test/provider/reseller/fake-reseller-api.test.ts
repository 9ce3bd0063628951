import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_ACCOUNT,
  FakeResellerAPI,
  RESELLER_OPENAPI_PATH,
} from '../../../testing/fakes/reseller-api.js';
import { FaultPlan } from '../../../testing/fakes/faults.js';
import { OpenAPISchemas } from '../../../testing/fakes/openapi-schemas.js';

interface PropertySchema {
  default?: unknown;
}
const document = parse(readFileSync(RESELLER_OPENAPI_PATH, 'utf8')) as {
  components: { schemas: Record<string, { properties: Record<string, PropertySchema> }> };
};

let fake: FakeResellerAPI;
let token: string;

beforeEach(async () => {
  fake = await new FakeResellerAPI().start();
  const login = await fetch(`${fake.url}/api/v1/auth/login/access-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: DEFAULT_ACCOUNT.username, password: DEFAULT_ACCOUNT.password }),
  });
  token = ((await login.json()) as { access_token: string }).access_token;
});
afterEach(async () => {
  await fake.stop();
});

async function call(method: string, path: string, body?: unknown, bearer: string | undefined = token) {
  const response = await fetch(fake.url + path, {
    method,
    headers: {
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('FakeResellerAPI follows the OpenAPI description', () => {
  it.each<{ reason: string; method: string; path: string; body?: unknown; bearer?: string; want: unknown }>([
    {
      reason: 'a call without a token is 401',
      method: 'GET',
      path: '/api/v1/project/',
      bearer: 'not-a-token',
      want: { status: 401, body: { detail: 'Could not validate credentials' } },
    },
    {
      reason: 'a project without its required description is 422',
      method: 'POST',
      path: '/api/v1/project/',
      body: { name: 'x' },
      want: {
        status: 422,
        body: {
          detail: [
            {
              loc: ['body', 'description'],
              msg: "must have required property 'description'",
              type: 'value_error.required',
            },
          ],
        },
      },
    },
    {
      reason: 'a description with a trailing space breaks the Description pattern',
      method: 'POST',
      path: '/api/v1/project/',
      body: { name: 'x', description: 'two words ' },
      want: {
        status: 422,
        body: {
          detail: [
            {
              loc: ['body', 'description'],
              msg: 'must match pattern "^[\\w-]+(?: +[\\w-]+)*$"',
              type: 'value_error.pattern',
            },
          ],
        },
      },
    },
    {
      reason: 'quotas of a missing project are 404',
      method: 'PUT',
      path: '/api/v1/project/0123456789abcdef0123456789abcdef/quota',
      body: {},
      want: {
        status: 404,
        body: { status: 404, message: 'Project 0123456789abcdef0123456789abcdef not found' },
      },
    },
    {
      reason: 'a user password longer than 254 characters is 422',
      method: 'POST',
      path: '/api/v1/user/',
      body: { name: 'a@example.com', description: 'd', password: 'p'.repeat(255) },
      want: {
        status: 422,
        body: {
          detail: [
            {
              loc: ['body', 'password'],
              msg: 'must NOT have more than 254 characters',
              type: 'value_error.maxLength',
            },
          ],
        },
      },
    },
  ])('$reason', async ({ method, path, body, bearer, want }) => {
    expect(await call(method, path, body, bearer ?? token)).toEqual(want);
  });

  it('puts the customer prefix before the project name and defaults enabled', async () => {
    expect(await call('POST', '/api/v1/project/', { name: 'team', description: 'Team' })).toEqual({
      status: 201,
      body: {
        status: 201,
        message: 'Success',
        data: {
          id: expect.stringMatching(/^[a-f0-9]{32}$/),
          name: 'c0042-team',
          description: 'Team',
          enabled: true,
        },
      },
    });
  });

  it('gives a new project every quota default of the OpenAPI description and checks the limits', async () => {
    const created = (await call('POST', '/api/v1/project/', { name: 'q', description: 'Q' })).body as {
      data: { id: string };
    };
    const quotas = (await call('GET', `/api/v1/project/${created.data.id}/quota`)).body as {
      data: Record<string, Record<string, number>>;
    };
    for (const [service, schema] of [
      ['compute', 'ComputeQuotas'],
      ['volume', 'VolumeQuotas'],
      ['network', 'NetworkQuotas'],
    ] as const) {
      for (const [field, property] of Object.entries(document.components.schemas[schema]!.properties)) {
        if (property.default !== undefined)
          expect(quotas.data[service]?.[field], `${service}.${field}`).toBe(property.default);
      }
    }
    const tooMany = await call('PUT', `/api/v1/project/${created.data.id}/quota`, {
      compute: { ...quotas.data.compute, cores: 501 },
    });
    expect(tooMany).toEqual({
      status: 422,
      body: {
        detail: [{ loc: ['body', 'compute', 'cores'], msg: 'must be <= 500', type: 'value_error.maximum' }],
      },
    });
  });

  it('refuses to delete a project with members (405) and deletes it once they are gone (204)', async () => {
    const project = fake.seedProject({ name: 'c0042-busy' });
    const user = fake.seedUser({ name: 'u@example.com' });
    expect((await call('POST', `/api/v1/project/${project.id}/user/${user.id}`)).status).toBe(200);
    expect(await call('DELETE', `/api/v1/project/${project.id}`)).toEqual({
      status: 405,
      body: { status: 405, message: `Project ${project.id} still has 1 user(s)` },
    });
    expect((await call('DELETE', `/api/v1/project/${project.id}/user/${user.id}`)).status).toBe(204);
    expect(await call('DELETE', `/api/v1/project/${project.id}`)).toEqual({ status: 204, body: undefined });
  });

  it('performs a create and then drops the connection in crash-after-perform mode', async () => {
    fake.faults.script({ kind: 'crash-after-perform' });
    await expect(call('POST', '/api/v1/project/', { name: 'crash', description: 'Crash' })).rejects.toThrow(
      'fetch failed',
    );
    expect([...fake.projects.values()].map((p) => p.name)).toEqual(['c0042-crash']);
  });

  it('repeats the same random faults for the same seed', () => {
    const sequence = (seed: number) => {
      const plan = new FaultPlan({ seed, errorRate: 0.3, dropRate: 0.2, crashAfterPerformRate: 0.2 });
      return Array.from({ length: 50 }, () => JSON.stringify(plan.next(true) ?? null));
    };
    expect(sequence(42)).toEqual(sequence(42));
    expect(sequence(42)).not.toEqual(sequence(43));
    expect(new Set(sequence(42))).toEqual(
      new Set([
        'null',
        '{"kind":"status","status":500}',
        '{"kind":"status","status":429}',
        '{"kind":"drop"}',
        '{"kind":"crash-after-perform"}',
      ]),
    );
  });
});

describe('FakeResellerAPI answers follow the OpenAPI description', () => {
  const schemas = new OpenAPISchemas(RESELLER_OPENAPI_PATH);

  it('answers every call with the schema of its summary', async () => {
    const project = (await call('POST', '/api/v1/project/', { name: 'team', description: 'Team' })).body as {
      data: { id: string };
    };
    const user = (
      await call('POST', '/api/v1/user/', { name: 'u@example.com', description: 'U', password: 'pw-1' })
    ).body as { data: { id: string } };
    const id = project.data.id;
    const answers: [string, string, unknown][] = [
      [
        'VaultUser',
        'POST /api/v1/auth/login/test-token',
        (await call('POST', '/api/v1/auth/login/test-token')).body,
      ],
      [
        'ProjectCreatedResponse',
        'GET /project/{id}',
        ((await call('GET', `/api/v1/project/${id}`)).body as { data: unknown }).data,
      ],
      [
        'UpdateQuota',
        'GET /project/{id}/quota',
        ((await call('GET', `/api/v1/project/${id}/quota`)).body as { data: unknown }).data,
      ],
      [
        'CreatedOpenStackUser',
        'GET /user/{id}',
        ((await call('GET', `/api/v1/user/${user.data.id}`)).body as { data: unknown }).data,
      ],
      [
        'SingleAPIResponse',
        'POST /project/{id}/user/{id}',
        (await call('POST', `/api/v1/project/${id}/user/${user.data.id}`)).body,
      ],
      [
        'SingleAPIResponse',
        'DELETE /project/{id} (405)',
        (await call('DELETE', `/api/v1/project/${id}`)).body,
      ],
      [
        'SingleAPIResponse',
        'GET /project/{missing} (404)',
        (await call('GET', `/api/v1/project/${'0'.repeat(32)}`)).body,
      ],
      ['HTTPValidationError', 'POST /project/ (422)', (await call('POST', '/api/v1/project/', {})).body],
    ];
    const members = ((await call('GET', `/api/v1/project/${id}/user`)).body as { data: unknown[] }).data;
    answers.push(
      ...members.map((member): [string, string, unknown] => [
        'ProjectUser',
        'GET /project/{id}/user',
        member,
      ]),
    );
    for (const [schema, what, answer] of answers) {
      expect(schemas.validate(schema, structuredClone(answer)), what).toEqual([]);
    }
  });
});
