/**
 * The LightOS management REST client over HTTPS with the cluster admin token. Endpoints are tried in
 * order: one that does not answer, or answers 5xx, passes the call to the next.
 */
import { z } from 'zod';
import { ExternalAPIError, RetryableError } from '../transport/errors.js';
import { failureOf } from '../transport/failure.js';
import { exchange, jsonOf, type OutboundOptions, type OutboundRequest } from '../transport/http.js';
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
  /** Limits and test seams of every call. */
  outbound?: Omit<OutboundOptions, 'ca' | 'policy'>;
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
  private async send(
    method: OutboundRequest['method'],
    path: string,
    body: unknown,
    operation: string,
  ): Promise<Answer> {
    let last: ExternalAPIError | undefined;
    const scheme = this.config.scheme ?? 'https';
    for (const endpoint of this.config.endpoints) {
      const request: OutboundRequest = {
        api: 'storage API',
        method,
        url: `${scheme}://${endpoint}${path}`,
        headers: { authorization: `Bearer ${this.config.adminToken}` },
        operation,
        ...(body === undefined ? {} : { json: body }),
      };
      let answer;
      try {
        answer = await exchange(request, {
          ...this.config.outbound,
          ...(this.config.ca === undefined ? {} : { ca: this.config.ca }),
        });
      } catch (error) {
        // No answer from this endpoint: the next one may answer.
        if (!(error instanceof RetryableError)) throw error;
        last = new RetryableError(`${error.message} at ${endpoint}`, undefined, { cause: error });
        continue;
      }
      if (answer.status < 300 && answer.status >= 200) return { status: answer.status, body: jsonOf(answer) };
      const failure = failureOf(request, answer);
      if (failure instanceof RetryableError) {
        last = failure;
        continue;
      }
      throw failure;
    }
    throw last ?? new ExternalAPIError(`${operation}: no storage endpoint is configured`);
  }
}

function parse<T>(schema: z.ZodType<T>, answer: Answer, operation: string): T {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success)
    throw new ExternalAPIError(`${operation}: the storage API answered an unexpected body`, answer.status);
  return parsed.data;
}
