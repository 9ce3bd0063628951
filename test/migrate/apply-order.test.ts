import { describe, expect, it } from 'vitest';
import { applyPlans, type SourcePlan } from '../../migrate/apply.js';
import type { Cluster } from '../../migrate/cluster.js';
import { PAUSED, type KubeObject, type Migration, type OriginalRef } from '../../migrate/plan.js';

const refKey = (ref: OriginalRef) => `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
const objectRef = (o: KubeObject): OriginalRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
});

/**
 * The cluster port in memory, recording each call. An orphaning delete takes `gcPasses` reads of the
 * original to finish (the garbage collector orphans the dependents first); an unpaused composite is
 * Ready at once, as Crossplane would make it with nothing to wait for.
 */
class MemoryCluster implements Cluster {
  readonly calls: string[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly deleting = new Map<string, number>();

  constructor(
    objects: KubeObject[],
    private readonly gcPasses: number,
  ) {
    for (const o of objects) this.objects.set(refKey(objectRef(o)), structuredClone(o));
  }

  get(ref: OriginalRef): Promise<KubeObject | undefined> {
    const key = refKey(ref);
    const left = this.deleting.get(key);
    if (left !== undefined) {
      if (left <= 0) this.objects.delete(key);
      this.deleting.set(key, left - 1);
    }
    return Promise.resolve(this.objects.get(key));
  }
  list(): Promise<KubeObject[]> {
    return Promise.resolve([]);
  }
  apply(object: KubeObject): Promise<void> {
    const pausedNote = object.metadata.annotations?.[PAUSED] === 'true' ? ' (paused)' : '';
    this.calls.push(`apply ${object.kind} ${object.metadata.name}${pausedNote}`);
    const key = refKey(objectRef(object));
    this.objects.set(key, { ...structuredClone(object), status: this.objects.get(key)?.['status'] });
    return Promise.resolve();
  }
  setFinalizers(ref: OriginalRef, finalizers: string[]): Promise<KubeObject> {
    this.calls.push(`unfinalize ${ref.kind} ${ref.name}`);
    const object = this.objects.get(refKey(ref))!;
    object.metadata.finalizers = finalizers;
    return Promise.resolve(object);
  }
  deleteOrphaning(ref: OriginalRef): Promise<void> {
    this.calls.push(`delete ${ref.kind} ${ref.name}`);
    this.deleting.set(refKey(ref), this.gcPasses);
    return Promise.resolve();
  }
  letGo(ref: OriginalRef): Promise<void> {
    this.calls.push(`let go ${ref.kind} ${ref.name}`);
    return Promise.resolve();
  }
  scaleToZero(namespace: string, name: string): Promise<boolean> {
    this.calls.push(`scale ${namespace}/${name}`);
    return Promise.resolve(true);
  }
  seedStatus(object: KubeObject): Promise<void> {
    this.calls.push(`seed ${object.kind} ${object.metadata.name}`);
    return Promise.resolve();
  }
  unpause(ref: OriginalRef): Promise<void> {
    const there = this.objects.has(refKey(objectRef(original))) ? ' (original there)' : '';
    this.calls.push(`unpause ${ref.kind} ${ref.name}${there}`);
    const object = this.objects.get(refKey(ref))!;
    delete object.metadata.annotations?.[PAUSED];
    object['status'] = { conditions: [{ type: 'Ready', status: 'True' }] };
    return Promise.resolve();
  }
}

const original: KubeObject = {
  apiVersion: 'placement.openstack.org/v1beta1',
  kind: 'PlacementAPI',
  metadata: { name: 'placement', namespace: 'openstack', uid: 'u1', resourceVersion: '1', finalizers: ['f'] },
};
const composite = (annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'openstack.stackplane.io/v1alpha1',
  kind: 'PlacementAPI',
  metadata: { name: 'placement', namespace: 'openstack', ...(annotations ? { annotations } : {}) },
  spec: {},
});
const migration = (resource: KubeObject, beforeReady: boolean): Migration => ({
  outcome: 'migrate',
  original: objectRef(original),
  platform: [],
  resources: [resource],
  adopted: [],
  release: { finalizers: ['f'], orphanDependents: true, beforeReady },
  notes: [],
});
const plan = (m: Migration): SourcePlan[] => [
  { source: 'placement-operator', entries: [m], operator: { namespace: 'openstack-operators', name: 'op' } },
];

describe('--apply order', () => {
  it.each<{ reason: string; migration: Migration; gcPasses: number; want: string[] }>([
    {
      reason: 'writes a composite released early paused, and unpauses it once its original is gone',
      migration: migration(composite(), true),
      gcPasses: 3,
      want: [
        'apply PlacementAPI placement (paused)',
        'scale openstack-operators/op',
        'unfinalize PlacementAPI placement',
        'delete PlacementAPI placement',
        'unpause PlacementAPI placement',
      ],
    },
    {
      reason: 'seeds a paused composite released early, and unpauses it once its original is gone',
      migration: migration({ ...composite({ [PAUSED]: 'true' }), status: { adopted: {} } }, true),
      gcPasses: 2,
      want: [
        'apply PlacementAPI placement (paused)',
        'seed PlacementAPI placement',
        'scale openstack-operators/op',
        'unfinalize PlacementAPI placement',
        'delete PlacementAPI placement',
        'unpause PlacementAPI placement',
      ],
    },
    {
      reason: 'unpauses a paused composite released after Ready at once',
      migration: migration(composite({ [PAUSED]: 'true' }), false),
      gcPasses: 0,
      want: [
        'apply PlacementAPI placement (paused)',
        'unpause PlacementAPI placement (original there)',
        'scale openstack-operators/op',
        'unfinalize PlacementAPI placement',
        'delete PlacementAPI placement',
      ],
    },
  ])('$reason', async ({ migration: m, gcPasses, want }) => {
    const cluster = new MemoryCluster([original], gcPasses);
    await applyPlans(cluster, plan(m), { timeoutMs: 5_000, pollMs: 1, log: () => undefined });
    expect(cluster.calls).toEqual(want);
  });
});
