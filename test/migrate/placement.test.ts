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

/** What the plan records in the composite's status for the operated sample. */
const ADOPTED = {
  databaseUser: 'placement_3fa2',
  databasePasswordSecret: 'placement-db-secret',
  keystoneServiceID: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  keystoneEndpointIDs: {
    internal: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    public: '9e8d7c6b5a4938271605f4e3d2c1b0a9',
  },
  deploymentSelector: { service: 'placement', owner: 'placement' },
};
const KEYSTONE_KEPT =
  'the Keystone service and endpoints keep their ids (KeystoneService placement, KeystoneEndpoint placement): provider-openstack observes them by id, or, with the keystone-operator backend, Stackplane composes those same two objects by name';
/** What deleting each orphaned operator object does, as the plan says it. */
const ACCOUNT_ORPHANED =
  "MariaDBAccount openstack/placement: with the openstack-mariadb-operator backend the PlacementAPI composes it as its own, and deleting the PlacementAPI drops the database user placement_3fa2@%, as with any backend; with the sql-provider backend it stays, orphaned, and the mariadb-operator still runs it: deleting it drops the database user placement_3fa2@% (its delete job runs DROP USER) and placement cannot reach its database until Stackplane's account creates the user again, so leave it alone";
const KEYSTONE_ORPHANED =
  'KeystoneService openstack/placement and KeystoneEndpoint openstack/placement: with the keystone-operator backend the PlacementAPI composes them as its own; with the openstack-provider backend they stay, orphaned, and the keystone-operator still runs them: deleting the KeystoneService deletes Keystone service a1b2c3d4e5f60718293a4b5c6d7e8f90 and user placement at once, deleting the KeystoneEndpoint deletes its endpoints, and clients no longer find placement, so leave them alone';

/** The operated sample without the objects of these kinds, or with one changed. */
const without =
  (...kinds: string[]) =>
  (inventory: Inventory): Inventory => ({
    objects: inventory.objects.filter((o) => !kinds.includes(o.kind)),
  });
const withObject =
  (kind: string, name: string, change: (o: KubeObject) => KubeObject) =>
  (inventory: Inventory): Inventory => ({
    objects: inventory.objects.map((o) => (o.kind === kind && o.metadata.name === name ? change(o) : o)),
  });

