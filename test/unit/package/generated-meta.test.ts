// Package metadata generated from scripts/packages.ts: dependencies derived from what the
// Compositions compose, readmes naming every kind served, and check:generated catching hand edits.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputKinds } from '../../../apis/index.js';
import { providerKinds } from '../../../provider/src/kinds.js';
import { readSingleManifest } from '../../../render/manifests.js';
import { allGeneratedFiles, staleFiles } from '../../../scripts/generated-files.js';
import { providerDependencies, type ComposedKind } from '../../../scripts/package-meta/dependencies.js';
import { rbacGrants, replaceSection } from '../../../scripts/package-meta/readme.js';
import { PACKAGES, type PackageName } from '../../../scripts/packages.js';

const composed = (apiVersion: string, kind: string): ComposedKind => ({ apiVersion, kind, source: 'x/y' });
const annotations = async (name: PackageName) =>
  ((await readSingleManifest(PACKAGES[name].meta))['metadata'] as { annotations: Record<string, string> })
    .annotations;
const dependsOn = async (name: PackageName) =>
  ((await readSingleManifest(PACKAGES[name].meta))['spec'] as { dependsOn?: Array<Record<string, string>> })
    .dependsOn ?? [];

describe('dependencies derived from the composed kinds', () => {
  it.each([
    {
      composed: 'compute.openstack.m.crossplane.io/v1alpha1 AggregateV2',
      dependency: 'xpkg.crossplane.io/crossplane-contrib/provider-openstack >=v0.8.0 <v1.0.0 dependsOn',
    },
    {
      composed: 'rds.aws.m.upbound.io/v1beta1 Instance',
      dependency: 'xpkg.upbound.io/upbound/provider-aws-rds >=v2.0.0 <v3.0.0 dependsOn',
    },
    {
      composed: 'compute.m.stackplane.io/v1alpha1 ComputeService',
      dependency: 'ghcr.io/stackplane/provider-stackplane >=v0.1.0 <v1.0.0 dependsOn',
    },
    {
      composed: 'mysql.sql.m.crossplane.io/v1alpha1 Database',
      dependency: 'xpkg.crossplane.io/crossplane-contrib/provider-sql (none) platform',
    },
    { composed: 'apps/v1 Deployment', dependency: undefined },
    { composed: 'protection.crossplane.io/v1beta1 Usage', dependency: undefined },
    { composed: 'keystone.openstack.org/v1beta1 KeystoneService', dependency: undefined },
    { composed: 'openstack.stackplane.io/v1alpha1 PlacementAPI', dependency: undefined },
  ])('$composed: $dependency', ({ composed: c, dependency }) => {
    const [apiVersion, kind] = c.split(' ') as [string, string];
    const deps = providerDependencies(
      'configuration-stackplane-openstack',
      [composed(apiVersion, kind)],
      ['openstack.stackplane.io'],
    );
    expect(deps.map((d) => `${d.package} ${d.version ?? '(none)'} ${d.installedBy}`)[0]).toBe(dependency);
  });

  it('refuses a managed kind no Provider in scripts/packages.ts serves, naming it and its example', () => {
    expect(() =>
      providerDependencies(
        'configuration-stackplane-data',
        [composed('widgets.example.crossplane.io/v1', 'Widget')],
        [],
      ),
    ).toThrow(
      'cannot derive the dependencies of configuration-stackplane-data: no Provider in scripts/packages.ts ' +
        'PROVIDERS serves widgets.example.crossplane.io (Widget, composed by example x/y)',
    );
  });

  it('declares provider-openstack, whose AggregateV2 every BuildingBlock composes', async () => {
    expect(await dependsOn('configuration-stackplane-openstack')).toContainEqual({
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Provider',
      package: 'xpkg.crossplane.io/crossplane-contrib/provider-openstack',
      version: '>=v0.8.0 <v1.0.0',
    });
    const readme = (await annotations('configuration-stackplane-openstack'))['meta.crossplane.io/readme'];
    expect(readme).toMatch(/provider-openstack\s+\(AggregateV2,/);
  });
});

describe('readmes and descriptions name every kind served', () => {
  it('provider-stackplane: every kind provider/src/kinds.ts registers, and AdoptionGrant', async () => {
    const kinds = Object.values(providerKinds({ readSecret: async () => undefined })).map((k) => k.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ComputeService', 'WebhookNotification']));
    const a = await annotations('provider-stackplane');
    for (const field of ['meta.crossplane.io/readme', 'meta.crossplane.io/description']) {
      const missing = [...kinds, 'AdoptionGrant'].filter(
        (k) => !new RegExp(`\\b${k}\\b`).test(a[field] ?? ''),
      );
      expect({ field, missing }).toEqual({ field, missing: [] });
    }
  });

  it('function-stackplane: every step input kind, BuildingBlock included', async () => {
    const readme = (await annotations('function-stackplane'))['meta.crossplane.io/readme'] ?? '';
    const inputs = [...readme.matchAll(/^- (\w+) \(fn\.stackplane\.io\/v1alpha1\)/gm)].map((m) => m[1]);
    expect(inputs).toContain('BuildingBlock');
    expect(inputs.sort()).toEqual(inputKinds.map((k) => k.kind).sort());
  });
});

describe('README sections', () => {
  it('names the markers a README lacks', () => {
    expect(() => replaceSection('# no markers\n', 'packages', 'x')).toThrow(
      'cannot generate the README section packages: add the lines ' +
        '<!-- begin generated: packages (npm run generate; do not edit) --> and <!-- end generated: packages -->',
    );
  });

  it('says what each ClusterRole of package/rbac/ grants', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rbac-'));
    try {
      await writeFile(
        join(dir, 'c.yaml'),
        [
          'apiVersion: rbac.authorization.k8s.io/v1',
          'kind: ClusterRole',
          'metadata: {name: r, labels: {rbac.crossplane.io/aggregate-to-crossplane: "true"}}',
          'rules:',
          '  - {apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}',
          '  - {apiGroups: [apps], resources: [daemonsets], verbs: [get, list, watch, create, update, patch, delete]}',
          '  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind, escalate], resourceNames: [a]}',
          '  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind, escalate], resourceNames: [b]}',
        ].join('\n'),
      );
      expect(await rbacGrants(dir)).toBe(
        [
          `- \`${dir}/c.yaml\`:`,
          '  - aggregated into `crossplane`: read nodes (core). compose daemonsets (apps). bind, escalate',
          '    clusterroles `a`, `b` (rbac.authorization.k8s.io).',
        ].join('\n'),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('check:generated', () => {
  let root: string;
  let files: Map<string, string>;

  beforeAll(async () => {
    files = await allGeneratedFiles();
    root = await mkdtemp(join(tmpdir(), 'generated-'));
    for (const [path, content] of files) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
  }, 60_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds the committed files up to date', async () => {
    expect(await staleFiles('.', files)).toEqual([]);
    expect(await staleFiles(root, files)).toEqual([]);
  });

  it.each([
    {
      file: 'package/configuration-openstack/crossplane.yaml',
      edit: (s: string) =>
        s.replace(/\n {4}- apiVersion: pkg.crossplane.io\/v1\n {6}kind: Provider[^]*$/, '\n'),
    },
    {
      file: 'package/provider/crossplane.yaml',
      edit: (s: string) => s.replace(/\n {6}- WebhookNotification [^\n]*\n(?: {8}[^\n]*\n)*/, '\n'),
    },
    { file: 'README.md', edit: (s: string) => s.replace(/\n\| `provider-stackplane` [^\n]*/, '') },
    {
      file: 'README.md',
      edit: (s: string) => s.replace('compose daemonsets', 'compose deployments, daemonsets'),
    },
  ])('detects a hand edit of $file', async ({ file, edit }) => {
    const original = await readFile(join(root, file), 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    await writeFile(join(root, file), edited);
    try {
      expect(await staleFiles(root, files)).toEqual([file]);
    } finally {
      await writeFile(join(root, file), original);
    }
  });
});
