import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { dataXR, fakeRandom, platformFetched, readyManaged, shippedInput } from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, summarize } from '../../../support/responses.js';

const ID = 'qwerty-team-a-orders-';
const run = (xr: KubeObject, observed: Record<string, KubeObject> = {}) =>
  new StackplaneFunction(steps, undefined, fakeRandom(1)).RunFunction(
    runFunctionRequest({ xr, input: shippedInput('postgres.yaml'), required: platformFetched(), observed }),
  );
const annotated = (xr: KubeObject & { metadata: Record<string, unknown> }) => {
  xr.metadata['annotations'] = { 'data.stackplane.io/allow-deletion': 'true' };
};
const instanceWithProtection = (deletionProtection: boolean) => ({
  instance: readyManaged(
    { apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Instance' },
    { deletionProtection },
  ),
});

describe('Postgres on AWS: condition DeletionProtected says whether deleting it deletes the instance', () => {
  const cases: Record<
    string,
    {
      reason: string;
      xr: KubeObject;
      observed?: Record<string, KubeObject>;
      want: { composed: boolean; status: string; reason: string; message: RegExp };
    }
  > = {
    production: {
      reason: 'the tier protects the instance; deleting would wait forever without this condition',
      xr: dataXR('Postgres', { type: 'managed', tier: 'production' }),
      want: {
        composed: true,
        status: 'True',
        reason: 'ProtectedByTier',
        message: new RegExp(
          `^the RDS instance ${ID}\\w+ has deletion protection \\(tier production\\): deleting Postgres team-a/orders would wait until it is turned off\\. To delete it on purpose, annotate it data\\.stackplane\\.io/allow-deletion=true, wait for this condition to turn False, then delete it$`,
        ),
      },
    },
    'production, annotated, AWS still protects it': {
      reason: 'protection is turned off first; the condition stays True until AWS reports it off',
      xr: dataXR('Postgres', { type: 'managed', tier: 'production' }, annotated),
      observed: instanceWithProtection(true),
      want: {
        composed: false,
        status: 'True',
        reason: 'TurningOff',
        message: /^data\.stackplane\.io\/allow-deletion is set: waiting for AWS/,
      },
    },
    'production, annotated, protection off': {
      reason: 'now deleting the composite deletes the instance, after its final snapshot',
      xr: dataXR('Postgres', { type: 'managed', tier: 'production' }, annotated),
      observed: instanceWithProtection(false),
      want: {
        composed: false,
        status: 'False',
        reason: 'DeletionAllowed',
        message: new RegExp(`deletes the RDS instance ${ID}\\w+ after a final snapshot ${ID}\\w+-final$`),
      },
    },
    development: {
      reason: 'nothing protects it',
      xr: dataXR('Postgres', { type: 'managed', tier: 'development' }),
      want: {
        composed: false,
        status: 'False',
        reason: 'NotProtected',
        message: new RegExp(
          `^deleting Postgres team-a/orders deletes the RDS instance ${ID}\\w+ without a final snapshot$`,
        ),
      },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { xr, observed, want }) => {
    const rsp = await run(xr, observed);
    const forProvider = (
      desiredResources(rsp)['instance']?.['spec'] as { forProvider: Record<string, unknown> }
    ).forProvider;
    expect(forProvider['deletionProtection']).toBe(want.composed);
    const condition = summarize(rsp).conditions.find((c) => c.type === 'DeletionProtected');
    expect(condition).toEqual({
      type: 'DeletionProtected',
      status: want.status,
      reason: want.reason,
      message: expect.stringMatching(want.message),
    });
  });
});
