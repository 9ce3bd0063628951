import type { KubeObject } from '../../plan.js';

/** Stackplane's resource types, as its deployment-type and strategy tables key them. */
export type ResourceType = 'postgres' | 'redis' | 'blobstorage' | 'smtp';

/** The platform EnvironmentConfig whose data.dataServices overrides the Compositions' tables. */
export const DATA_ENVIRONMENT_CONFIG = 'stackplane-data';

/** What the data Compositions ship (compositions/*.yaml, their DataService input); a test keeps them equal. */
export const SHIPPED_DEPLOYMENT_TYPES: Record<string, Partial<Record<ResourceType, string>>> = {
  managed: { postgres: 'aws', redis: 'aws', blobstorage: 'aws', smtp: 'aws' },
  workshop: { postgres: 'in-cluster', redis: 'in-cluster', blobstorage: 'in-cluster', smtp: 'in-cluster' },
};

const BOTH = { aws: ['development', 'production'], 'in-cluster': ['development', 'production'] };
export const SHIPPED_TIERS: Record<ResourceType, Record<string, string[]>> = {
  postgres: BOTH,
  redis: BOTH,
  blobstorage: BOTH,
  smtp: BOTH,
};

/** Stackplane's tables in force for the migrating cluster: the shipped ones with the platform's overrides. */
export interface StackplaneTables {
  /** deployment type → resource type → provider. */
  deploymentTypes: Record<string, Partial<Record<ResourceType, string>>>;
  /** resource type → provider → tiers. */
  tiers: Record<ResourceType, Record<string, string[]>>;
}

/**
 * The shipped tables, with `data.dataServices.deploymentTypes` and `.strategies` of the platform's
 * EnvironmentConfig `stackplane-data` when the inventory holds it (merged as the function merges
 * them: deeply, `null` removes a key).
 */
export function stackplaneTables(objects: readonly KubeObject[]): StackplaneTables {
  const config = objects.find(
    (o) => o.kind === 'EnvironmentConfig' && o.metadata.name === DATA_ENVIRONMENT_CONFIG,
  );
  const overrides = record(record(config?.['data'])['dataServices']);
  const deploymentTypes = mergeTwoLevels(SHIPPED_DEPLOYMENT_TYPES, record(overrides['deploymentTypes']));
  const strategies = record(overrides['strategies']);
  const tiers = Object.fromEntries(
    Object.entries(SHIPPED_TIERS).map(([type, byProvider]) => {
      const shipped = Object.fromEntries(
        Object.entries(byProvider).map(([provider, names]) => [
          provider,
          Object.fromEntries(names.map((tier) => [tier, true])),
        ]),
      );
      const merged = mergeTwoLevels(shipped, record(strategies[type]));
      return [type, Object.fromEntries(Object.entries(merged).map(([p, t]) => [p, Object.keys(t)]))];
    }),
  ) as StackplaneTables['tiers'];
  return { deploymentTypes: deploymentTypes as StackplaneTables['deploymentTypes'], tiers };
}

/** `base` with `over` merged two levels deep; a `null` at either level removes the key. */
function mergeTwoLevels(
  base: Record<string, Record<string, unknown>>,
  over: Record<string, unknown>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const inner = { ...(out[key] ?? {}) };
    for (const [innerKey, innerValue] of Object.entries(record(value))) {
      if (innerValue === null) delete inner[innerKey];
      else inner[innerKey] = innerValue;
    }
    out[key] = inner;
  }
  return out;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
