/**
 * Reads from informer caches: the KubeClient the reconcilers use answers GETs of watched types from
 * the watch's cache, as controller-runtime's client does, so a poll costs no request to the API
 * server. Writes, lists and unwatched types go to the API server. A cache may lag behind the API
 * server by a watch event; every write that depends on what was read is conditional on its
 * resourceVersion, so a stale read ends in a 409 and a silent requeue, never in a wrong write.
 */
import type { KubeClient, KubeList, KubeObject, ResourceType } from './kube.js';
import type { OwnWrites } from './own-writes.js';
import { keyOf } from './resource.js';

/** A synced store of one type's objects, in one namespace or all. */
export interface ObjectStore {
  /** Whether the initial list has been delivered: before that, the store answers nothing. */
  synced(): boolean;
  get(name: string, namespace?: string): KubeObject | undefined;
}

function typeKey(type: ResourceType): string {
  return `${type.plural}.${type.group}/${type.version}`;
}

/** A KubeClient that reads watched types from their stores. */
export class CachingKubeClient implements KubeClient {
  private readonly stores = new Map<string, { store: ObjectStore; namespace: string | undefined }>();
  private readonly ownWrites = new Map<string, OwnWrites>();

  constructor(private readonly api: KubeClient) {}

  /** Answers GETs of type from store; namespace limits it to the namespace the store watches. */
  serve(type: ResourceType, store: ObjectStore, namespace?: string): void {
    this.stores.set(typeKey(type), { store, namespace });
  }

  /** Records every write of type through this client in writes. */
  recordWrites(type: ResourceType, writes: OwnWrites): void {
    this.ownWrites.set(typeKey(type), writes);
  }

  private written<T extends KubeObject>(type: ResourceType, object: T): T {
    this.ownWrites.get(typeKey(type))?.record(keyOf(object.metadata), object.metadata.resourceVersion);
    return object;
  }

  async get<T extends KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    const served = this.stores.get(typeKey(type));
    const covered =
      served !== undefined &&
      served.store.synced() &&
      (!type.namespaced || served.namespace === undefined || served.namespace === namespace);
    if (!covered) return this.api.get<T>(type, name, namespace);
    const object = served.store.get(name, type.namespaced ? namespace : undefined);
    // Callers own what they read: never hand out the cache's own object.
    return object === undefined ? undefined : (structuredClone(object) as T);
  }

  list<T extends KubeObject>(
    type: ResourceType,
    namespace?: string,
    labelSelector?: string,
  ): Promise<KubeList<T>> {
    return this.api.list<T>(type, namespace, labelSelector);
  }

  async create<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    return this.written(type, await this.api.create(type, object));
  }

  async mergePatch<T extends KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: unknown,
    subresource?: 'status',
  ): Promise<T> {
    return this.written(type, await this.api.mergePatch<T>(type, name, namespace, patch, subresource));
  }

  delete(type: ResourceType, name: string, namespace?: string): Promise<void> {
    return this.api.delete(type, name, namespace);
  }
}
