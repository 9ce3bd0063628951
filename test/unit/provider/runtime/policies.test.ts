import { describe, expect, it } from 'vitest';
import { decidePolicies, type PolicyDecisions } from '../../../../provider/src/runtime/policies.js';

const decisions = (overrides: Partial<PolicyDecisions>): PolicyDecisions => ({
  create: false,
  update: false,
  delete: false,
  lateInitialize: false,
  observeOnly: false,
  ...overrides,
});
const all = decisions({ create: true, update: true, delete: true, lateInitialize: true });

describe('decidePolicies', () => {
  const cases: Record<
    string,
    { reason: string; args: string[] | undefined; want: PolicyDecisions | string }
  > = {
    default: { reason: 'no policies means *', args: undefined, want: all },
    empty: { reason: 'an empty list means *', args: [], want: all },
    star: { reason: '* allows everything', args: ['*'], want: all },
    'observe only': {
      reason: 'Observe alone never writes',
      args: ['Observe'],
      want: decisions({ observeOnly: true }),
    },
    'without delete': {
      reason: 'the external resource outlives the managed resource',
      args: ['Observe', 'Create', 'Update', 'LateInitialize'],
      want: decisions({ create: true, update: true, lateInitialize: true }),
    },
    'without late-init': {
      reason: 'the spec is never written back',
      args: ['Observe', 'Create', 'Update', 'Delete'],
      want: decisions({ create: true, update: true, delete: true }),
    },
    'without observe': {
      reason: 'nothing can be decided without observing',
      args: ['Create', 'Delete'],
      want: 'management policies ["Create","Delete"] must include "Observe" or "*"',
    },
    unknown: {
      reason: 'a typo is an error, not a silent no-op',
      args: ['Observe', 'Destroy'],
      want: 'unknown management policies ["Destroy"]',
    },
  };
  it.each(Object.entries(cases))('%s', (_, { args, want }) => {
    if (typeof want === 'string') expect(() => decidePolicies(args)).toThrow(want);
    else expect(decidePolicies(args)).toEqual(want);
  });
});
