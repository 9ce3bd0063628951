/**
 * The part of Nova's compute API (os-services, microversion 2.53: service ids are UUIDs and one
 * service is updated by id) the ComputeService kind needs.
 */
import { z } from 'zod';
import { ExternalAPIError } from '../transport/errors.js';
import { failureOf, succeeded } from '../transport/failure.js';
import {
  exchange,
  jsonOf,
  type OutboundAnswer,
  type OutboundOptions,
  type OutboundRequest,
} from '../transport/http.js';

/** The microversion every request asks for: the first with UUID ids and PUT by id. */
export const NOVA_MICROVERSION = '2.53';

const serviceSchema = z.object({
  id: z.string(),
  binary: z.string(),
  host: z.string(),
  zone: z.string().nullish(),
  status: z.enum(['enabled', 'disabled']),
  state: z.string().nullish(),
  disabled_reason: z.string().nullish(),
  updated_at: z.string().nullish(),
  forced_down: z.boolean().optional(),
});
/** A Nova service as os-services reports it. */
export type NovaService = z.output<typeof serviceSchema>;

/** What an update may change. */
export interface NovaServiceUpdate {
  status: 'enabled' | 'disabled';
  /** Only with status disabled: Nova refuses a reason when enabling. */
  disabled_reason?: string;
}

/** One Nova endpoint, called with a Keystone token. */
export class NovaClient {
  constructor(
    private readonly endpoint: string,
    /** The current token; `renew` asks for a new one after Nova refused the last. */
    private readonly token: (renew: boolean) => Promise<string>,
    private readonly options: OutboundOptions = {},
  ) {}

  /** The services with this host and binary (Nova filters on both). */
  async findServices(host: string, binary: string): Promise<NovaService[]> {
    const operation = `cannot list Nova services of host "${host}"`;
    const query = new URLSearchParams({ host, binary });
    const body = await this.send('GET', `/os-services?${query.toString()}`, undefined, operation);
    const parsed = z.object({ services: z.array(serviceSchema) }).safeParse(body);
    if (!parsed.success) throw new ExternalAPIError(`${operation}: Nova answered an unexpected body`);
    // Nova matches host exactly; the filter is repeated so a looser server cannot mislead us.
    return parsed.data.services.filter((s) => s.host === host && s.binary === binary);
  }

  async updateService(id: string, update: NovaServiceUpdate): Promise<NovaService> {
    const operation = `cannot update Nova service "${id}"`;
    const body = await this.send('PUT', `/os-services/${encodeURIComponent(id)}`, update, operation);
    const parsed = z.object({ service: serviceSchema }).safeParse(body);
    if (!parsed.success) throw new ExternalAPIError(`${operation}: Nova answered an unexpected body`);
    return parsed.data.service;
  }

  private async send(
    method: 'GET' | 'PUT',
    path: string,
    json: unknown,
    operation: string,
  ): Promise<unknown> {
    let [request, answer] = await this.exchange(method, path, json, operation, false);
    // A token Keystone revoked or expired early: log in once more before giving up.
    if (answer.status === 401) [request, answer] = await this.exchange(method, path, json, operation, true);
    if (!succeeded(answer)) throw failureOf(request, answer);
    return jsonOf(answer);
  }

  private async exchange(
    method: 'GET' | 'PUT',
    path: string,
    json: unknown,
    operation: string,
    renew: boolean,
  ): Promise<[OutboundRequest, OutboundAnswer]> {
    const request: OutboundRequest = {
      api: 'Nova',
      method,
      url: this.endpoint + path,
      headers: {
        'x-auth-token': await this.token(renew),
        'openstack-api-version': `compute ${NOVA_MICROVERSION}`,
      },
      operation,
      ...(json === undefined ? {} : { json }),
    };
    return [request, await exchange(request, this.options)];
  }
}
