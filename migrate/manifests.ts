/**
 * `-o yaml`: the manifests of the migrations for GitOps, each object once (the EnvironmentConfig is
 * shared), platform objects before the XRs, as `--apply` writes them.
 */
import { stringify } from 'yaml';
import type { KubeObject, Migration, PlanEntry } from './plan.js';

const key = (o: KubeObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The objects the plan writes, deduplicated, in apply order. */
export function manifestsOf(entries: PlanEntry[]): KubeObject[] {
  const migrations = entries.filter((e): e is Migration => e.outcome === 'migrate');
  const objects = new Map<string, KubeObject>();
  for (const object of [...migrations.flatMap((m) => m.platform), ...migrations.flatMap((m) => m.resources)])
    if (!objects.has(key(object))) objects.set(key(object), object);
  return [...objects.values()];
}

/** Multi-document YAML of those objects. */
export function formatManifests(entries: PlanEntry[]): string {
  return manifestsOf(entries)
    .map((o) => stringify(o, { lineWidth: 0 }))
    .join('---\n');
}
