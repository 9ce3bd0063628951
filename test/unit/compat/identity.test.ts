// check:compat's rules on crafted renders: each identity change fails once, a CHANGELOG note names
// its migration, and a change to a mutable field is no finding.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../functions/types.js';
import type { CompatNote } from '../../../scripts/release/changelog.js';
import {
  applyNotes,
  compareExample,
  type Change,
  type ExampleRender,
} from '../../../scripts/compat/identity.js';
import {
  crdImmutableFields,
  immutableFields,
  KNOWN_IMMUTABLE_FIELDS,
} from '../../../scripts/compat/immutable.js';
import { formatReport } from '../../../scripts/compat/report.js';

type Modifier = (o: KubeObject) => KubeObject;

/** An RDS instance as the postgres/aws example composes it; modifiers change one thing. */
function instance(...modifiers: Modifier[]): KubeObject {
  const base: KubeObject = {
    apiVersion: 'rds.aws.m.upbound.io/v1beta1',
    kind: 'Instance',
    metadata: {
      name: 'orders-postgres',
      annotations: {
        'crossplane.io/composition-resource-name': 'instance',
        'crossplane.io/external-name': 'qwerty-team-a-orders',
      },
    },
    spec: { forProvider: { engine: 'postgres', instanceClass: 'db.m6g.large', region: 'eu-west-1' } },
  };
  return modifiers.reduce((o, modify) => modify(o), base);
}
const meta = (o: KubeObject) => o['metadata'] as { name: string; annotations: Record<string, string> };
const forProvider = (o: KubeObject) => (o['spec'] as { forProvider: Record<string, unknown> }).forProvider;
const withResourceName =
  (name: string): Modifier =>
  (o) => ({
    ...o,
    metadata: {
      ...meta(o),
      annotations: { ...meta(o).annotations, 'crossplane.io/composition-resource-name': name },
    },
  });
const withExternalName =
  (name: string): Modifier =>
  (o) => ({
    ...o,
    metadata: { ...meta(o), annotations: { ...meta(o).annotations, 'crossplane.io/external-name': name } },
  });
const withName =
  (name: string): Modifier =>
  (o) => ({ ...o, metadata: { ...meta(o), name } });
const withKind =
  (kind: string): Modifier =>
  (o) => ({ ...o, kind });
const withForProvider =
  (field: string, value: unknown): Modifier =>
  (o) => ({ ...o, spec: { forProvider: { ...forProvider(o), [field]: value } } });

const render = (...composed: KubeObject[]): ExampleRender => ({
  name: 'postgres/aws',
  request: { xrPath: 'xr.yaml' },
  composed,
});
const note = (target: string): CompatNote => ({ target, reason: 'moved by snapshot', line: 14 });

describe('compareExample', () => {
  it.each<[string, ExampleRender, Change[]]>([
    [
      'a removed resource',
      render(),
      [
        {
          rule: 'removed',
          resource: 'instance',
          message:
            'removed: Crossplane deletes the rds.aws.m.upbound.io/v1beta1 Instance it composed, and with it what it manages',
        },
      ],
    ],
    [
      'a renamed resource',
      render(instance(withResourceName('database'))),
      [
        {
          rule: 'renamed',
          resource: 'instance',
          message:
            'renamed to "database": Crossplane deletes what it composed as "instance" and composes "database" anew',
        },
      ],
    ],
    [
      'a changed kind',
      render(instance(withKind('Cluster'))),
      [
        {
          rule: 'kind',
          resource: 'instance',
          message:
            'rds.aws.m.upbound.io/v1beta1 Instance becomes rds.aws.m.upbound.io/v1beta1 Cluster: Crossplane composes a new object and deletes the old one',
        },
      ],
    ],
    [
      'a changed metadata.name',
      render(instance(withName('orders-db'))),
      [
        {
          rule: 'name',
          resource: 'instance',
          message: 'metadata.name "orders-postgres" becomes "orders-db": another object',
        },
      ],
    ],
    [
      'a changed external name',
      render(instance(withExternalName('orders'))),
      [
        {
          rule: 'external-name',
          resource: 'instance',
          message:
            'crossplane.io/external-name "qwerty-team-a-orders" becomes "orders": the provider looks for another external object',
        },
      ],
    ],
    [
      'a changed immutable field',
      render(instance(withForProvider('engine', 'mysql'))),
      [
        {
          rule: 'immutable',
          resource: 'instance',
          message:
            'spec.forProvider.engine "postgres" becomes "mysql": immutable (Terraform AWS provider: changing it forces a new resource)',
        },
      ],
    ],
    [
      'an immutable field newly set',
      render(instance(withForProvider('storageEncrypted', true))),
      [
        {
          rule: 'immutable',
          resource: 'instance',
          message:
            'spec.forProvider.storageEncrypted unset becomes true: immutable (Terraform AWS provider: changing it forces a new resource)',
        },
      ],
    ],
    [
      'an example that no longer renders',
      { name: 'postgres/aws', request: { xrPath: 'xr.yaml' }, error: 'spec.tier: is required' },
      [{ rule: 'render', message: 'the example no longer renders: spec.tier: is required' }],
    ],
    ['a changed mutable field', render(instance(withForProvider('instanceClass', 'db.m6g.xlarge'))), []],
    [
      'an added resource',
      render(
        instance(),
        instance(withResourceName('replica'), withExternalName('replica'), withName('replica')),
      ),
      [],
    ],
  ])('finds %s', (_, after, want) => {
    expect(compareExample(render(instance()), after, KNOWN_IMMUTABLE_FIELDS)).toEqual(want);
  });

  it('reads provider-stackplane immutable fields from its CRDs', async () => {
    const fields = await crdImmutableFields('package/provider/crds');
    expect(fields['reseller.m.stackplane.io/Project']?.map((f) => f.path)).toEqual([
      'spec.forProvider.name',
      'spec.forProvider.networkPreconfigure',
    ]);
    expect(fields['storage.m.stackplane.io/Project']?.[0]).toEqual({
      path: 'spec.forProvider.name',
      why: "projects.storage.m.stackplane.io.yaml: the CRD's rule self == oldSelf",
    });
    const project = (name: string): KubeObject => ({
      apiVersion: 'reseller.m.stackplane.io/v1alpha1',
      kind: 'Project',
      metadata: { annotations: { 'crossplane.io/composition-resource-name': 'project' } },
      spec: { forProvider: { name } },
    });
    const changes = compareExample(
      { ...render(project('shop')) },
      render(project('shop-prod')),
      await immutableFields(),
    );
    expect(changes.map((c) => c.message)).toEqual([
      `spec.forProvider.name "shop" becomes "shop-prod": immutable (projects.reseller.m.stackplane.io.yaml: the CRD's rule self == oldSelf)`,
    ]);
  });
});

