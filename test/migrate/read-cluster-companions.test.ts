// What the reader lists from a cluster: the originals and companions of every source, and the
// Secrets of the namespaces the originals (not their companions) live in.
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../migrate/cluster.js';
import type { KubeObject, MigrationSource } from '../../migrate/plan.js';
import { readCluster } from '../../migrate/read-cluster.js';

const object = (apiVersion: string, kind: string, namespace: string, name: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
});

/** A cluster that lists what it holds and nothing else: reading never writes. */
function holding(objects: KubeObject[]): { cluster: Cluster; listed: string[] } {
  const listed: string[] = [];
  const cluster = {
    list: async (apiVersion: string, kind: string, namespace?: string) => {
      listed.push(`${kind}${namespace ? ` in ${namespace}` : ''}`);
      return objects.filter(
        (o) =>
          o.apiVersion === apiVersion &&
          o.kind === kind &&
          (namespace === undefined || o.metadata.namespace === namespace),
      );
    },
  } as Partial<Cluster> as Cluster;
  return { cluster, listed };
}

const source: MigrationSource = {
  name: 'placement-operator',
  kinds: [
    { group: 'placement.openstack.org', version: 'v1beta1', kind: 'PlacementAPI', plural: 'placementapis' },
    { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', companion: true },
  ],
  plan: () => [],
};

describe('readCluster with companions', () => {
  it("reads the Secrets of the originals' namespaces, not of every namespace a companion sits in", async () => {
    const placement = object('placement.openstack.org/v1beta1', 'PlacementAPI', 'openstack', 'placement');
    const deployments = [
      object('apps/v1', 'Deployment', 'openstack', 'placement'),
      object('apps/v1', 'Deployment', 'crossplane-system', 'crossplane'),
    ];
    const secret = object('v1', 'Secret', 'openstack', 'placement-db-secret');
    const { cluster, listed } = holding([
      placement,
      ...deployments,
      secret,
      object('v1', 'Secret', 'crossplane-system', 'crossplane-root-ca'),
    ]);
    const inventory = await readCluster(cluster, [source], {
      namespaces: [],
      secretNamespaces: [],
      operators: new Map(),
    });
    expect(inventory.objects).toEqual([placement, ...deployments, secret]);
    expect(listed).toEqual(['PlacementAPI', 'Deployment', 'Secret in openstack']);
  });
});
