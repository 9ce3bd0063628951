// Crossplane runs the Compositions with its Helm chart's ClusterRole, what its RBAC manager grants
// and the ClusterRoles in package/rbac/, never as cluster-admin. Every example is rendered through
// the pipeline; whatever it composes or requires must be granted, and nothing more is shipped.
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { compositeKinds } from '../../apis/index.js';
import { placementInputSchema } from '../../apis/functions/placement-input.js';
import { startLocalFunction, type LocalFunction } from '../../render/grpc.js';
import { loadCompositions } from '../../render/render.js';
import { CONFIGURATIONS, PACKAGES, type PackageName } from '../../scripts/packages.js';
import { emptyAccess, INPUT_VARIANTS, kindKey, record } from '../../scripts/rbac/access.js';
import { excessPermissions, missingPermissions } from '../../scripts/rbac/check.js';
import {
  crossplaneChartRules,
  providerDependencies,
  providerGroups,
} from '../../scripts/rbac/crossplane-grants.js';
import { allows, describePermission, type PolicyRule } from '../../scripts/rbac/policy.js';
import {
  deriveClusterRole,
  neededPermissions,
  roleFile,
  roleName,
  type BaseGrants,
} from '../../scripts/rbac/role.js';
import { roleYaml } from '../../scripts/rbac/role-yaml.js';
import { configurationGroups, tenantRoleFile, tenantRolesYaml } from '../../scripts/rbac/tenant.js';
import { cliRequired } from '../support/crossplane-cli.js';

// Crossplane's ClusterRole comes from the chart in the pinned Go module; CI has it (it builds the
// CLI from that module), elsewhere `go mod download` fetches it.
const chart = await crossplaneChartRules().catch((error: unknown) => error as Error);
if (chart instanceof Error) {
  const why = `cannot read Crossplane's Helm chart from the Go module cache: ${chart.message}`;
  if (cliRequired) throw new Error(`STACKPLANE_REQUIRE_CROSSPLANE_CLI=1 but ${why}`);
  console.warn(`\n*** SKIPPING RBAC tests: ${why} ***\n`);
}

type Derived = Awaited<ReturnType<typeof deriveClusterRole>>;
const derived = new Map<PackageName, Derived>();
let fn: LocalFunction;

const shippedRules = async (configuration: PackageName): Promise<PolicyRule[]> =>
  (parse(await readFile(roleFile(configuration), 'utf8')) as { rules: PolicyRule[] }).rules;