describe('placement-operator plan: what the PlacementAPI keeps', () => {
  it.each<{ reason: string; change: (i: Inventory) => Inventory; want: Record<string, unknown> }>([
    {
      reason: 'an operator without MariaDBAccounts or keystone-operator objects: generated anew, as before',
      change: without('MariaDBAccount', 'KeystoneService', 'KeystoneEndpoint', 'Deployment'),
      want: {
        metadata: { name: 'placement', namespace: 'openstack' },
        status: undefined,
        adopted: [
          { what: 'database on openstack', externalName: 'placement' },
          { what: 'database account on openstack', externalName: 'placement@%' },
        ],
      },
    },
    {
      reason: 'a service whose endpoints have no ids yet: the service alone is kept',
      change: without('KeystoneEndpoint'),
      want: {
        metadata: {
          name: 'placement',
          namespace: 'openstack',
          annotations: { 'crossplane.io/paused': 'true' },
        },
        status: {
          adopted: {
            databaseUser: 'placement_3fa2',
            databasePasswordSecret: 'placement-db-secret',
            keystoneServiceID: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
            deploymentSelector: { service: 'placement', owner: 'placement' },
          },
        },
        adopted: [
          { what: 'database on openstack', externalName: 'placement' },
          { what: 'database account on openstack', externalName: 'placement_3fa2@%' },
          { what: 'Keystone service placement', externalName: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
        ],
      },
    },
  ])('$reason', ({ change, want }) => {
    const [entry] = placementSource.plan(change(operated()));
    if (entry?.outcome !== 'migrate') throw new Error(`not migrated: ${JSON.stringify(entry)}`);
    const [xr] = entry.resources;
    expect({ metadata: xr?.metadata, status: xr?.['status'], adopted: entry.adopted }).toEqual(want);
  });

  it.each<{ reason: string; change: (i: Inventory) => Inventory; want: string }>([
    {
      reason: 'the password Secret is gone: the password would be replaced',
      change: (i) => ({
        objects: i.objects.filter((o) => !(o.kind === 'Secret' && o.metadata.name === 'placement-db-secret')),
      }),
      want: "MariaDBAccount openstack/placement spec.secret: Secret openstack/placement-db-secret does not exist or has no key DatabasePassword, so the account's password would be replaced; restore the Secret (or point spec.secret at the one holding it) and run migrate again",
    },
    {
      reason: 'the account has no user yet',
      change: withObject('MariaDBAccount', 'placement', (o) => ({
        ...o,
        spec: { ...(o['spec'] as object), userName: '' },
      })),
      want: 'MariaDBAccount openstack/placement spec.userName is empty: the database user is unknown; let the mariadb-operator finish it and run migrate again',
    },
  ])('refuses when $reason', ({ change, want }) => {
    expect(placementSource.plan(change(operated()))).toEqual([
      expect.objectContaining({ outcome: 'refuse', reasons: [want] }),
    ]);
  });
});

describe('placement-operator plan: the orphaned operator objects and what deleting each does', () => {
  it.each<{ reason: string; change: (i: Inventory) => Inventory; platform: string[]; notes: string[] }>([
    {
      reason: 'as the operator leaves them: what each backend does with them, and what deleting each does',
      change: (i) => i,
      platform: [],
      notes: [ACCOUNT_ORPHANED, KEYSTONE_ORPHANED],
    },
    {
      reason: 'a service without endpoints: only the service is named',
      change: without('KeystoneEndpoint'),
      platform: [],
      notes: [
        ACCOUNT_ORPHANED,
        'KeystoneService openstack/placement: with the keystone-operator backend the PlacementAPI composes it as its own; with the openstack-provider backend it stays, orphaned, and the keystone-operator still runs it: deleting the KeystoneService deletes Keystone service a1b2c3d4e5f60718293a4b5c6d7e8f90 and user placement at once, and clients no longer find placement, so leave it alone',
      ],
    },
    {
      reason: 'an operator without MariaDBAccounts or keystone-operator objects: nothing is left behind',
      change: without('MariaDBAccount', 'KeystoneService', 'KeystoneEndpoint'),
      platform: [],
      notes: [],
    },
  ])('$reason', ({ change, platform, notes }) => {
    const [entry] = placementSource.plan(change(operated()));
    if (entry?.outcome !== 'migrate') throw new Error(`not migrated: ${JSON.stringify(entry)}`);
    expect({
      platform: entry.platform.map((o) => `${o.kind} ${o.metadata.name}`),
      notes: entry.notes.filter((n) => n.includes('orphaned')),
    }).toEqual({ platform, notes });
  });
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
            metadata: {
              name: 'placement',
              namespace: 'openstack',
              annotations: { 'crossplane.io/paused': 'true' },
            },
            spec: original?.['spec'],
            status: { adopted: ADOPTED },
          },
        ],
        adopted: [
          { what: 'database on openstack', externalName: 'placement' },
          { what: 'database account on openstack', externalName: 'placement_3fa2@%' },
          { what: 'Keystone service placement', externalName: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
          { what: 'Keystone internal endpoint', externalName: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' },
          { what: 'Keystone public endpoint', externalName: '9e8d7c6b5a4938271605f4e3d2c1b0a9' },
        ],
        release: {
          finalizers: ['openstack.org/placementapi'],
          orphanDependents: true,
          beforeReady: true,
          // What holds state is let go by the command: its finalizer (nothing else would take it
          // off) and its owner reference (never left to the garbage collector).
          dependents: [
            ['mariadb.openstack.org/v1beta1', 'MariaDBDatabase', 'placement'],
            ['mariadb.openstack.org/v1beta1', 'MariaDBAccount', 'placement'],
            ['v1', 'Secret', 'placement-db-secret'],
            ['keystone.openstack.org/v1beta1', 'KeystoneService', 'placement'],
            ['keystone.openstack.org/v1beta1', 'KeystoneEndpoint', 'placement'],
          ].map(([apiVersion, kind, name]) => ({
            object: { apiVersion, kind, namespace: 'openstack', name },
            finalizers: kind === 'Secret' ? [] : ['openstack.org/placementapi'],
            ownerUID: '6b1f0c52-0d7e-4f3a-9a51-0c1d2e3f4a5b',
          })),
        },
        notes: [
          'released once the XR is applied, before it is Ready: the operator controls Deployment placement, Services placement-internal and placement-public and the rest, which Crossplane cannot compose until the orphaning delete frees them',
          'the database account placement_3fa2@% (MariaDBAccount placement) keeps its password: Secret placement-db-secret (key DatabasePassword) is set on it and read by the pods, never generated anew',
          ACCOUNT_ORPHANED,
          KEYSTONE_KEPT,
          KEYSTONE_ORPHANED,
          'the Keystone user placement exists (the keystone-operator made it) and no object records its id, which is all provider-openstack adopts by: with the openstack-provider backend its UserV3 meets the existing name and stays unready, as Stackplane has no field for that id yet; use the keystone-operator backend',
          "Deployment placement keeps its selector service=placement, owner=placement (a selector cannot change): its pods get Stackplane's labels besides",
          'created paused (crossplane.io/paused): status.adopted, what it keeps, is written through the status subresource, then the annotation is removed; -o yaml cannot carry status, so apply it with --apply',
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
