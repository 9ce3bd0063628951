import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { immutableChanges } from '../../../functions/steps/storage-classes/replacement.js';
import type { KubeObject } from '../../../functions/types.js';

const storageClass = (fields: Record<string, unknown>): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  provisioner: 'csi.lightbitslabs.com',
  reclaimPolicy: 'Retain',
  volumeBindingMode: 'Immediate',
  parameters: { 'replica-count': '3', compression: 'enabled' },
  ...fields,
});

describe('immutableChanges', () => {
  const cases: Record<string, { observed: KubeObject; desired: KubeObject; want: string[] }> = {
    'nothing changed': { observed: storageClass({}), desired: storageClass({}), want: [] },
    'same parameters in another order': {
      observed: storageClass({ parameters: { compression: 'enabled', 'replica-count': '3' } }),
      desired: storageClass({}),
      want: [],
    },
    'a parameter changed, one added, one removed': {
      observed: storageClass({ parameters: { 'replica-count': '3', gone: 'x' } }),
      desired: storageClass({ parameters: { 'replica-count': '2', compression: 'enabled' } }),
      want: [
        'parameters.compression: (unset) → "enabled"',
        'parameters.gone: "x" → (unset)',
        'parameters.replica-count: "3" → "2"',
      ],
    },
    'a parameter that is no string': {
      observed: storageClass({ parameters: { 'replica-count': 3, compression: 'enabled' } }),
      desired: storageClass({}),
      want: ['parameters.replica-count: 3 → "3"'],
    },
    'parameters missing on the observed class': {
      observed: storageClass({ parameters: undefined }),
      desired: storageClass({}),
      want: ['parameters.compression: (unset) → "enabled"', 'parameters.replica-count: (unset) → "3"'],
    },
    'the provisioner and binding mode changed': {
      observed: storageClass({ provisioner: 'other', volumeBindingMode: 'WaitForFirstConsumer' }),
      desired: storageClass({}),
      want: [
        'provisioner: "other" → "csi.lightbitslabs.com"',
        'volumeBindingMode: "WaitForFirstConsumer" → "Immediate"',
      ],
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { observed, desired, want }) => {
    expect(immutableChanges(observed, desired)).toEqual(want);
  });

  it('finds a change exactly when isDeepStrictEqual sees one', () => {
    const params = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', 'replica-count'),
      fc.oneof(fc.constantFrom('1', '2'), fc.constant(1)),
      {
        noNullPrototype: true,
      },
    );
    fc.assert(
      fc.property(params, params, (before, after) => {
        const changed = immutableChanges(
          storageClass({ parameters: before }),
          storageClass({ parameters: after }),
        );
        expect(changed.length > 0).toBe(!isDeepStrictEqual(before, after));
      }),
    );
  });
});