describe.skipIf(chart instanceof Error)('RBAC for what the Compositions compose', () => {
  beforeAll(async () => {
    fn = await startLocalFunction();
    for (const configuration of CONFIGURATIONS) {
      derived.set(configuration, await deriveClusterRole(configuration, fn.address));
    }
  });
  afterAll(async () => {
    await fn?.stop();
  });

  const get = (configuration: PackageName) => derived.get(configuration)!;

  it("ships Crossplane's and the namespace users' roles per Configuration in package/rbac, nothing else", async () => {
    // Another file there would be a shipped role this test never checks.
    expect((await readdir('package/rbac')).sort()).toEqual(
      CONFIGURATIONS.flatMap((c) => [basename(roleFile(c)), basename(tenantRoleFile(c))]).sort(),
    );
  });

  it("reads Crossplane's own ClusterRole from its Helm chart", () => {
    const rules = (chart as { rules: PolicyRule[] }).rules;
    expect(allows(rules, { group: '', resource: 'secrets', verb: 'delete' })).toBe(true);
    expect(allows(rules, { group: 'apps', resource: 'deployments', verb: 'patch' })).toBe(true);
    expect(allows(rules, { group: 'apps', resource: 'statefulsets', verb: 'get' })).toBe(false);
    expect(allows(rules, { group: 'rbac.authorization.k8s.io', resource: 'roles', verb: 'create' })).toBe(
      false,
    );
  });

  it.each(CONFIGURATIONS)('%s: every kind composed or required is granted', async (configuration) => {
    const { needed, base } = get(configuration);
    expect(missingPermissions(needed, base, await shippedRules(configuration))).toEqual([]);
  });

  it.each(CONFIGURATIONS)('%s: the shipped role grants nothing more', async (configuration) => {
    const { needed, base } = get(configuration);
    const shipped = await shippedRules(configuration);
    expect(excessPermissions(needed, base, shipped)).toEqual([]);
    // Crossplane's chart already lets it manage Secrets; a shipped role never widens that.
    expect(shipped.filter((r) => r.resources.includes('secrets'))).toEqual([]);
  });

  it.each(CONFIGURATIONS)(
    '%s: the shipped file is what npm run generate:rbac derives',
    async (configuration) => {
      const { role } = get(configuration);
      expect(role.metadata.name).toBe(roleName(configuration));
      expect(await readFile(roleFile(configuration), 'utf8'), 'stale: run npm run generate:rbac').toBe(
        roleYaml(configuration, role),
      );
    },
  );

  it.each(CONFIGURATIONS)(
    '%s: composes managed resources only of Providers it depends on',
    async (configuration) => {
      const { access } = get(configuration);
      const used = new Set(
        [...access.composed.values(), ...access.required.values()].map((k) => k.apiVersion.split('/')[0]!),
      );
      // Every Provider dependency serves a kind the Compositions compose or read: none is dead weight.
      for (const dep of await providerDependencies(PACKAGES[configuration].meta)) {
        const { groups, groupSuffixes } = await providerGroups(dep);
        expect(
          [...used].filter((g) => groups.includes(g) || groupSuffixes.some((suffix) => g.endsWith(suffix))),
          `${dep} serves nothing ${configuration} uses`,
        ).not.toEqual([]);
      }
      // A Crossplane provider's kinds come with its package (the RBAC manager's roles), never from a
      // shipped role: a rule naming one means a dependency is missing.
      const shipped = await shippedRules(configuration);
      expect(
        shipped
          .flatMap((r) => r.apiGroups)
          .filter((g) => /stackplane\.io$|upbound\.io$|crossplane\.io$/.test(g)),
      ).toEqual([]);
    },
  );

  it("derives the kinds Crossplane's chart role lacks from the rendered Compositions", () => {
    const composed = new Set(CONFIGURATIONS.flatMap((c) => [...get(c).access.composed.keys()]));
    for (const kind of [
      'apps/v1 StatefulSet',
      'batch/v1 Job',
      'rbac.authorization.k8s.io/v1 Role',
      'rbac.authorization.k8s.io/v1 RoleBinding',
      'snapshot.storage.k8s.io/v1 VolumeSnapshot',
      'snapshot.storage.k8s.io/v1 VolumeSnapshotClass',
      'storage.k8s.io/v1 StorageClass',
      'elasticache.services.k8s.aws/v1alpha1 Snapshot',
    ]) {
      expect(composed).toContain(kind);
    }
  });

  it('renders every PlacementAPI backend a Composition input can pick', async () => {
    const [composition] = (await loadCompositions('compositions')).filter(
      (c) => c.name === 'placementapis.openstack.stackplane.io',
    );
    const shipped = composition!.pipeline[0]!.input as {
      database: { backend: string };
      keystone: { backend: string };
    };
    const picked = (field: 'database' | 'keystone') =>
      new Set([
        shipped[field].backend,
        ...INPUT_VARIANTS.map((v) => (v.input[field] as { backend?: string } | undefined)?.backend).filter(
          Boolean,
        ),
      ]);
    const options = (field: 'database' | 'keystone') =>
      placementInputSchema.shape[field].unwrap().shape.backend.unwrap().options;
    expect([...picked('database')].sort()).toEqual([...options('database')].sort());
    expect([...picked('keystone')].sort()).toEqual([...options('keystone')].sort());
    const composed = get('configuration-stackplane-openstack').access.composed;
    expect([...composed.keys()]).toEqual(
      expect.arrayContaining([
        kindKey({ apiVersion: 'k8s.mariadb.com/v1alpha1', kind: 'Database' }),
        kindKey({ apiVersion: 'keystone.openstack.org/v1beta1', kind: 'KeystoneService' }),
        kindKey({ apiVersion: 'identity.openstack.m.crossplane.io/v1alpha1', kind: 'RoleAssignmentV3' }),
      ]),
    );
  });
});

