/**
 * The part of the OpenStack Identity (Keystone) v3 API the provider needs: password authentication as
 * a user, scoped to a project, and that user's application credentials.
 */
import { z } from 'zod';
import { ExternalAPIError } from '../../transport/errors.js';
import { ResellerTransport, type TransportOptions } from '../client/transport.js';

/** What a new application credential gets. */
export interface ApplicationCredentialCreate {
  name: string;
  description?: string;
  expires_at?: string;
  unrestricted?: boolean;
}

const credential = z.object({
  id: z.string(),
  name: z.string(),
  project_id: z.string().optional(),
  description: z.string().nullish(),
  expires_at: z.string().nullish(),
  unrestricted: z.boolean().optional(),
  secret: z.string().optional(),
});
/** An application credential as Keystone returns it; `secret` only in the answer to its creation. */
export type ApplicationCredential = z.output<typeof credential>;

const one = z.object({ application_credential: credential });
const list = z.object({ application_credentials: z.array(credential) });

/** A Keystone v3 endpoint. */
export class KeystoneClient {
  private readonly transport: ResellerTransport;

  /** `authURL` is the identity endpoint with or without its trailing /v3. */
  constructor(authURL: string, options: TransportOptions = {}) {
    const base = authURL.replace(/\/+$/, '');
    this.transport = new ResellerTransport(base.endsWith('/v3') ? base : `${base}/v3`, options, 'Keystone');
  }

  /** A project-scoped token of the user (X-Subject-Token); application credentials need the scope. */
  async authenticate(user: { userID: string; password: string; projectID: string }): Promise<string> {
    const answer = await this.transport.send({
      method: 'POST',
      path: '/auth/tokens',
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { id: user.userID, password: user.password } },
          },
          scope: { project: { id: user.projectID } },
        },
      },
      operation: `cannot authenticate to Keystone as user "${user.userID}"`,
      secrets: [user.password],
    });
    const token = answer.headers.get('x-subject-token');
    if (token === null || token === '') {
      throw new ExternalAPIError(
        `cannot authenticate to Keystone as user "${user.userID}": the answer has no token`,
      );
    }
    return token;
  }

  async createApplicationCredential(
    token: string,
    userID: string,
    create: ApplicationCredentialCreate,
  ): Promise<ApplicationCredential> {
    const operation = `cannot create application credential "${create.name}" of user "${userID}"`;
    const answer = await this.transport.send({
      method: 'POST',
      path: `/users/${encodeURIComponent(userID)}/application_credentials`,
      json: { application_credential: create },
      headers: { 'x-auth-token': token },
      operation,
    });
    return parse(one, answer.body, operation).application_credential;
  }

  async getApplicationCredential(token: string, userID: string, id: string): Promise<ApplicationCredential> {
    const operation = `cannot get application credential "${id}" of user "${userID}"`;
    const answer = await this.transport.send({
      method: 'GET',
      path: `/users/${encodeURIComponent(userID)}/application_credentials/${encodeURIComponent(id)}`,
      headers: { 'x-auth-token': token },
      operation,
    });
    return parse(one, answer.body, operation).application_credential;
  }

  /** The user's application credentials with this name (Keystone keeps names unique per user). */
  async findApplicationCredentials(
    token: string,
    userID: string,
    name: string,
  ): Promise<ApplicationCredential[]> {
    const operation = `cannot list application credentials of user "${userID}"`;
    const answer = await this.transport.send({
      method: 'GET',
      path: `/users/${encodeURIComponent(userID)}/application_credentials?name=${encodeURIComponent(name)}`,
      headers: { 'x-auth-token': token },
      operation,
    });
    return parse(list, answer.body, operation).application_credentials;
  }

  async deleteApplicationCredential(token: string, userID: string, id: string): Promise<void> {
    await this.transport.send({
      method: 'DELETE',
      path: `/users/${encodeURIComponent(userID)}/application_credentials/${encodeURIComponent(id)}`,
      headers: { 'x-auth-token': token },
      operation: `cannot delete application credential "${id}" of user "${userID}"`,
    });
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown, operation: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ExternalAPIError(`${operation}: Keystone answered an unexpected body`);
  return parsed.data;
}
