/**
 * The plan as a person reviews it: per original, what it becomes, what it adopts by which name,
 * what it replaces, how it is let go, and what is refused and why. Never a Secret value.
 */
import { describeRef } from './objects.js';
import type { KubeObject, PlanEntry } from './plan.js';
import type { SourcePlan } from './apply.js';

const group = (o: KubeObject) => (o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : '');
const describeObject = (o: KubeObject) =>
  `${o.kind}${group(o)} ${o.metadata.namespace !== undefined ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

function entryLines(entry: PlanEntry): string[] {
  if (entry.outcome === 'refuse')
    return [`${describeRef(entry.original)}: refused`, ...entry.reasons.map((r) => `  - ${r}`)];
  const lines = [`${describeRef(entry.original)}: migrate`];
  const add = (label: string, values: string[]) => {
    if (values.length > 0) lines.push(`  ${label.padEnd(9)}${values.join(', ')}`);
  };
  add('platform', entry.platform.map(describeObject));
  add('becomes', entry.resources.map(describeObject));
  add(
    'adopts',
    entry.adopted.map((a) => `${a.what} "${a.externalName}"`),
  );
  add(
    'replaces',
    (entry.replaced ?? []).map(
      (r) => `${describeRef(r.object)} (composed anew once ${r.keptIn.name} holds its ${r.keptIn.sourceKey})`,
    ),
  );
  const finalizers = entry.release.finalizers.length > 0 ? entry.release.finalizers.join(', ') : 'none';
  const dependents = (entry.release.dependents ?? []).map((d) => describeRef(d.object));
  add('release', [
    `${entry.release.beforeReady ? 'once its XR is applied' : 'once every XR is Ready'}: ${dependents.length > 0 ? `${dependents.join(', ')} let go first (its finalizers and owner reference removed), ` : ''}finalizers ${finalizers} removed, deleted orphaning its dependents`,
  ]);
  for (const note of entry.notes) lines.push(`  note     ${note}`);
  return lines;
}

/** The whole plan, one block per source, and a summary line. */
export function formatPlan(plans: SourcePlan[]): string {
  const lines: string[] = [];
  for (const plan of plans) {
    if (plan.entries.length === 0) continue;
    lines.push(`${plan.source}:`);
    if (plan.stopsFirst !== undefined && plan.entries.some((e) => e.outcome === 'migrate'))
      lines.push(
        `  first: ${plan.operator ? `Deployment ${plan.operator.namespace}/${plan.operator.name}` : 'its Deployment'} scaled to 0 before anything is applied, as ${plan.stopsFirst}`,
      );
    for (const entry of plan.entries) lines.push(...entryLines(entry).map((l) => `  ${l}`));
    lines.push('');
  }
  const entries = plans.flatMap((p) => p.entries);
  const refused = entries.filter((e) => e.outcome === 'refuse').length;
  lines.push(
    entries.length === 0
      ? 'nothing to migrate: no original resource was found'
      : `${entries.length - refused} to migrate, ${refused} refused (refused originals stay as they are)`,
  );
  return lines.join('\n');
}