describe('roles for namespace users', () => {
  type Role = { metadata: { name: string; labels: Record<string, string> }; rules: PolicyRule[] };
  const shippedTenantRoles = async (configuration: PackageName): Promise<Role[]> =>
    parseAllDocuments(await readFile(tenantRoleFile(configuration), 'utf8')).map((d) => d.toJS() as Role);
  const granted = (roles: Role[]) =>
    roles.flatMap((r) =>
      r.rules.flatMap((rule) => rule.apiGroups.flatMap((g) => rule.resources.map((res) => `${res}.${g}`))),
    );

  it('keeps the operator kinds to operators: BuildingBlock, PlacementAPI, StorageTenant', () => {
    expect(
      compositeKinds
        .filter((k) => k.operatorOnly)
        .map((k) => k.kind)
        .sort(),
    ).toEqual(['BuildingBlock', 'PlacementAPI', 'StorageTenant']);
  });

  it.each(CONFIGURATIONS)(
    '%s: no role for namespace users grants an operator-only kind',
    async (configuration) => {
      const resources = granted(await shippedTenantRoles(configuration));
      for (const kind of compositeKinds.filter((k) => k.operatorOnly || k.scope === 'Cluster')) {
        expect(resources, `${kind.kind} is operator-only`).not.toContain(`${kind.plural}.${kind.group}`);
      }
      expect(resources).not.toContain('buildingblocks.openstack.stackplane.io');
    },
  );

  it.each(CONFIGURATIONS)(
    "%s: grants every other kind of the Configuration, aggregated into Kubernetes' roles",
    async (configuration) => {
      const roles = await shippedTenantRoles(configuration);
      const groups = configurationGroups(configuration);
      const tenant = compositeKinds.filter(
        (k) => groups.includes(k.group) && !k.operatorOnly && k.scope === 'Namespaced',
      );
      expect(tenant).not.toEqual([]);
      expect(roles.map((r) => [r.metadata.name, r.metadata.labels])).toEqual([
        [
          `stackplane:${configuration}:aggregate-to-edit`,
          {
            'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
            'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          },
        ],
        [
          `stackplane:${configuration}:aggregate-to-view`,
          { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
        ],
      ]);
      for (const role of roles) {
        expect(granted([role]).sort()).toEqual(tenant.map((k) => `${k.plural}.${k.group}`).sort());
      }
    },
  );

  it.each(CONFIGURATIONS)(
    '%s: the shipped file is what npm run generate:rbac derives',
    async (configuration) => {
      expect(await readFile(tenantRoleFile(configuration), 'utf8'), 'stale: run npm run generate:rbac').toBe(
        tenantRolesYaml(configuration),
      );
    },
  );
});

describe('the RBAC checks', () => {
  const base: BaseGrants = {
    chart: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'delete'] }],
    rbacManager: [{ apiGroups: ['data.stackplane.io'], resources: ['*'], verbs: ['*'] }],
    rbacManagerGroupSuffixes: ['.sql.m.crossplane.io'],
  };
  const needed = [
    { group: 'apps', resource: 'statefulsets', verb: 'create' },
    { group: '', resource: 'secrets', verb: 'delete' },
    { group: 'mysql.sql.m.crossplane.io', resource: 'databases', verb: 'create' },
    {
      group: 'security.openshift.io',
      resource: 'securitycontextconstraints',
      verb: 'use',
      resourceName: 'nonroot-v2',
    },
  ];
  const exact: PolicyRule[] = [
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['create'] },
    {
      apiGroups: ['security.openshift.io'],
      resources: ['securitycontextconstraints'],
      verbs: ['use'],
      resourceNames: ['nonroot-v2'],
    },
  ];

  it.each<[string, { shipped: PolicyRule[]; missing: string[]; excess: string[] }]>([
    ['exactly what is needed', { shipped: exact, missing: [], excess: [] }],
    [
      'a composed kind nobody grants',
      {
        shipped: exact.slice(1),
        missing: ['create statefulsets.apps'],
        excess: [],
      },
    ],
    [
      'a kind nothing composes',
      {
        shipped: [...exact, { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['create'] }],
        missing: [],
        excess: ['create daemonsets.apps: nothing composes or requires it'],
      },
    ],
    [
      "Secrets, which Crossplane's chart grants already",
      {
        shipped: [...exact, { apiGroups: [''], resources: ['secrets'], verbs: ['delete'] }],
        missing: [],
        excess: ['delete secrets: Crossplane holds it already'],
      },
    ],
    [
      'a named permission for every name',
      {
        shipped: [
          exact[0]!,
          { apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], verbs: ['use'] },
        ],
        missing: [],
        excess: ['use securitycontextconstraints.security.openshift.io: nothing composes or requires it'],
      },
    ],
    [
      'a wildcard',
      {
        shipped: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
        missing: [],
        excess: ['wildcard rule {"apiGroups":["*"],"resources":["*"],"verbs":["*"]}'],
      },
    ],
  ])('%s', (_reason, { shipped, missing, excess }) => {
    expect(missingPermissions(needed, base, shipped)).toEqual(missing);
    expect(excessPermissions(needed, base, shipped)).toEqual(excess);
  });
});

