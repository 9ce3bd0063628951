/**
 * Reading what sources need from the objects of an inventory: references, conditions and Secret
 * values. Secret values are only compared or carried into the new resources, never printed.
 */
import type { Inventory, KubeObject, OriginalRef } from './plan.js';

/** The reference of an object, as a plan entry names its original. */
export function refOf(object: KubeObject): OriginalRef {
  const { name, namespace } = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name,
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export function describeRef(ref: OriginalRef): string {
  return `${ref.kind} ${ref.namespace !== undefined ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The objects of one group and kind. */
export function objectsOf(inventory: Inventory, group: string, kind: string): KubeObject[] {
  return inventory.objects.filter(
    (o) => o.kind === kind && (o.apiVersion === group || o.apiVersion.startsWith(`${group}/`)),
  );
}

/** The Secret of that namespace and name, if the inventory holds it. */
export function findSecret(
  inventory: Inventory,
  namespace: string | undefined,
  name: string,
): KubeObject | undefined {
  return inventory.objects.find(
    (o) =>
      o.apiVersion === 'v1' &&
      o.kind === 'Secret' &&
      o.metadata.name === name &&
      // Files may leave a namespaced object's namespace out, as kubectl's default.
      (o.metadata.namespace ?? 'default') === (namespace ?? 'default'),
  );
}

/** The decoded value of a Secret's key (`data`, else `stringData`), when it has one. */
export function secretValue(secret: KubeObject | undefined, key: string): string | undefined {
  const data = secret?.['data'] as Record<string, unknown> | undefined;
  const encoded = data?.[key];
  if (typeof encoded === 'string') return Buffer.from(encoded, 'base64').toString('utf8');
  const plain = (secret?.['stringData'] as Record<string, unknown> | undefined)?.[key];
  return typeof plain === 'string' ? plain : undefined;
}

/** A status condition as the API reports it. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The condition of that type in `status.conditions`, if any. */
export function conditionOf(object: KubeObject, type: string): Condition | undefined {
  const conditions = (object['status'] as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  return (conditions as Condition[]).find((c) => c?.type === type);
}

/**
 * Why an original is not finished according to its condition `type`, or undefined when that
 * condition is True: a resource the operator never finished creating does not move.
 */
export function unfinished(object: KubeObject, type: string): string | undefined {
  const condition = conditionOf(object, type);
  if (condition?.status === 'True') return undefined;
  const fix = 'the operator never finished creating it; let it finish (or delete it), then run migrate again';
  if (!condition) return `status.conditions: no ${type} condition: ${fix}`;
  const why = [condition.reason, condition.message].filter(Boolean).join(': ');
  return `status.conditions: ${type} is ${condition.status}${why ? ` (${why})` : ''}: ${fix}`;
}

/** The finalizers of an object that its operator owns. */
export function finalizersOf(object: KubeObject, owned: readonly string[]): string[] {
  return (object.metadata.finalizers ?? []).filter((f) => owned.includes(f));
}

/** Whether any object of the inventory names this one as its owner. */
export function ownsObjects(inventory: Inventory, object: KubeObject): boolean {
  const uid = object.metadata.uid;
  return (
    uid !== undefined &&
    inventory.objects.some((o) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid))
  );
}
