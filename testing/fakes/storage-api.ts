/**
 * A stateful fake of the LightOS management REST API (the DurosAPI v2 gRPC-gateway paths in
 * provider/src/storage/paths.ts) over HTTPS on loopback: projects, credentials and the volumes tests
 * put into projects (ListVolumes), the admin bearer token, gRPC-gateway error bodies `{code, message}`
 * with 404 and 409, and faults from a FaultPlan.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultPlan } from './faults.js';
import { FakeServer, sendJSON } from './http-server.js';
import type { SelfSigned } from './tls.js';

/** A stored credential as the API returns it (payload base64). */
export interface StoredCredential {
  projectName: string;
  ID: string;
  type: string;
  payload: string;
}

/** A volume as ListVolumes returns it; tests add them (volumes come from the CSI driver, not the provider). */
export interface StoredVolume {
  UUID: string;
  name: string;
  projectName: string;
  state: 'Creating' | 'Available' | 'Deleting' | 'Deleted' | 'Failed';
  replicaCount: number;
  size: string;
}

/** One request as the fake saw it, without headers or body. */
export interface SeenStorageRequest {
  method: string;
  path: string;
  status: number | undefined;
}

/** The fake storage API; `endpoint` is `127.0.0.1:<port>`. */
export class FakeStorageAPI extends FakeServer {
  readonly projects = new Map<string, { name: string; description?: string }>();
  readonly credentials = new Map<string, StoredCredential>();
  /** By UUID. */
  readonly volumes = new Map<string, StoredVolume>();
  readonly requests: SeenStorageRequest[] = [];
  readonly faults = new FaultPlan();

  constructor(
    private readonly adminToken: string,
    tls?: SelfSigned,
  ) {
    super('fake storage endpoint', tls);
  }

  get endpoint(): string {
    return new URL(this.baseURL).host;
  }

  protected async handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = decodeURI((request.url ?? '/').split('?')[0] ?? '/');
    const seen: SeenStorageRequest = { method, path, status: undefined };
    this.requests.push(seen);
    const answer = (status: number, payload?: unknown): void => {
      seen.status = status;
      sendJSON(response, status, payload);
    };
    if (request.headers.authorization !== `Bearer ${this.adminToken}`) {
      return answer(401, { code: 16, message: 'Unauthorized: authentication failed' });
    }
    const fault = this.faults.next(method !== 'GET');
    if (fault?.kind === 'status') return answer(fault.status, { code: 14, message: 'service unavailable' });
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    const [status, payload] = this.route(method, path, body);
    if (fault?.kind === 'crash-after-perform') {
      request.socket.destroy();
      return;
    }
    answer(status, payload);
  }

  private route(method: string, path: string, body: string): [number, unknown] {
    const parts = path.split('/').filter((part) => part !== '');
    if (parts[0] !== 'api' || parts[1] !== 'v2' || parts[2] !== 'projects') return notFound('path');
    const [, , , project, sub, id] = parts.map((part) => decodeURIComponent(part));
    if (project === undefined && method === 'POST') {
      const create = JSON.parse(body || '{}') as { name?: string; description?: string };
      if (create.name === undefined || !/^[A-Za-z0-9_.-]+$/.test(create.name)) {
        return [400, { code: 3, message: 'name contains illegal characters' }];
      }
      if (this.projects.has(create.name))
        return [409, { code: 6, message: `project ${create.name} already exists` }];
      this.projects.set(create.name, {
        name: create.name,
        ...(create.description ? { description: create.description } : {}),
      });
      return [200, this.projects.get(create.name)];
    }
    if (project === undefined) return notFound('path');
    const stored = this.projects.get(project);
    if (sub === undefined) {
      if (stored === undefined) return notFound(`project ${project}`);
      if (method === 'GET') return [200, stored];
      if (method === 'DELETE') {
        this.projects.delete(project);
        return [200, {}];
      }
      return notFound('path');
    }
    if (sub === 'volumes' && id === undefined && method === 'GET') {
      if (stored === undefined) return notFound(`project ${project}`);
      const volumes = [...this.volumes.values()].filter((volume) => volume.projectName === project);
      // gRPC-gateway leaves out an empty repeated field.
      return [200, volumes.length === 0 ? {} : { volumes }];
    }
    if (sub !== 'credentials' || stored === undefined) return notFound(`project ${project}`);
    if (id === undefined && method === 'POST') {
      const create = JSON.parse(body || '{}') as Partial<StoredCredential>;
      if (create.projectName !== project || !create.ID || create.type !== 'RS256PubKey' || !create.payload) {
        return [400, { code: 3, message: 'mandatory argument is missing' }];
      }
      const key = `${project}/${create.ID}`;
      if (this.credentials.has(key))
        return [409, { code: 6, message: `credential ${create.ID} already exists` }];
      this.credentials.set(key, create as StoredCredential);
      return [200, create];
    }
    const credential = id === undefined ? undefined : this.credentials.get(`${project}/${id}`);
    if (credential === undefined) return notFound(`credential ${id ?? ''}`);
    if (method === 'GET') return [200, credential];
    if (method === 'DELETE') {
      this.credentials.delete(`${project}/${id}`);
      return [200, {}];
    }
    return notFound('path');
  }
}

function notFound(what: string): [number, unknown] {
  return [404, { code: 5, message: `${what} not found` }];
}
