/** Applying and reading arbitrary objects as the admin, with server-side apply like kubectl apply --server-side. */
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

/** The field manager of everything the control plane scripts apply. */
export const FIELD_MANAGER = 'stackplane-control-plane';

/** A Kubernetes object as plain data. */
export type KubeObject = KubernetesObject & Record<string, unknown>;

/** The YAML documents of a file (or text), empty documents left out. */
export function yamlObjects(fileOrText: string, isText = false): KubeObject[] {
  const text = isText ? fileOrText : readFileSync(fileOrText, 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object' && 'kind' in o);
}

/** Server-side applies, reads, lists and deletes objects of any kind. */
export class Objects {
  readonly api: KubernetesObjectApi;

  constructor(private readonly kubeConfig: KubeConfig) {
    this.api = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  /** Server-side applies each object, forcing ownership of its fields. */
  async apply(...objects: KubeObject[]): Promise<void> {
    for (const object of objects) {
      try {
        if (object.kind === 'CustomResourceDefinition') {
          // Not through the typed client: its model serializer drops schema keywords it names
          // differently (`enum`), which would weaken the CRD.
          const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${object.metadata!.name}`;
          const query = `?fieldManager=${FIELD_MANAGER}&force=true`;
          await this.request('PATCH', `${path}${query}`, object, PatchStrategy.ServerSideApply);
          continue;
        }
        await this.api.patch(
          object,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        );
      } catch (error) {
        throw new Error(`cannot apply ${describe(object)}: ${message(error)}`, { cause: error });
      }
    }
  }

  /** Merges body into the object at `path` (a JSON merge patch, as `kubectl patch --type merge`). */
  async mergePatch(path: string, body: Record<string, unknown>): Promise<void> {
    await this.request('PATCH', path, body, PatchStrategy.MergePatch);
  }

  /**
   * Merges status into the status subresource of the object at `path` (e.g.
   * `/apis/apps/v1/namespaces/kube-system/statefulsets/lb-csi-controller`).
   */
  async patchStatus(path: string, status: Record<string, unknown>): Promise<void> {
    await this.request('PATCH', `${path}/status`, { status }, PatchStrategy.MergePatch);
  }

  /** A JSON request to the API server as the kubeconfig's user; rejects on a status outside 2xx. */
  private async request(method: string, path: string, body: unknown, contentType: string): Promise<unknown> {
    const https = await import('node:https');
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error('cannot send a request: the kubeconfig has no current cluster');
    const options: RequestOptions = { method, headers: { 'content-type': contentType } };
    await this.kubeConfig.applyToHTTPSOptions(options);
    return new Promise((resolve, reject) => {
      const req = https.request(`${server}${path}`, options, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve(text ? JSON.parse(text) : undefined);
          else reject(Object.assign(new Error(`${method} ${path}: ${code}`), { code, body: text }));
        });
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  /** The object, or undefined when it does not exist. */
  async get<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    try {
      return (await this.api.read({
        apiVersion,
        kind,
        metadata: { name, ...(namespace ? { namespace } : {}) },
      })) as T;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }

  /** Every object of a kind, in a namespace or in all. */
  async list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): Promise<T[]> {
    const list = await this.api.list(apiVersion, kind, namespace);
    return list.items as T[];
  }

  /** Deletes the object in the background; absent objects are fine. */
  async delete(object: KubeObject): Promise<void> {
    try {
      await this.api.delete(object, undefined, undefined, undefined, undefined, 'Background');
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  }
}

/** `Kind namespace/name` of an object. */
export function describe(object: KubernetesObject): string {
  const { namespace, name } = object.metadata ?? {};
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The API server's message of a client error, or the error's message. */
export function message(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return String(body.message);
  return error instanceof Error ? error.message : String(error);
}
