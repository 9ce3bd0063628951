import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, PlanEntry } from '../../migrate/plan.js';
import { loadXrds, unknownFields, validateXr, type Xrd } from '../../render/xrd.js';

const TESTDATA = join(import.meta.dirname, 'testdata');

/** The first object of a vendored upstream file under test/migrate/testdata (its header is a comment). */
export function vendored(path: string): KubeObject {
  const [first] = parseAllDocuments(readFileSync(join(TESTDATA, path), 'utf8'))
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
  if (!first) throw new Error(`cannot read vendored file ${path}: it holds no object`);
  return first;
}

/** A modifier of a builder: changes a copy of the object it is given. */
export type Modifier = (object: KubeObject) => void;

/** A deep copy of `base` with every modifier applied in turn. */
export function build(base: KubeObject, ...modifiers: Modifier[]): KubeObject {
  const object = structuredClone(base);
  for (const modify of modifiers) modify(object);
  return object;
}

export const inNamespace =
  (namespace: string): Modifier =>
  (o) => {
    o.metadata.namespace = namespace;
  };
export const named =
  (name: string): Modifier =>
  (o) => {
    o.metadata.name = name;
  };
export const withFinalizers =
  (...finalizers: string[]): Modifier =>
  (o) => {
    o.metadata.finalizers = finalizers;
  };
export const withAnnotation =
  (key: string, value: string): Modifier =>
  (o) => {
    o.metadata.annotations = { ...o.metadata.annotations, [key]: value };
  };
/** Merges `fields` into the object's spec. */
export const withSpec =
  (fields: Record<string, unknown>): Modifier =>
  (o) => {
    o['spec'] = { ...(o['spec'] as Record<string, unknown>), ...fields };
  };
/** Sets the object's status to `status` (undefined removes it). */
export const withStatus =
  (status: Record<string, unknown> | undefined): Modifier =>
  (o) => {
    if (status === undefined) delete o['status'];
    else o['status'] = status;
  };

let xrds: Promise<Xrd[]> | undefined;

/**
 * A Duros's status as the duros-controller leaves it once reconciled: the CSI driver's workloads as
 * it reports what it deployed (the CRD requires them).
 */
export const OPERATED_DUROS_STATUS = {
  reconcileStatus: { lastReconcile: '2026-12-01T10:00:00Z' },
  managedResourceStatuses: ['lb-csi-controller', 'lb-csi-node'].map((name) => ({
    name,
    group: 'apps',
    state: 'Running',
    description: 'all replicas are ready',
    lastUpdateTime: '2026-12-01T10:00:00Z',
  })),
};

/** Stackplane's generated XRDs (apis/xrds), read once. */
export function stackplaneXrds(): Promise<Xrd[]> {
  xrds ??= loadXrds(join(import.meta.dirname, '../../apis/xrds'), true);
  return xrds;
}

/**
 * Checks every composite a plan writes against Stackplane's XRDs: its spec as the API server would
 * (validateXr), and that each status field it seeds is one the XRD declares.
 */
export async function validatePlan(entries: readonly PlanEntry[]): Promise<void> {
  const all = await stackplaneXrds();
  for (const entry of entries) {
    if (entry.outcome !== 'migrate') continue;
    for (const resource of entry.resources) {
      validateXr(resource, all);
      const status = resource['status'];
      if (status === undefined) continue;
      const xrd = all.find((x) => x.kind === resource.kind);
      const schema = xrd?.versions['v1alpha1']?.properties?.['status'] ?? {};
      const unknown = unknownFields(status, schema, 'status');
      if (unknown.length > 0)
        throw new Error(`${resource.kind} ${resource.metadata.name}: ${unknown.join('; ')}`);
    }
  }
}
