import {
  KubeApiError,
  type KubeClient,
  type KubeList,
  type KubeObject,
  type ResourceType,
} from '../../provider/src/runtime/kube.js';
import { jsonEqual } from '../../provider/src/runtime/json.js';

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** value with the keys of every object sorted, as the API server serializes unstructured objects. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortKeys(object[key])]),
  ) as T;
}

interface StoredMeta {
  resourceVersion?: string;
  generation?: number;
  finalizers?: string[];
  deletionTimestamp?: string;
}

/** The parts of an object that make up its desired state: everything but metadata and status. */
function desiredState(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, ...rest } = object as KubeObject & { status?: unknown };
  return rest;
}

/**
 * An in-memory KubeClient for reconciler unit tests that behaves like kube-apiserver where the runtime
 * depends on it: objects come back with their map keys sorted (not in the order they were written),
 * resource versions change on every write, conditional merge patches fail with 409 on a stale
 * resourceVersion, a write that changes nothing keeps the resourceVersion, metadata.generation moves only when the desired state changes, the status
 * subresource changes only status (and the main resource never does), and deleting an object with
 * finalizers only sets its deletionTimestamp until the last finalizer goes. Every call is recorded as
 * "<verb> <plural> <name>".
 */
export class FakeKube implements KubeClient {
  readonly objects = new Map<string, KubeObject>();
  readonly calls: string[] = [];
  private version = 1;

  private key(type: ResourceType, name: string, namespace?: string): string {
    return `${type.plural}/${type.namespaced ? (namespace ?? '') : ''}/${name}`;
  }

  /** Stores object as the API server would return it. */
  seed<T extends KubeObject>(type: ResourceType, object: T): T {
    const meta = object.metadata as KubeObject['metadata'] & StoredMeta;
    const stored = sortKeys(
      structuredClone({
        ...object,
        metadata: { ...meta, generation: meta.generation ?? 1, resourceVersion: String(this.version++) },
      }),
    );
    this.objects.set(this.key(type, object.metadata.name, object.metadata.namespace), stored);
    return structuredClone(stored);
  }

  async get<T extends KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    this.calls.push(`get ${type.plural} ${name}`);
    const object = this.objects.get(this.key(type, name, namespace));
    return object === undefined ? undefined : (structuredClone(object) as T);
  }

  /** Lists; labelSelector supports "key=value". */
  async list<T extends KubeObject>(
    type: ResourceType,
    namespace?: string,
    labelSelector?: string,
  ): Promise<KubeList<T>> {
    this.calls.push(`list ${type.plural}`);
    const prefix = `${type.plural}/${namespace ?? ''}`;
    const [label, value] = labelSelector?.split('=') ?? [];
    const items = [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, o]) => structuredClone(o) as T)
      .filter((o) => label === undefined || o.metadata.labels?.[label] === value);
    return { metadata: { resourceVersion: String(this.version) }, items };
  }

  async create<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    this.calls.push(`create ${type.plural} ${object.metadata.name}`);
    if (this.objects.has(this.key(type, object.metadata.name, object.metadata.namespace))) {
      throw new KubeApiError(409, 'AlreadyExists', `${type.plural} "${object.metadata.name}" already exists`);
    }
    const { generation: _generation, ...metadata } = object.metadata as KubeObject['metadata'] & StoredMeta;
    return this.seed(type, { ...object, metadata: { ...metadata, generation: 1 } });
  }

  async mergePatch<T extends KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: unknown,
    subresource?: 'status',
  ): Promise<T> {
    this.calls.push(`patch ${type.plural}${subresource ? '/status' : ''} ${name}`);
    const key = this.key(type, name, namespace);
    const existing = this.objects.get(key);
    if (existing === undefined) throw new KubeApiError(404, 'NotFound', `${type.plural} "${name}" not found`);
    const wanted = (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== existing.metadata.resourceVersion) {
      throw new KubeApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${type.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const merged = mergePatch(existing, patch) as KubeObject & { status?: unknown };
    const { status: _ignored, ...withoutStatus } = merged;
    const { status: existingStatus } = existing as KubeObject & { status?: unknown };
    const applied: KubeObject =
      subresource === 'status'
        ? { ...existing, ...(merged.status === undefined ? {} : { status: merged.status }) }
        : { ...withoutStatus, ...(existingStatus === undefined ? {} : { status: existingStatus }) };
    const meta = existing.metadata as KubeObject['metadata'] & StoredMeta;
    const changed = !jsonEqual(desiredState(existing), desiredState(applied));
    const generation = (meta.generation ?? 1) + (changed ? 1 : 0);
    const next = { ...applied, metadata: { ...applied.metadata, generation } };
    // A write that changes nothing is dropped: no new resourceVersion, no watch event.
    if (jsonEqual(next, existing)) return structuredClone(existing) as unknown as T;
    const nextMeta = next.metadata as KubeObject['metadata'] & StoredMeta;
    if (nextMeta.deletionTimestamp !== undefined && (nextMeta.finalizers ?? []).length === 0) {
      // The last finalizer of a deleted object went: the API server removes the object.
      this.objects.delete(key);
      return sortKeys(structuredClone(next)) as unknown as T;
    }
    return this.seed(type, next) as unknown as T;
  }

  async delete(type: ResourceType, name: string, namespace?: string): Promise<void> {
    this.calls.push(`delete ${type.plural} ${name}`);
    const key = this.key(type, name, namespace);
    const existing = this.objects.get(key);
    const meta = existing?.metadata as (KubeObject['metadata'] & StoredMeta) | undefined;
    if (existing !== undefined && meta !== undefined && (meta.finalizers ?? []).length > 0) {
      // Finalizers hold the object: it is only marked for deletion.
      if (meta.deletionTimestamp === undefined) {
        this.seed(type, { ...existing, metadata: { ...meta, deletionTimestamp: new Date().toISOString() } });
      }
      return;
    }
    this.objects.delete(key);
  }
}
