/**
 * The ComputeService managed kind: a Nova service record found by host and binary, enabled or
 * disabled with a reason. The agent registers the record when it first starts and Nova owns it, so
 * this kind never creates one (create explains what to do) and never deletes one (delete leaves it).
 */
import type { ComputeServiceParameters } from './types.js';
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from '../runtime/external.js';
import type { ComputeProviderConfig } from './config.js';
import { ExternalAPIError, UnauthorizedError } from '../transport/errors.js';
import type { NovaClient, NovaService } from './nova.js';
import type { ComputeSessions } from './sessions.js';

/** Nova knows no such service: its agent has not started yet, or runs under another host name. */
export class ServiceNotRegisteredError extends Error {
  override name = 'ServiceNotRegisteredError';
}

/** Connects ComputeServices to the Nova of their provider config's region. */
export class ComputeServiceConnector implements ExternalConnector<
  ComputeServiceParameters,
  ComputeProviderConfig
> {
  constructor(private readonly sessions: ComputeSessions) {}

  async connect(config: ComputeProviderConfig): Promise<ExternalClient<ComputeServiceParameters>> {
    try {
      return new ComputeServiceExternal(await this.sessions.nova(config));
    } catch (error) {
      if (error instanceof UnauthorizedError) this.sessions.invalidate(config.id);
      throw error;
    }
  }
}

/** Whether Nova's record says what the spec wants. A disabled service without a wanted reason keeps its own. */
export function upToDate(want: ComputeServiceParameters, found: NovaService): boolean {
  if (found.status !== want.status) return false;
  if (want.status === 'enabled' || want.disabledReason === undefined) return true;
  return (found.disabled_reason ?? undefined) === want.disabledReason;
}

/** Observe and update of one Nova service. */
export class ComputeServiceExternal implements ExternalClient<ComputeServiceParameters> {
  constructor(private readonly nova: NovaClient) {}

  async observe(mr: ManagedView<ComputeServiceParameters>): Promise<ExternalObservation> {
    // Deleting never touches Nova: the record is the agent's.
    if (mr.deleting) return { resourceExists: false, resourceUpToDate: false };
    const found = await this.find(mr.forProvider);
    if (found === undefined) return { resourceExists: false, resourceUpToDate: false };
    return {
      resourceExists: true,
      resourceUpToDate: upToDate(mr.forProvider, found),
      available: found.state === 'up',
      atProvider: atProvider(found),
    };
  }

  async create(mr: ManagedView<ComputeServiceParameters>): Promise<ExternalCreation> {
    const { host, binary } = mr.forProvider;
    throw new ServiceNotRegisteredError(
      `cannot create compute service: Nova has no ${binary} service on host "${host}"; it registers when ` +
        `${binary} first starts with host = ${host}, so start the agent (or leave Create out of managementPolicies)`,
    );
  }

  async update(mr: ManagedView<ComputeServiceParameters>): Promise<ExternalUpdate> {
    const want = mr.forProvider;
    const found = await this.find(want);
    if (found === undefined)
      throw new ServiceNotRegisteredError(
        `cannot update compute service: Nova has no ${want.binary} service on host "${want.host}"`,
      );
    const updated = await this.nova.updateService(found.id, {
      status: want.status,
      ...(want.status === 'disabled' && want.disabledReason !== undefined
        ? { disabled_reason: want.disabledReason }
        : {}),
    });
    return { atProvider: atProvider(updated) };
  }

  async delete(): Promise<void> {
    // Nothing: observe reports a deleting resource gone, so the finalizer goes and Nova keeps its record.
  }

  private async find(want: ComputeServiceParameters): Promise<NovaService | undefined> {
    const services = await this.nova.findServices(want.host, want.binary);
    if (services.length > 1) {
      throw new ExternalAPIError(
        `cannot observe compute service: Nova has ${services.length} ${want.binary} services on host "${want.host}" (ids ${services
          .map((s) => s.id)
          .join(', ')}); delete the stale ones`,
      );
    }
    return services[0];
  }
}

function atProvider(s: NovaService): Record<string, unknown> {
  const optional = (key: string, value: string | null | undefined) => (value ? { [key]: value } : {});
  return {
    id: s.id,
    host: s.host,
    binary: s.binary,
    status: s.status,
    ...optional('zone', s.zone),
    ...optional('state', s.state),
    ...optional('disabledReason', s.disabled_reason),
    ...optional('updatedAt', s.updated_at),
  };
}