describe('what composing RBAC objects needs', () => {
  const rbac = (kind: string, name: string, extra: Record<string, unknown>) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name },
    ...extra,
  });
  const attacher = rbac('ClusterRole', 'csi-attacher', {
    rules: [{ apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'patch'] }],
  });
  const bindingTo = (kind: string, name: string) =>
    rbac('ClusterRoleBinding', `bind-${name}`, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
    });
  const rbacVerbs = (resource: string) =>
    ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'].map(
      (verb) => `${verb} ${resource}.rbac.authorization.k8s.io`,
    );

  it.each<[string, Record<string, unknown>[], string[]]>([
    [
      'a ClusterRole and its binding: escalate and bind on exactly that role, not what it grants cluster-wide',
      [attacher, bindingTo('ClusterRole', 'csi-attacher')],
      [
        ...rbacVerbs('clusterrolebindings'),
        ...rbacVerbs('clusterroles'),
        'bind clusterroles.rbac.authorization.k8s.io "csi-attacher"',
        'escalate clusterroles.rbac.authorization.k8s.io "csi-attacher"',
      ],
    ],
    [
      'a binding to a role it does not compose: bind on exactly that role',
      [bindingTo('ClusterRole', 'view')],
      [...rbacVerbs('clusterrolebindings'), 'bind clusterroles.rbac.authorization.k8s.io "view"'],
    ],
  ])('%s', async (_reason, composed, want) => {
    const access = emptyAccess();
    record(access, composed, 'test');
    expect((await neededPermissions(access)).map(describePermission).sort()).toEqual(want.sort());
  });

  it('refuses a composed role with nonResourceURLs, which it cannot derive', () => {
    const metrics = rbac('ClusterRole', 'metrics', {
      rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    });
    expect(() => record(emptyAccess(), [metrics], 'test')).toThrow(
      'cannot derive RBAC for ClusterRole "metrics" (test): it grants nonResourceURLs',
    );
  });
});
