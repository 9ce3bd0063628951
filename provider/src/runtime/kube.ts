/**
 * The KubeClient port: the few REST calls the runtime makes to the API server, for any resource type,
 * and its implementation over a @kubernetes/client-node KubeConfig (which supplies the server, TLS
 * and credentials, in-cluster or from a kubeconfig file).
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { PROVIDER_VERSION } from '../version.js';

/** Where a kind lives in the API: enough to build its REST paths. */
export interface ResourceType {
  /** Empty for the core group (Secrets, Events). */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

/** The object fields the runtime relies on for any kind. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
}

/** A reference from an object to its owner. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** A list response. */
export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string };
  items: T[];
}

/** The API server refused a request; code is the HTTP status (404 not found, 409 conflict). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Whether err is the API server's 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 404;
}

/** Whether err is the API server's 409 (a conflict on resourceVersion, or AlreadyExists). */
export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409;
}

/** The REST calls of the runtime. Every call is one request; none retries. */
export interface KubeClient {
  get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string): Promise<T | undefined>;
  list<T extends KubeObject>(
    type: ResourceType,
    namespace?: string,
    labelSelector?: string,
  ): Promise<KubeList<T>>;
  create<T extends KubeObject>(type: ResourceType, object: T): Promise<T>;
  /** A JSON merge patch; include metadata.resourceVersion in the patch to make it conditional. */
  mergePatch<T extends KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: unknown,
    subresource?: 'status',
  ): Promise<T>;
  /** Deletes; a missing object is not an error. */
  delete(type: ResourceType, name: string, namespace?: string): Promise<void>;
}

/** The REST path of a collection or, with name, of one object. */
export function pathOf(type: ResourceType, namespace?: string, name?: string, subresource?: string): string {
  const root = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const scope =
    type.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${root}${scope}/${type.plural}${object}${subresource ? `/${subresource}` : ''}`;
}

/**
 * The User-Agent of provider-stackplane, in client-go's form. The API server names the field
 * manager of every update after it (up to the first slash), as it does for Go providers; without
 * it `managedFields` says `unknown`.
 */
export const USER_AGENT = `provider-stackplane/${PROVIDER_VERSION} (${process.platform}/${process.arch})`;

/** KubeClient over HTTP(S), authenticated by a KubeConfig; connections are kept alive. */
export class RestKubeClient implements KubeClient {
  private agent: http.Agent | undefined;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly timeoutMs = 30_000,
    private readonly userAgent = USER_AGENT,
  ) {}

  async get<T extends KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', pathOf(type, namespace, name));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  list<T extends KubeObject>(
    type: ResourceType,
    namespace?: string,
    labelSelector?: string,
  ): Promise<KubeList<T>> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return this.request<KubeList<T>>('GET', `${pathOf(type, namespace)}${query}`);
  }

  create<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    return this.request<T>('POST', pathOf(type, object.metadata.namespace), object);
  }

  mergePatch<T extends KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: unknown,
    subresource?: 'status',
  ): Promise<T> {
    return this.request<T>(
      'PATCH',
      pathOf(type, namespace, name, subresource),
      patch,
      'application/merge-patch+json',
    );
  }

  async delete(type: ResourceType, name: string, namespace?: string): Promise<void> {
    try {
      await this.request('DELETE', pathOf(type, namespace, name));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('cannot reach the API server: the kubeconfig has no current cluster');
    const url = new URL(path, cluster.server);
    const options: https.RequestOptions = { method, headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const secure = url.protocol === 'https:';
    // applyToHTTPSOptions makes a new agent per call; one kept-alive agent serves every request.
    this.agent ??= secure
      ? new https.Agent({ ...(options.agent as https.Agent | undefined)?.options, keepAlive: true })
      : new http.Agent({ keepAlive: true });
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders),
      accept: 'application/json',
      'user-agent': this.userAgent,
      ...(payload === undefined
        ? {}
        : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
    };
    const send = secure ? https.request : http.request;
    return new Promise<T>((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve((text === '' ? {} : JSON.parse(text)) as T);
            return;
          }
          let reason = 'Unknown';
          let message = text;
          try {
            const parsed = JSON.parse(text) as { reason?: string; message?: string };
            reason = parsed.reason ?? reason;
            message = parsed.message ?? message;
          } catch {
            // not a Status object: keep the raw text
          }
          reject(new KubeApiError(status, reason, `${method} ${path}: ${status} ${reason}: ${message}`));
        });
      });
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path}: timed out after ${this.timeoutMs}ms`)),
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agent?.destroy();
  }
}
