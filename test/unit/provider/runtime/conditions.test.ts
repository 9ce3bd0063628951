import { describe, expect, it } from 'vitest';
import {
  available,
  creating,
  reconcileError,
  reconcileSuccess,
  setConditions,
  type Condition,
} from '../../../../provider/src/runtime/conditions.js';

const earlier = new Date('2026-01-01T00:00:00Z');
const now = new Date('2026-01-01T00:05:00Z');
const at = (date: Date) => date.toISOString();

describe('setConditions', () => {
  const existing: Condition[] = [
    { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: at(earlier) },
    { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: at(earlier) },
  ];
  const cases: Record<
    string,
    { reason: string; args: Parameters<typeof setConditions>[1]; want: Condition[] }
  > = {
    unchanged: {
      reason: 'an unchanged condition keeps its transition time, so the status does not change',
      args: [creating(), reconcileSuccess()],
      want: existing,
    },
    transition: {
      reason: 'a changed condition gets the current time',
      args: [available()],
      want: [
        { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: at(now) },
        existing[1]!,
      ],
    },
    'new message': {
      reason: 'a new error message is a transition',
      args: [reconcileError(new Error('cannot observe external resource: boom'))],
      want: [
        existing[0]!,
        {
          type: 'Synced',
          status: 'False',
          reason: 'ReconcileError',
          message: 'cannot observe external resource: boom',
          lastTransitionTime: at(now),
        },
      ],
    },
    added: {
      reason: 'a new type is appended',
      args: [{ type: 'Custom', status: 'True', reason: 'Fine' }],
      want: [...existing, { type: 'Custom', status: 'True', reason: 'Fine', lastTransitionTime: at(now) }],
    },
  };
  it.each(Object.entries(cases))('%s', (_, { args, want }) => {
    expect(setConditions(existing, args, now)).toEqual(want);
  });
});
