import {
  KubeApiError,
  type KubeClient,
  type KubeList,
  type KubeObject,
  type ResourceType,
} from '../../provider/src/runtime/kube.js';

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

/**
 * An in-memory KubeClient for reconciler unit tests: resource versions, conditional merge patches
 * (409 on a stale resourceVersion) and a status subresource that only changes status. Every call is
 * recorded as "<verb> <plural> <name>".
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
    const stored = structuredClone({
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.version++) },
    });
    this.objects.set(this.key(type, object.metadata.name, object.metadata.namespace), stored);
    return stored;
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
    return this.seed(type, object);
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
        `the object has been modified; please apply your changes to the latest version`,
      );
    }
    const applied =
      subresource === 'status'
        ? { ...existing, status: (mergePatch(existing, patch) as { status?: unknown }).status }
        : (mergePatch(existing, patch) as KubeObject);
    return this.seed(type, applied) as T;
  }

  async delete(type: ResourceType, name: string, namespace?: string): Promise<void> {
    this.calls.push(`delete ${type.plural} ${name}`);
    this.objects.delete(this.key(type, name, namespace));
  }
}
