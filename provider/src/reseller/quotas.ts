/** Maps a Project's quotas between the managed resource (camelCase) and the reseller API (snake_case). */
import { quotaFields, type ProjectQuotas } from '../../../apis/provider/reseller-quotas.js';
import type { Quotas } from './client/types.js';

type Service = keyof typeof quotaFields;
const SERVICES: readonly Service[] = ['compute', 'volume', 'network'];

/** One desired quota that differs from the project's. */
export interface QuotaDifference {
  /** `compute.cores` and the like, in the managed resource's names. */
  field: string;
  desired: number;
  observed: number | undefined;
}

/** The quota fields the managed resource sets that differ from what the API reports. */
export function quotaDifferences(desired: ProjectQuotas | undefined, observed: Quotas): QuotaDifference[] {
  const differences: QuotaDifference[] = [];
  for (const service of SERVICES) {
    const wanted = desired?.[service];
    if (wanted === undefined) continue;
    const current = observed[service] as Record<string, number> | undefined;
    for (const [name, field] of Object.entries(quotaFields[service])) {
      const value = (wanted as Record<string, number | undefined>)[name];
      if (value === undefined) continue;
      const actual = current?.[field.api];
      if (actual !== value)
        differences.push({ field: `${service}.${name}`, desired: value, observed: actual });
    }
  }
  return differences;
}

/**
 * The UpdateQuota body that makes the project's quotas match: for every service the resource sets,
 * the project's current values with the desired ones over them (the API wants each service whole).
 */
export function quotaUpdate(desired: ProjectQuotas, observed: Quotas): Quotas {
  const update: Record<string, Record<string, number>> = {};
  for (const service of SERVICES) {
    const wanted = desired[service];
    if (wanted === undefined) continue;
    const merged: Record<string, number> = { ...(observed[service] as Record<string, number> | undefined) };
    for (const [name, field] of Object.entries(quotaFields[service])) {
      const value = (wanted as Record<string, number | undefined>)[name];
      if (value !== undefined) merged[field.api] = value;
    }
    update[service] = merged;
  }
  return update as Quotas;
}
