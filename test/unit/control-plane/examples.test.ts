// What the end-to-end tests apply of an example: the user's inputs, never what providers write or
// what the control plane owns.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleObjects } from '../../e2e/support.js';

const summary = (name: string, tree?: string) => {
  const { xr, prerequisites } = exampleObjects(name, tree);
  return {
    xr: `${xr.kind} ${xr.metadata?.namespace ?? ''}/${xr.metadata?.name}`,
    xrHasStatus: 'status' in xr,
    prerequisites: prerequisites.map((o) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`),
    anyStatusOrUID: prerequisites.some((o) => 'status' in o || o.metadata?.uid !== undefined),
  };
};

describe('exampleObjects', () => {
  it.each([
    {
      reason:
        'the namespace, platform configuration and the user Secret; not the connection Secret a provider writes',
      name: 'postgres/aws',
      want: ['Namespace /team-a', 'EnvironmentConfig /stackplane-data'],
    },
    {
      reason: 'the XRs a binding refers to, without their status',
      name: 'userprojectbinding/sample',
      want: ['Namespace /default', 'User default/user-sample', 'Project default/project-sample'],
    },
    {
      reason: 'the service password Secret PlacementAPI reads',
      name: 'placementapi/basic',
      want: ['Namespace /openstack', 'Secret openstack/osp-secret'],
    },
    {
      reason: "the example's prerequisites, then the XRs from its render fixtures, without their status",
      name: 'user/migration',
      want: [
        'Namespace /team-a',
        'EnvironmentConfig /stackplane-reseller',
        'Secret team-a/alice-openstack-password',
        'Project team-a/web',
        'UserProjectBinding team-a/alice-web',
      ],
    },
    {
      reason: 'no provider configs and no kube-system Namespace: the control plane has its own',
      name: 'project/sample',
      want: ['Namespace /default'],
    },
  ])('$name: $reason', ({ name, want }) => {
    const got = summary(name);
    expect(got.prerequisites).toEqual(want);
    expect(got.xrHasStatus).toBe(false);
    expect(got.anyStatusOrUID).toBe(false);
  });
});

describe('exampleObjects of a release tree', () => {
  it('reads the required.yaml v0.1.0 kept beside the XR, filtered as today', () => {
    const tree = mkdtempSync(join(tmpdir(), 'stackplane-release-tree-'));
    const dir = join(tree, 'examples', 'user', 'sample');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'xr.yaml'),
      'apiVersion: reseller.stackplane.io/v1alpha1\nkind: User\nmetadata: {name: user-sample, namespace: default}\nspec: {}\n',
    );
    writeFileSync(
      join(dir, 'required.yaml'),
      [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system, uid: 8f2d6c1e}',
        'apiVersion: m.stackplane.io/v1alpha1\nkind: ClusterProviderConfig\nmetadata: {name: prod1}',
        'apiVersion: reseller.stackplane.io/v1alpha1\nkind: Project\nmetadata: {name: project-sample, namespace: default}\nstatus: {projectID: p1}',
      ].join('\n---\n'),
    );
    const got = summary('user/sample', tree);
    expect(got).toEqual({
      xr: 'User default/user-sample',
      xrHasStatus: false,
      prerequisites: ['Namespace /default', 'Project default/project-sample'],
      anyStatusOrUID: false,
    });
  });
});
