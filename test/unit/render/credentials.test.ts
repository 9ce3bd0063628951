// A step's credentials come from the Secrets of --function-credentials, as crossplane render does.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../functions/types.js';
import type { PipelineStep } from '../../../render/composition.js';
import { stepCredentials } from '../../../render/credentials.js';

const secret = (namespace: string, name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
  ...extra,
});
const step = (credentials: PipelineStep['credentials']): PipelineStep => ({
  step: 'storage-classes',
  functionRef: { name: 'stackplane-function-stackplane' },
  ...(credentials ? { credentials } : {}),
});
const fromSecret = (name: string, namespace: string, secretName: string) => ({
  name,
  source: 'Secret',
  secretRef: { namespace, name: secretName },
});

describe('stepCredentials', () => {
  it.each<[string, PipelineStep, KubeObject[], Record<string, Record<string, string>>]>([
    ['a step without credentials', step(undefined), [secret('crossplane-system', 'api')], {}],
    [
      "a Secret's data, decoded, and its stringData",
      step([fromSecret('api', 'crossplane-system', 'api-token')]),
      [
        secret('crossplane-system', 'other', { data: { token: 'b3RoZXI=' } }),
        secret('crossplane-system', 'api-token', {
          data: { token: 'czNjcjN0' },
          stringData: { user: 'admin' },
        }),
      ],
      { api: { token: 's3cr3t', user: 'admin' } },
    ],
    [
      'a source other than Secret, which the CLI leaves out too',
      step([{ name: 'none', source: 'None' }]),
      [],
      {},
    ],
  ])('%s', (_, s, secrets, want) => {
    const got = stepCredentials(s, secrets);
    expect(
      Object.fromEntries(
        Object.entries(got).map(([name, c]) => [
          name,
          Object.fromEntries(
            Object.entries(c.credentialData?.data ?? {}).map(([k, v]) => [k, v.toString('utf8')]),
          ),
        ]),
      ),
    ).toEqual(want);
  });

  it('names the Secret no file supplies and the flag that does', () => {
    expect(() =>
      stepCredentials(step([fromSecret('api', 'crossplane-system', 'api-token')]), [
        secret('default', 'api-token'),
      ]),
    ).toThrow(
      'cannot get the credentials "api" of step "storage-classes": no Secret crossplane-system/api-token in --function-credentials',
    );
  });
});
