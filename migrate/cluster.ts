/**
 * The cluster as the migration sees it: a small port (read, list, server-side apply, finalizers,
 * delete, scale) and its implementation with @kubernetes/client-node. Only apply.ts and
 * read-cluster.ts call it; tests run it against a real kube-apiserver.
 */
import {
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { compositeKinds } from '../apis/index.js';
import { describeRef, refOf } from './objects.js';
import { PAUSED, type KubeObject, type OriginalRef } from './plan.js';

/** The field manager of everything the command writes. */
export const FIELD_MANAGER = 'stackplane-migrate';

export interface Cluster {
  /** The object, or undefined when it does not exist. */
  get(ref: OriginalRef): Promise<KubeObject | undefined>;
  /** Every object of a kind, in one namespace or all; empty when the kind is not served. */
  list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]>;
  /** Server-side apply without forcing: a field another manager owns is a conflict, not overwritten. */
  apply(object: KubeObject): Promise<void>;
  /** Sets the finalizers, only if the object is still at `resourceVersion`; returns it as written. */
  setFinalizers(ref: OriginalRef, finalizers: string[], resourceVersion: string): Promise<KubeObject>;
  /**
   * Sets the finalizers and owner references, only if the object is still at `resourceVersion`:
   * how a dependent is let go of its original.
   */
  letGo(
    ref: OriginalRef,
    metadata: {
      finalizers: string[];
      ownerReferences: NonNullable<KubeObject['metadata']['ownerReferences']>;
    },
    resourceVersion: string,
  ): Promise<void>;
  /** Deletes exactly that object (uid and resourceVersion preconditions), orphaning its dependents. */
  deleteOrphaning(ref: OriginalRef, uid: string, resourceVersion: string): Promise<void>;
  /** Scales a Deployment to 0 replicas; false when it does not exist. */
  scaleToZero(namespace: string, name: string): Promise<boolean>;
  /** Writes a composite's status through its status subresource (a server-side apply does not). */
  seedStatus(object: KubeObject): Promise<void>;
  /** Removes a composite's `crossplane.io/paused` annotation, so Crossplane reconciles it from its status. */
  unpause(ref: OriginalRef): Promise<void>;
}

/** The HTTP status of a client error, when it has one. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The API server's message of a client error, never its request (which may carry a Secret). */
export function messageOf(error: unknown): string {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      // Not JSON: fall through to the error's own message.
    }
  }
  return error instanceof Error ? error.message : String(error);
}

const header = (ref: OriginalRef) => ({
  apiVersion: ref.apiVersion,
  kind: ref.kind,
  metadata: { name: ref.name, ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}) },
});

/** The cluster of a kubeconfig (and context) through @kubernetes/client-node. */
export class KubeCluster implements Cluster {
  private readonly api: KubernetesObjectApi;

