import { describe, expect, it } from 'vitest';
import { reconcilerTiming } from '../../../../provider/src/runtime/manager.js';

describe('the timing options a Manager hands its Reconcilers', () => {
  const cases: Record<
    string,
    {
      reason: string;
      args: Parameters<typeof reconcilerTiming>[0];
      want: ReturnType<typeof reconcilerTiming>;
    }
  > = {
    'none set': {
      reason: 'every option left out takes the Reconciler default',
      args: {},
      want: {},
    },
    'all zero': {
      reason: 'one rule for every option: 0 is a value, used as given, never dropped for the default',
      args: { pollIntervalMs: 0, confirmAfterMs: 0, creationGracePeriodMs: 0, reconcileTimeoutMs: 0 },
      want: { pollIntervalMs: 0, confirmAfterMs: 0, creationGracePeriodMs: 0, reconcileTimeoutMs: 0 },
    },
    'some set': {
      reason: 'an option set is passed on, one left out is not',
      args: { confirmAfterMs: 250 },
      want: { confirmAfterMs: 250 },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { args, want }) => {
    expect(reconcilerTiming(args)).toStrictEqual(want);
  });
});
