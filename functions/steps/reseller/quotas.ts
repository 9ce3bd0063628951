import type { ProjectSpec } from '../../../apis/reseller/project.js';

/**
 * The provider Project's quota field for each of the API's (and the original spec's) snake_case
 * names: camelCase, with "IPs" as Kubernetes writes it.
 */
const PROVIDER_FIELD: Record<string, string> = {
  fixed_ips: 'fixedIPs',
  floating_ips: 'floatingIPs',
};

const camel = (field: string): string =>
  PROVIDER_FIELD[field] ?? field.replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase());

/** The quotas of a Project spec as the provider Project takes them. */
export function providerQuotas(quotas: ProjectSpec['quotas']): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(quotas).map(([service, fields]) => [
      service,
      Object.fromEntries(
        Object.entries(fields as Record<string, number | undefined>).flatMap(([field, value]) =>
          value === undefined ? [] : [[camel(field), value]],
        ),
      ),
    ]),
  );
}
