import { describe, expect, it } from 'vitest';
import { KubeEventRecorder } from '../../../../provider/src/runtime/events.js';
import type { KubeObject, ResourceType } from '../../../../provider/src/runtime/kube.js';
import type { ManagedResource } from '../../../../provider/src/runtime/resource.js';
import { FakeKube } from '../../../support/fake-kube.js';

const events: ResourceType = { group: '', version: 'v1', plural: 'events', namespaced: true };
const mr: ManagedResource = {
  apiVersion: 'test.m.stackplane.io/v1alpha1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'ns', uid: 'uid-w' },
  spec: {},
};

describe('KubeEventRecorder', () => {
  it('aggregates a repeated event into one Event with a count, as client-go does', async () => {
    const kube = new FakeKube();
    const recorder = new KubeEventRecorder(kube, 'provider-stackplane');
    const failure = { type: 'Warning', reason: 'CannotObserveExternalResource', message: 'timeout' } as const;
    for (let i = 0; i < 3; i++) recorder.record(mr, failure);
    recorder.record(mr, { ...failure, message: 'connection reset' });
    await recorder.flush();
    const stored = (await kube.list<KubeObject & { message: string; count: number }>(events, 'ns')).items;
    expect(
      stored.map((e) => ({ message: e.message, count: e.count })).sort((a, b) => b.count - a.count),
    ).toEqual([
      { message: 'timeout', count: 3 },
      { message: 'connection reset', count: 1 },
    ]);
  });

  it('starts a new Event when the aggregated one expired', async () => {
    const kube = new FakeKube();
    const recorder = new KubeEventRecorder(kube, 'provider-stackplane');
    const event = { type: 'Normal', reason: 'ReconciliationPaused', message: 'paused' } as const;
    recorder.record(mr, event);
    await recorder.flush();
    for (const key of [...kube.objects.keys()]) kube.objects.delete(key);
    recorder.record(mr, event);
    await recorder.flush();
    const stored = (await kube.list<KubeObject & { count: number }>(events, 'ns')).items;
    expect(stored.map((e) => e.count)).toEqual([1]);
  });
});
