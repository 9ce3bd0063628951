import { describe, expect, it } from 'vitest';
import { readFiles } from '../../migrate/read-files.js';
import type { Inventory, KubeObject } from '../../migrate/plan.js';
import { placementSource } from '../../migrate/sources/placement.js';

const TESTDATA = 'test/migrate/testdata/placement-operator';
const NEVER_FINISHED =
  'the operator never finished creating it; let it finish (or delete it), then run migrate again';

type Modifier = (o: KubeObject) => KubeObject;
/** The sample as the operator leaves it, its PlacementAPI changed by the modifiers. */
function operated(...modifiers: Modifier[]): Inventory {
  const { objects } = readFiles([`${TESTDATA}/operated.yaml`]);
  return {
    objects: objects.map((o) =>
      o.kind === 'PlacementAPI' ? modifiers.reduce((current, m) => m(current), structuredClone(o)) : o,
    ),
  };
}
const withSpec =
  (spec: Record<string, unknown>): Modifier =>
  (o) => ({
    ...o,
    spec: { ...(o['spec'] as object), ...spec },
  });

describe('placement-operator plan', () => {
  it('moves the PlacementAPI under its name and spec, released first with its dependents orphaned', () => {
    const [original] = readFiles([`${TESTDATA}/operated.yaml`]).objects;
    expect(placementSource.plan(operated())).toEqual([
      {
        outcome: 'migrate',
        original: {
          apiVersion: 'placement.openstack.org/v1beta1',
          kind: 'PlacementAPI',
          namespace: 'openstack',
          name: 'placement',
        },
        platform: [],
        resources: [
          {
            apiVersion: 'openstack.stackplane.io/v1alpha1',
            kind: 'PlacementAPI',
            metadata: { name: 'placement', namespace: 'openstack' },
            spec: original?.['spec'],
          },
        ],
        adopted: [
          { what: 'database on openstack', externalName: 'placement' },
          { what: 'database account on openstack', externalName: 'placement@%' },
        ],
        release: {
          finalizers: ['openstack.org/placementapi'],
          orphanDependents: true,
          beforeReady: true,
        },
        notes: [
          'released once the XR is applied, before it is Ready: the operator controls Deployment placement, Services placement-internal and placement-public and the rest, which Crossplane cannot compose until the orphaning delete frees them',
          "the database account's password is generated into Secret placement-db-account and set on placement@%; the pods roll onto it",
        ],
      },
    ]);
  });

  it('moves both upstream samples once the operator has finished them', () => {
    const { objects } = readFiles([`${TESTDATA}/samples.yaml`]);
    const finished = objects.map((o) => ({
      ...o,
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    }));
    expect(placementSource.plan({ objects: finished }).map((e) => e.outcome)).toEqual(['migrate', 'migrate']);
  });

  it('refuses the upstream samples as they are: the operator never reconciled them', () => {
    const plan = placementSource.plan(readFiles([`${TESTDATA}/samples.yaml`]));
    expect(plan.map((e) => e.outcome === 'refuse' && e.reasons)).toEqual([
      [`status.conditions: no Ready condition: ${NEVER_FINISHED}`],
      [`status.conditions: no Ready condition: ${NEVER_FINISHED}`],
    ]);
  });

  it.each<{ reason: string; modify: Modifier[]; want: string[] }>([
    {
      reason: 'a PlacementAPI that is not ready',
      modify: [
        (o) => ({
          ...o,
          status: {
            conditions: [{ type: 'Ready', status: 'False', reason: 'Error', message: 'DB create failed' }],
          },
        }),
      ],
      want: [`status.conditions: Ready is False (Error: DB create failed): ${NEVER_FINISHED}`],
    },
    {
      reason: 'a field without an equivalent',
      modify: [withSpec({ memcachedInstance: 'memcached' })],
      want: [
        "spec.memcachedInstance: Stackplane's PlacementAPI has no equivalent; remove it from the original and run migrate again",
      ],
    },
    {
      reason: 'a config file Stackplane does not overwrite',
      modify: [withSpec({ defaultConfigOverwrite: { 'api-paste.ini': '[x]' } })],
      want: [
        'spec.defaultConfigOverwrite.api-paste.ini: is not allowed: only policy.yaml can be set; remove "api-paste.ini"',
      ],
    },
  ])('refuses $reason', ({ modify, want }) => {
    expect(placementSource.plan(operated(...modify))).toEqual([
      expect.objectContaining({ outcome: 'refuse', reasons: want }),
    ]);
  });
});
