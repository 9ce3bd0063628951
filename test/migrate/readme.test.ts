import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject, PlanEntry } from '../../migrate/plan.js';
import { cloudResourceOperator } from '../../migrate/sources/cro.js';
import { durosController } from '../../migrate/sources/duros.js';
import { build, inNamespace, named, vendored, withFinalizers, withSpec, withStatus } from './support.js';

/** The first YAML block after a README heading, as the README shows a plan (notes elided as [...]). */
function readmePlan(heading: string): unknown {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`#### ${heading}\n`));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error(`cannot find the plan under "${heading}" in README.md`);
  return parse(block);
}

/** A plan as the README shows it: each migration's notes elided. */
const elided = (entries: PlanEntry[]) =>
  entries.map((e) => (e.outcome === 'migrate' ? { ...e, notes: ['...'] } : e));

const CRO_FINALIZER = 'cloud-resources-operator.integreatly.org/finalizers';

describe('README plans', () => {
  it('shows what the cloud-resource-operator source plans for its samples', () => {
    const infrastructure: KubeObject = {
      apiVersion: 'config.openshift.io/v1',
      kind: 'Infrastructure',
      metadata: { name: 'cluster' },
      status: { infrastructureName: 'qwerty-x7k2p' },
    };
    const postgres = build(
      vendored('cro/sample-postgres.yaml'),
      inNamespace('team-a'),
      withSpec({ type: 'managed' }),
      withFinalizers(CRO_FINALIZER),
      withStatus({ phase: 'complete', provider: 'aws-rds', strategy: 'aws', version: '13.13' }),
    );
    const redis = build(
      vendored('cro/sample-redis.yaml'),
      inNamespace('team-a'),
      named('example-redis'),
      withSpec({ type: 'workshop', secretRef: { name: 'example-redis-sec' } }),
      withFinalizers(CRO_FINALIZER),
      withStatus({ phase: 'complete', provider: 'openshift-redis-template' }),
    );
    const plan = cloudResourceOperator.plan({ objects: [infrastructure, postgres, redis] });
    expect(readmePlan('Migrating from cloud-resource-operator')).toEqual(elided(plan));
  });

  it('shows what the duros-controller source plans for its sample', () => {
    const duros = build(
      vendored('duros/sample-duros.yaml'),
      withFinalizers('storage.metal-stack.io/finalizer'),
      withStatus({ reconcileStatus: { lastReconcile: '2026-12-01T10:00:00Z' } }),
    );
    expect(readmePlan('Migrating from duros-controller')).toEqual(
      elided(durosController.plan({ objects: [duros] })),
    );
  });
});