  private readonly custom: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig) {
    this.api = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /** The cluster of `--kubeconfig` (else $KUBECONFIG or ~/.kube/config) and `--context`. */
  static load(kubeconfig: string | undefined, context: string | undefined): KubeCluster {
    const config = new KubeConfig();
    if (kubeconfig) config.loadFromFile(kubeconfig);
    else config.loadFromDefault();
    if (context) config.setCurrentContext(context);
    return new KubeCluster(config);
  }

  async get(ref: OriginalRef): Promise<KubeObject | undefined> {
    try {
      return (await this.api.read(header(ref))) as KubeObject;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw new Error(`cannot get ${describeRef(ref)}: ${messageOf(error)}`, { cause: error });
    }
  }

  async list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]> {
    try {
      const list = await this.api.list<KubernetesObject>(apiVersion, kind, namespace);
      // A list's items carry no apiVersion and kind of their own.
      return list.items.map((item) => ({ ...item, apiVersion, kind }) as KubeObject);
    } catch (error) {
      // An operator that is not installed: the API server answers 404 for an unknown group, while
      // client-node's discovery throws a plain Error (no type or code to branch on) for an unknown kind.
      if (statusOf(error) === 404 || /unrecognized api version and kind/i.test(messageOf(error))) return [];
      throw new Error(`cannot list ${kind} (${apiVersion}): ${messageOf(error)}`, { cause: error });
    }
  }

  async apply(object: KubeObject): Promise<void> {
    try {
      await this.api.patch(object, undefined, undefined, FIELD_MANAGER, false, PatchStrategy.ServerSideApply);
    } catch (error) {
      throw new Error(`cannot apply ${describeRef(refOf(object))}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async setFinalizers(ref: OriginalRef, finalizers: string[], resourceVersion: string): Promise<KubeObject> {
    const patch = { ...header(ref), metadata: { ...header(ref).metadata, finalizers, resourceVersion } };
    try {
      return (await this.api.patch(
        patch,
        undefined,
        undefined,
        FIELD_MANAGER,
        undefined,
        PatchStrategy.MergePatch,
      )) as KubeObject;
    } catch (error) {
      throw new Error(`cannot remove the finalizers of ${describeRef(ref)}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async letGo(
    ref: OriginalRef,
    metadata: {
      finalizers: string[];
      ownerReferences: NonNullable<KubeObject['metadata']['ownerReferences']>;
    },
    resourceVersion: string,
  ): Promise<void> {
    const patch = { ...header(ref), metadata: { ...header(ref).metadata, ...metadata, resourceVersion } };
    try {
      await this.api.patch(patch, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch);
    } catch (error) {
      throw new Error(`cannot let ${describeRef(ref)} go of its original: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async deleteOrphaning(ref: OriginalRef, uid: string, resourceVersion: string): Promise<void> {
    try {
      await this.api.delete(header(ref), undefined, undefined, undefined, undefined, 'Orphan', {
        propagationPolicy: 'Orphan',
        preconditions: { uid, resourceVersion },
      });
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw new Error(`cannot delete ${describeRef(ref)}: ${messageOf(error)}`, { cause: error });
    }
  }

  async seedStatus(object: KubeObject): Promise<void> {
    const ref = refOf(object);
    const path = compositePath(ref, 'seed the status of');
    try {
      await this.custom.patchNamespacedCustomObjectStatus(
        {
          ...path,
          body: { status: object['status'] },
          fieldManager: FIELD_MANAGER,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (error) {
      throw new Error(`cannot seed the status of ${describeRef(ref)}: ${messageOf(error)}`, { cause: error });
    }
  }

  async unpause(ref: OriginalRef): Promise<void> {
    const path = compositePath(ref, 'unpause');
    try {
      await this.custom.patchNamespacedCustomObject(
        {
          ...path,
          body: { metadata: { annotations: { [PAUSED]: null } } },
          fieldManager: FIELD_MANAGER,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (error) {
      throw new Error(`cannot unpause ${describeRef(ref)}: ${messageOf(error)}`, { cause: error });
    }
  }

  async scaleToZero(namespace: string, name: string): Promise<boolean> {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name };
    try {
      await this.api.patch(
        { ...header(ref), spec: { replicas: 0 } },
        undefined,
        undefined,
        FIELD_MANAGER,
        undefined,
        PatchStrategy.MergePatch,
      );
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw new Error(`cannot scale ${describeRef(ref)} to 0: ${messageOf(error)}`, { cause: error });
    }
  }
}

/** Where a namespaced Stackplane composite is served; `doing` words the error for anything else. */
function compositePath(ref: OriginalRef, doing: string) {
  const [group, version] = ref.apiVersion.split('/') as [string, string];
  const kind = compositeKinds.find((k) => k.group === group && k.kind === ref.kind);
  if (!kind || ref.namespace === undefined)
    throw new Error(`cannot ${doing} ${describeRef(ref)}: not a namespaced Stackplane composite`);
  return { group, version, namespace: ref.namespace, plural: kind.plural, name: ref.name };
}
