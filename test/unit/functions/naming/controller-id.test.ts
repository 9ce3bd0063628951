import { describe, expect, it } from 'vitest';
import { controllerIdFromUid, resolveControllerId } from '../../../../functions/naming/controller-id.js';

const kubeSystem = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'kube-system', uid: '8f2d6c1e-7a3b-4c5d-9e0f-1a2b3c4d5e6f' },
};
const config = (controllerID: unknown) => ({ kind: 'EnvironmentConfig', data: { controllerID } });

describe('resolveControllerId', () => {
  it.each([
    [
      'a pin in the input wins',
      { pinned: 'pinned', environmentConfig: config('other'), kubeSystem },
      { id: 'pinned', source: 'the Composition input' },
    ],
    [
      'the platform EnvironmentConfig next',
      { environmentConfig: config('migrat'), environmentConfigName: 'platform', kubeSystem },
      { id: 'migrat', source: 'EnvironmentConfig "platform" data.controllerID' },
    ],
    [
      'else derived from the cluster',
      { kubeSystem },
      {
        id: controllerIdFromUid('8f2d6c1e-7a3b-4c5d-9e0f-1a2b3c4d5e6f'),
        source: 'the kube-system Namespace UID',
      },
    ],
    [
      'a bad pinned value in the config is named',
      { environmentConfig: config('Not-OK'), environmentConfigName: 'platform', kubeSystem },
      {
        problem:
          'EnvironmentConfig "platform" data.controllerID must be 1-16 lowercase letters or digits, got "Not-OK"',
      },
    ],
    [
      'nothing to go by',
      {},
      {
        problem:
          'no controller identifier: pin one in the Composition input or the platform EnvironmentConfig (data.controllerID), or let Crossplane read the kube-system Namespace',
      },
    ],
  ] as const)('%s', (_reason, options, want) => {
    expect(resolveControllerId(options)).toEqual(want);
  });

  it('derives six lowercase letters, the same every time for a cluster', () => {
    const id = controllerIdFromUid('8f2d6c1e-7a3b-4c5d-9e0f-1a2b3c4d5e6f');
    expect(id).toMatch(/^[a-z]{6}$/);
    expect(controllerIdFromUid('8f2d6c1e-7a3b-4c5d-9e0f-1a2b3c4d5e6f')).toBe(id);
    expect(controllerIdFromUid('another-cluster')).not.toBe(id);
  });
});