describe('applyNotes', () => {
  const removed = compareExample(render(instance()), render(), KNOWN_IMMUTABLE_FIELDS);

  it.each([
    ['the resource', 'postgres/aws/instance', true],
    ['the whole example', 'postgres/aws', true],
    ['another resource', 'postgres/aws/replica', false],
    ['another example', 'postgres/in-cluster/instance', false],
  ])('a note naming %s covers it: %s', (_, target, covered) => {
    expect(applyNotes('postgres/aws', removed, [note(target)])[0]?.migration).toEqual(
      covered ? note(target) : undefined,
    );
  });
});

describe('formatReport', () => {
  it('prints each example, its changes and a failing verdict when one has no migration', () => {
    const changes = compareExample(
      render(instance()),
      render(instance(withForProvider('engine', 'mysql'), withExternalName('orders'))),
      KNOWN_IMMUTABLE_FIELDS,
    );
    const notes = [note('postgres/aws/instance'), note('redis/aws/cluster')];
    const reports = [
      { name: 'postgres/aws', resources: 1, changes },
      {
        name: 'postgres/in-cluster',
        resources: 4,
        changes: applyNotes('postgres/in-cluster', changes, notes),
      },
      { name: 'user/sample', resources: 1, changes: [] },
    ];
    expect(formatReport(reports, 'v0.1.0 (50a2cd4)', notes)).toEqual({
      ok: false,
      lines: [
        'FAIL  postgres/aws: 2 identity changes, 2 without a migration in CHANGELOG.md',
        '      instance: crossplane.io/external-name "qwerty-team-a-orders" becomes "orders": the provider looks for another external object',
        '      instance: spec.forProvider.engine "postgres" becomes "mysql": immutable (Terraform AWS provider: changing it forces a new resource)',
        'FAIL  postgres/in-cluster: 2 identity changes, 2 without a migration in CHANGELOG.md',
        '      instance: crossplane.io/external-name "qwerty-team-a-orders" becomes "orders": the provider looks for another external object',
        '      instance: spec.forProvider.engine "postgres" becomes "mysql": immutable (Terraform AWS provider: changing it forces a new resource)',
        'ok    user/sample: 1 composed resource keeps its identity',
        'note: CHANGELOG.md line 14 names "postgres/aws/instance", which changes nothing against v0.1.0 (50a2cd4)',
        'note: CHANGELOG.md line 14 names "redis/aws/cluster", which changes nothing against v0.1.0 (50a2cd4)',
        'check:compat: 4 identity changes in 2 examples of v0.1.0 (50a2cd4) without a migration: name each under "## Unreleased" in CHANGELOG.md as "compat: <example>/<resource-name>: <reason>"',
      ],
    });
  });

  it('passes when every change has a migration', () => {
    const notes = [note('postgres/aws/instance')];
    const changes = applyNotes(
      'postgres/aws',
      compareExample(render(instance()), render(), KNOWN_IMMUTABLE_FIELDS),
      notes,
    );
    expect(
      formatReport([{ name: 'postgres/aws', resources: 1, changes }], 'v0.1.0 (50a2cd4)', notes),
    ).toEqual({
      ok: true,
      lines: [
        'ok    postgres/aws: 1 identity change, each named in CHANGELOG.md',
        '      instance: removed: Crossplane deletes the rds.aws.m.upbound.io/v1beta1 Instance it composed, and with it what it manages [migration, CHANGELOG.md line 14: moved by snapshot]',
        'check:compat: 1 example of v0.1.0 (50a2cd4): every composed resource keeps its identity or has a migration',
      ],
    });
  });
});
