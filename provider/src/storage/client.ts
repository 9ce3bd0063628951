/**
 * The LightOS management REST client over HTTPS with the cluster admin token. Endpoints are tried in
 * order: one that does not answer, or answers 5xx, passes the call to the next.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { z } from 'zod';
import {
  StorageAPIError,
  StorageConflictError,
  StorageNotFoundError,
  StorageRetryableError,
  StorageUnauthorizedError,
} from './errors.js';
import {
  credentialPath,
  credentialsPath,
  projectPath,
  PROJECTS,
  RS256_PUBLIC_KEY,
  volumesPath,
} from './paths.js';

/** Where and how the client reaches the storage cluster. */
export interface StorageClientConfig {
  /** `host:port` management endpoints. */
  endpoints: string[];
  /** The cluster admin JWT. */
  adminToken: string;
  /** PEM CA bundle to verify the endpoints; the system roots when absent. */
  ca?: string;
  /** `https` (default) or `http`, for tests. */
  scheme?: 'https' | 'http';
  /** Per-request timeout; default 30 s. */
  requestTimeoutMs?: number;
}

/** A storage project. */
export interface StorageProject {
  name: string;
  description?: string | undefined;
}

/** A credential of a project; `payload` is the decoded public key. */
export interface StorageCredential {
  projectName: string;
  ID: string;
  type: string;
  payload: string;
}

const projectSchema = z.object({ name: z.string(), description: z.string().optional() });
const credentialSchema = z.object({
  projectName: z.string(),
  ID: z.string(),
  type: z.string(),
  // proto bytes: base64 in JSON.
  payload: z.string(),
});
/** A volume as ListVolumes reports it (Volume.StateEnum as gRPC-gateway writes it in JSON). */
export interface StorageVolume {
  UUID: string;
  name: string;
  state: string;
}

const volumesSchema = z.object({
  volumes: z
    .array(
      z.object({
        UUID: z.string().default(''),
        name: z.string().default(''),
        state: z.string().default('Unknown'),
      }),
    )
    // gRPC-gateway leaves out an empty repeated field.
    .default([]),
});
const errorBody = z.object({ message: z.string() });

interface Answer {
  status: number;
  body: unknown;
}

/** The calls to the LightOS management API the provider needs. */
export class StorageClient {
  constructor(private readonly config: StorageClientConfig) {}

  /** The project with this name; StorageNotFoundError when there is none. */
  async getProject(name: string): Promise<StorageProject> {
    const answer = await this.send(
      'GET',
      projectPath(name),
      undefined,
      `cannot get storage project "${name}"`,
    );
    return parse(projectSchema, answer, `cannot get storage project "${name}"`);
  }

  /** Creates a project; StorageConflictError when it exists. */
  async createProject(project: StorageProject): Promise<void> {
    await this.send('POST', PROJECTS, project, `cannot create storage project "${project.name}"`);
  }

  async deleteProject(name: string): Promise<void> {
    await this.send('DELETE', projectPath(name), undefined, `cannot delete storage project "${name}"`);
  }

  /** The volumes of a project, in every state. */
  async listVolumes(projectName: string): Promise<StorageVolume[]> {
    const operation = `cannot list the volumes of storage project "${projectName}"`;
    return parse(
      volumesSchema,
      await this.send('GET', volumesPath(projectName), undefined, operation),
      operation,
    ).volumes;
  }

  async getCredential(projectName: string, id: string): Promise<StorageCredential> {
    const operation = `cannot get credential "${id}" of storage project "${projectName}"`;
    const credential = parse(
      credentialSchema,
      await this.send('GET', credentialPath(projectName, id), undefined, operation),
      operation,
    );
    return { ...credential, payload: Buffer.from(credential.payload, 'base64').toString('utf8') };
  }

  /** Uploads an RS256 public key (PEM) as credential `id`. */
  async createCredential(projectName: string, id: string, publicKeyPEM: string): Promise<void> {
    await this.send(
      'POST',
      credentialsPath(projectName),
      { projectName, ID: id, type: RS256_PUBLIC_KEY, payload: Buffer.from(publicKeyPEM).toString('base64') },
      `cannot create credential "${id}" of storage project "${projectName}"`,
    );
  }

  async deleteCredential(projectName: string, id: string): Promise<void> {
    await this.send(
      'DELETE',
      credentialPath(projectName, id),
      undefined,
      `cannot delete credential "${id}" of storage project "${projectName}"`,
    );
  }

  /** Tries each endpoint until one answers below 500; maps failures to typed errors. */
  private async send(method: string, path: string, body: unknown, operation: string): Promise<Answer> {
    let last: StorageAPIError | undefined;
    for (const endpoint of this.config.endpoints) {
      let answer: Answer;
      try {
        answer = await this.exchange(endpoint, method, path, body);
      } catch (error) {
        last = new StorageRetryableError(
          `${operation}: ${endpoint} did not answer (${describe(error)})`,
          undefined,
          {
            cause: error,
          },
        );
        continue;
      }
      if (answer.status < 300) return answer;
      const said = errorBody.safeParse(answer.body);
      const message = `${operation}: storage API answered ${answer.status}${said.success ? `: ${said.data.message}` : ''}`;
      if (answer.status >= 500 || answer.status === 429) {
        last = new StorageRetryableError(message, answer.status);
        continue;
      }
      if (answer.status === 404) throw new StorageNotFoundError(message, 404);
      if (answer.status === 409) throw new StorageConflictError(message, 409);
      if (answer.status === 401 || answer.status === 403)
        throw new StorageUnauthorizedError(message, answer.status);
      throw new StorageAPIError(message, answer.status);
    }
    throw last ?? new StorageAPIError(`${operation}: no storage endpoint is configured`);
  }

  private exchange(endpoint: string, method: string, path: string, body: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const [host, port] = splitHostPort(endpoint);
    const send = this.config.scheme === 'http' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const request = send(
        {
          host,
          port,
          method,
          path,
          ...(this.config.ca === undefined ? {} : { ca: this.config.ca }),
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${this.config.adminToken}`,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
          timeout: this.config.requestTimeoutMs ?? 30_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
            } catch {
              parsed = undefined;
            }
            resolve({ status: response.statusCode ?? 0, body: parsed });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
      request.end(payload);
    });
  }
}

function parse<T>(schema: z.ZodType<T>, answer: Answer, operation: string): T {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success)
    throw new StorageAPIError(`${operation}: the storage API answered an unexpected body`, answer.status);
  return parsed.data;
}

/** `host:port`, `[v6]:port`. */
function splitHostPort(endpoint: string): [string, number] {
  const at = endpoint.lastIndexOf(':');
  return [endpoint.slice(0, at).replace(/^\[|\]$/g, ''), Number(endpoint.slice(at + 1))];
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.message;
  }
  return String(error);
}
