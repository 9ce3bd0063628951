import { describe, expect, it } from 'vitest';
import { StorageClassesInput } from '../../../apis/functions/storage-classes-input.js';
import { StorageTenant } from '../../../apis/storage/storagetenant.js';
import { StackplaneFunction } from '../../../functions/handler.js';
import { mergeComposed } from '../../../functions/protocol.js';
import { defineStep, type DesiredResource, type StepResponse } from '../../../functions/types.js';
import { runFunctionRequest, storageTenant } from '../../support/requests.js';

const configMap = (name: string): DesiredResource => ({
  resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } },
});
const ready = (entry: DesiredResource): DesiredResource => ({ ...entry, ready: true });

describe('a step response merges over the desired resources of earlier steps', () => {
  const earlier = { first: configMap('first'), second: configMap('second') };
  const cases: Record<
    string,
    { reason: string; out: Pick<StepResponse, 'composed' | 'removed'>; want: Record<string, DesiredResource> }
  > = {
    'nothing composed': {
      reason: 'a step that waits or refuses leaves what earlier steps composed as it was',
      out: {},
      want: earlier,
    },
    'a new resource': {
      reason: 'a step composes only its own resources; the earlier ones stay',
      out: { composed: { third: configMap('third') } },
      want: { ...earlier, third: configMap('third') },
    },
    'a resource of the same name': {
      reason: 'the step replaces the entry whole, in its place',
      out: { composed: { first: ready(configMap('mine')) } },
      want: { first: ready(configMap('mine')), second: configMap('second') },
    },
    'a removed resource': {
      reason: 'dropping an earlier step’s resource is said out loud',
      out: { composed: { third: configMap('third') }, removed: ['second'] },
      want: { first: configMap('first'), third: configMap('third') },
    },
    'a removed resource the step also composed': {
      reason: 'removal applies after the merge, whoever put the resource',
      out: { composed: { third: configMap('third') }, removed: ['third', 'absent'] },
      want: earlier,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { out, want }) => {
    const before = structuredClone(earlier);
    const merged = mergeComposed(earlier, out);
    expect(merged).toStrictEqual(want);
    expect(Object.keys(merged)).toEqual(Object.keys(want));
    expect(earlier).toStrictEqual(before);
  });

  it('keeps a resource named __proto__ as a resource', () => {
    const merged = mergeComposed({}, { composed: JSON.parse('{"__proto__": {"resource": {"kind": "X"}}}') });
    expect(Object.keys(merged)).toEqual(['__proto__']);
  });

  it('writes the merged resources into the response', async () => {
    const own = defineStep({
      input: StorageClassesInput,
      composite: StorageTenant,
      run: () => ({ composed: { mine: ready(configMap('mine')) }, removed: ['dropped'] }),
    });
    const rsp = await new StackplaneFunction([own]).RunFunction(
      runFunctionRequest({
        xr: storageTenant(),
        desired: {
          earlier: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'earlier' } },
          dropped: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dropped' } },
        },
      }),
    );
    const resources = rsp.desired?.resources ?? {};
    expect(Object.keys(resources)).toEqual(['earlier', 'mine']);
    expect(resources['mine']?.resource).toEqual(configMap('mine').resource);
  });
});
