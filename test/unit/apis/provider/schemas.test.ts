import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  ApplicationCredential,
  Project,
  ProjectMembership,
  User,
  userParametersSchema,
} from '../../../../apis/provider/reseller.js';
import { quotaFields } from '../../../../apis/provider/reseller-quotas.js';
import {
  providerConfigSpecSchema,
  providerConfigStatusSchema,
} from '../../../../apis/provider/providerconfig.js';
import { StorageCredential, StorageProject, StorageToken } from '../../../../apis/provider/storage.js';
import { RESELLER_OPENAPI_PATH } from '../../../../testing/fakes/reseller-api.js';

interface Property {
  minimum?: number;
  maximum?: number;
  default?: number;
}
const schemas = (
  parse(readFileSync(RESELLER_OPENAPI_PATH, 'utf8')) as {
    components: { schemas: Record<string, { required?: string[]; properties: Record<string, Property> }> };
  }
).components.schemas;

describe('reseller quota fields', () => {
  it.each([
    ['compute', 'ComputeQuotas'],
    ['volume', 'VolumeQuotas'],
    ['network', 'NetworkQuotas'],
  ] as const)('%s carries every field, limit and default of %s in the OpenAPI file', (service, schema) => {
    const api = schemas[schema]!.properties;
    const ours = Object.fromEntries(
      Object.values(quotaFields[service]).map(
        (field: { api: string; min: number; max?: number; default?: number }) => [
          field.api,
          { minimum: field.min, maximum: field.max, default: field.default },
        ],
      ),
    );
    const theirs = Object.fromEntries(
      Object.entries(api).map(([name, p]) => [
        name,
        { minimum: p.minimum, maximum: p.maximum, default: p.default },
      ]),
    );
    expect(ours).toEqual(theirs);
  });
});

describe('provider API schemas', () => {
  /** Paths of object properties without a description. */
  function undocumented(schema: z.ZodType): string[] {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, path: string): void => {
      const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, child] of Object.entries(properties)) {
        if (typeof child.description !== 'string' || child.description === '')
          missing.push(`${path}.${name}`);
        walk(child, `${path}.${name}`);
        if (child.items !== undefined) walk(child.items as Record<string, unknown>, `${path}.${name}[]`);
      }
    };
    walk(json, '');
    return missing;
  }

  it.each([
    ['Project', Project.forProvider],
    ['Project status', Project.atProvider],
    ['User', User.forProvider],
    ['User status', User.atProvider],
    ['ProjectMembership', ProjectMembership.forProvider],
    ['ApplicationCredential', ApplicationCredential.forProvider],
    ['ProviderConfig', providerConfigSpecSchema],
    ['ProviderConfig status', providerConfigStatusSchema],
    ['storage Project', StorageProject.forProvider],
    ['storage Credential', StorageCredential.forProvider],
    ['storage Token', StorageToken.forProvider],
    ['storage Token status', StorageToken.atProvider],
  ] as const)('%s documents every field', (_name, schema) => {
    expect(undocumented(schema)).toEqual([]);
  });

  it('gives a project the API defaults and checks its limits', () => {
    expect(
      Project.forProvider.parse({
        name: 'team-a',
        description: 'Team A',
        quotas: { compute: { instances: 4 } },
      }),
    ).toEqual({
      name: 'team-a',
      description: 'Team A',
      enabled: true,
      networkPreconfigure: false,
      quotas: {
        compute: {
          cores: 40,
          fixedIPs: -1,
          floatingIPs: -1,
          injectedFileContentBytes: 10240,
          injectedFilePathBytes: 255,
          injectedFiles: 5,
          instances: 4,
          ram: 51200,
          securityGroupRules: -1,
          securityGroups: -1,
          serverGroupMembers: 10,
        },
      },
    });
    const result = Project.forProvider.safeParse({
      name: 'team a',
      description: 'x',
      quotas: { volume: { gigabytes: 35001 } },
    });
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'name: must be letters, digits, "_" and "-"',
      'quotas.volume.gigabytes: Too big: expected number to be <=35000',
    ]);
  });
});

describe('storage Token schema', () => {
  it('refuses a renew window as long as the lifetime, which would re-issue on every reconcile', () => {
    const result = StorageToken.forProvider.safeParse({
      projectName: 'p',
      lifetimeHours: 48,
      renewBeforeHours: 48,
    });
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'renewBeforeHours: must be less than lifetimeHours',
    ]);
  });
});

describe('provider User email', () => {
  it.each([
    ['the original operator login', 'user-sample-default@kkkfqd.k8s', true],
    ['a plain address', 'ops@example.com', true],
    ['no domain', 'user-sample-default', false],
    ['two @', 'a@b@c.k8s', false],
  ])('%s', (_name, email, ok) => {
    const parsed = userParametersSchema.safeParse({
      email,
      description: 'a user',
      passwordSecretRef: { name: 's', key: 'password' },
    });
    expect(parsed.success).toBe(ok);
  });
});
