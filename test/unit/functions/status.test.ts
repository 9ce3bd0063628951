import { describe, expect, it } from 'vitest';
import { withoutEmptyObjects } from '../../../functions/status.js';

describe('withoutEmptyObjects: what the function applies as XR status', () => {
  it.each<{ reason: string; status: Record<string, unknown>; want: Record<string, unknown> }>([
    {
      reason: 'a map emptied by the step is left out, so server-side apply removes it instead of nulling it',
      status: { login: 'a@b.k8s', userIDs: {} },
      want: { login: 'a@b.k8s' },
    },
    {
      reason: 'an object left empty by dropping its empty children is left out too',
      status: { hash: { dbsync: {} }, endpoints: { public: 'https://p' } },
      want: { endpoints: { public: 'https://p' } },
    },
    {
      reason: 'lists are atomic in CRDs: [] stays [] and is kept',
      status: { regions: [], networkAttachments: { ctlplane: [] } },
      want: { regions: [], networkAttachments: { ctlplane: [] } },
    },
    {
      reason: 'scalars, false and 0 are values, not emptiness; undefined is dropped',
      status: { readyCount: 0, ready: false, phase: '', gone: undefined },
      want: { readyCount: 0, ready: false, phase: '' },
    },
  ])('$reason', ({ status, want }) => {
    expect(withoutEmptyObjects(status)).toEqual(want);
  });
});
