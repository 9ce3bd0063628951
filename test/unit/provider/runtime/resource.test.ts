import { describe, expect, it } from 'vitest';
import { desiredStateChanged } from '../../../../provider/src/runtime/controller.js';
import {
  Annotation,
  isCreateIncomplete,
  pollIntervalOf,
  type ManagedResource,
} from '../../../../provider/src/runtime/resource.js';

type Modifier = (mr: ManagedResource) => void;
const managed = (...modifiers: Modifier[]): ManagedResource => {
  const mr: ManagedResource = {
    apiVersion: 'test.m.stackplane.io/v1alpha1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'ns', generation: 1 },
    spec: { forProvider: {} },
  };
  for (const modify of modifiers) modify(mr);
  return mr;
};
const withAnnotations =
  (annotations: Record<string, string>): Modifier =>
  (mr) => {
    mr.metadata.annotations = annotations;
  };

describe('isCreateIncomplete', () => {
  const t1 = '2026-01-01T00:00:01.000Z';
  const t2 = '2026-01-01T00:00:02.000Z';
  const cases: Record<string, { reason: string; args: Record<string, string>; want: boolean }> = {
    'never created': { reason: 'no pending annotation', args: {}, want: false },
    pending: {
      reason: 'pending without an outcome',
      args: { [Annotation.ExternalCreatePending]: t1 },
      want: true,
    },
    succeeded: {
      reason: 'the outcome was recorded',
      args: { [Annotation.ExternalCreatePending]: t1, [Annotation.ExternalCreateSucceeded]: t2 },
      want: false,
    },
    failed: {
      reason: 'a recorded failure allows another create',
      args: { [Annotation.ExternalCreatePending]: t1, [Annotation.ExternalCreateFailed]: t1 },
      want: false,
    },
    'pending again': {
      reason: 'a newer pending than the last outcome',
      args: { [Annotation.ExternalCreatePending]: t2, [Annotation.ExternalCreateFailed]: t1 },
      want: true,
    },
  };
  it.each(Object.entries(cases))('%s', (_, { args, want }) => {
    expect(isCreateIncomplete(managed(withAnnotations(args)))).toBe(want);
  });
});

describe('pollIntervalOf', () => {
  const cases: Record<string, { reason: string; args: string | undefined; want: number | string }> = {
    default: { reason: 'no annotation', args: undefined, want: 60_000 },
    seconds: { reason: 'a Go duration', args: '30s', want: 30_000 },
    compound: { reason: 'several units', args: '1h30m', want: 5_400_000 },
    millis: { reason: 'milliseconds', args: '1500ms', want: 1_500 },
    'below the floor': {
      reason: 'a poll shorter than a second would hammer the external API',
      args: '500ms',
      want: 'cannot use annotation crossplane.io/poll-interval "500ms": must be at least 1s',
    },
    invalid: {
      reason: 'not a duration',
      args: 'soon',
      want: 'cannot parse annotation crossplane.io/poll-interval "soon": want a positive duration like 30s, 1m or 1h30m',
    },
    trailing: {
      reason: 'a unit missing',
      args: '1m30',
      want: 'cannot parse annotation crossplane.io/poll-interval "1m30": want a positive duration like 30s, 1m or 1h30m',
    },
  };
  it.each(Object.entries(cases))('%s', (_, { args, want }) => {
    const mr = managed(withAnnotations(args === undefined ? {} : { [Annotation.PollInterval]: args }));
    if (typeof want === 'string') expect(() => pollIntervalOf(mr)).toThrow(want);
    else expect(pollIntervalOf(mr)).toBe(want);
  });
});

describe('desiredStateChanged', () => {
  const cases: Record<
    string,
    { reason: string; args: [Modifier[], Modifier[]] | [undefined, Modifier[]]; want: boolean }
  > = {
    added: { reason: 'a new resource', args: [undefined, []], want: true },
    status: {
      reason: 'a status-only update is the reconciler’s own write',
      args: [[], [(mr) => (mr.status = { observedGeneration: 1 })]],
      want: false,
    },
    generation: { reason: 'a spec edit', args: [[], [(mr) => (mr.metadata.generation = 2)]], want: true },
    annotation: {
      reason: 'for example pause',
      args: [[], [withAnnotations({ [Annotation.Paused]: 'true' })]],
      want: true,
    },
    deletion: {
      reason: 'deletion requested',
      args: [[], [(mr) => (mr.metadata.deletionTimestamp = '2026-01-01T00:00:00Z')]],
      want: true,
    },
  };
  it.each(Object.entries(cases))('%s', (_, { args: [before, after], want }) => {
    expect(desiredStateChanged(before && managed(...before), managed(...after))).toBe(want);
  });
});
