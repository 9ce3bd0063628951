/**
 * A token of the region's service credentials from Keystone v3, with the service catalog that says
 * where Nova is. Application credentials (unscoped by design) or a user's password scoped to a project.
 */
import { z } from 'zod';
import { ExternalAPIError } from '../transport/errors.js';
import { failureOf } from '../transport/failure.js';
import { exchange, jsonOf, type OutboundOptions, type OutboundRequest } from '../transport/http.js';

/** The credentials the provider authenticates with; values come from the provider config's Secret. */
export type ComputeCredentials =
  | { kind: 'applicationCredential'; id: string; secret: string }
  | {
      kind: 'password';
      username: string;
      password: string;
      projectName: string;
      userDomainName: string;
      projectDomainName: string;
    };

const catalogSchema = z.array(
  z.object({
    type: z.string(),
    endpoints: z.array(
      z.object({
        interface: z.string(),
        url: z.string(),
        region: z.string().nullish(),
        region_id: z.string().nullish(),
      }),
    ),
  }),
);
const tokenBody = z.object({
  token: z.object({ expires_at: z.string(), catalog: catalogSchema.optional() }),
});

/** A Keystone token, when it expires, and the catalog it came with. */
export interface Token {
  value: string;
  expiresAt: number;
  catalog: z.output<typeof catalogSchema>;
}

/** The identity JSON of the credentials. */
function identity(credentials: ComputeCredentials): Record<string, unknown> {
  if (credentials.kind === 'applicationCredential') {
    return {
      identity: {
        methods: ['application_credential'],
        application_credential: { id: credentials.id, secret: credentials.secret },
      },
    };
  }
  return {
    identity: {
      methods: ['password'],
      password: {
        user: {
          name: credentials.username,
          domain: { name: credentials.userDomainName },
          password: credentials.password,
        },
      },
    },
    scope: {
      project: { name: credentials.projectName, domain: { name: credentials.projectDomainName } },
    },
  };
}

/** Who the credentials are, for messages: never the secret. */
export function describeCredentials(credentials: ComputeCredentials): string {
  return credentials.kind === 'applicationCredential'
    ? `application credential "${credentials.id}"`
    : `user "${credentials.username}"`;
}

/** POST /v3/auth/tokens. */
export async function issueToken(
  authURL: string,
  credentials: ComputeCredentials,
  options: OutboundOptions = {},
): Promise<Token> {
  const base = authURL.replace(/\/+$/, '');
  const operation = `cannot authenticate to Keystone as ${describeCredentials(credentials)}`;
  const request: OutboundRequest = {
    api: 'Keystone',
    method: 'POST',
    url: `${base.endsWith('/v3') ? base : `${base}/v3`}/auth/tokens`,
    json: { auth: identity(credentials) },
    operation,
    secrets: [credentials.kind === 'applicationCredential' ? credentials.secret : credentials.password],
  };
  const answer = await exchange(request, options);
  const body = jsonOf(answer);
  if (answer.status !== 201 && answer.status !== 200) throw failureOf(request, answer);
  const token = answer.headers['x-subject-token'];
  const parsed = tokenBody.safeParse(body);
  if (typeof token !== 'string' || token === '' || !parsed.success) {
    throw new ExternalAPIError(`${operation}: Keystone answered without a token or with an unexpected body`);
  }
  return {
    value: token,
    expiresAt: Date.parse(parsed.data.token.expires_at),
    catalog: parsed.data.token.catalog ?? [],
  };
}

/** The URL of a service in the catalog, for the interface and (when given) the region. */
export function catalogEndpoint(
  token: Token,
  type: string,
  iface: string,
  region: string | undefined,
): string {
  const service = token.catalog.find((s) => s.type === type);
  const endpoint = service?.endpoints.find(
    (e) => e.interface === iface && (region === undefined || e.region_id === region || e.region === region),
  );
  if (endpoint === undefined) {
    throw new ExternalAPIError(
      `cannot find the ${type} endpoint: the Keystone catalog has no ${iface} ${type} endpoint` +
        `${region === undefined ? '' : ` in region "${region}"`}; set spec.compute.endpoint or fix the region`,
    );
  }
  return endpoint.url.replace(/\/+$/, '');
}
