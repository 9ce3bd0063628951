import type { DataPlatform, DataProvider, ResourceType } from '../../../apis/functions/data-service-input.js';
import type { StepCondition } from '../../types.js';

/** The condition that tells which provider and strategy serve a data service, and whether they are pinned. */
export const PLACEMENT_CONDITION = 'Placement';

/** What was recorded in the composite's status on an earlier run. */
export interface Recorded {
  provider?: string | undefined;
}

export interface Placement {
  provider: DataProvider;
  tier: string;
  /** The strategy parameters, as the platform table holds them for this provider and resource type. */
  strategy: unknown;
  condition: StepCondition;
}

/** Why no placement could be made: the spec names something the platform does not offer. */
export interface PlacementProblem {
  reason: 'UnknownDeploymentType' | 'UnknownTier' | 'UnknownProvider';
  message: string;
}

const list = (names: Iterable<string>) => [...names].sort().join(', ') || '(none)';

/**
 * Resolves the provider (deployment type → provider, by resource type) and the strategy (tier) of a
 * data service. The provider is sticky: once the composite's status records it, it is kept even when
 * the platform table or spec.type now says otherwise, because changing it would mean moving the data;
 * the Placement condition then says what differs. The tier is the user's to change: spec.tier always
 * applies (the strategy of the new tier on the same provider), and status.strategy follows it.
 */
export function resolvePlacement(options: {
  resourceType: ResourceType;
  spec: { type: string; tier: string };
  recorded: Recorded;
  platform: DataPlatform;
}): Placement | PlacementProblem {
  const { resourceType, spec, recorded, platform } = options;
  const mapped = platform.deploymentTypes[spec.type]?.[resourceType];
  const typesServing = Object.entries(platform.deploymentTypes)
    .filter(([, providers]) => providers[resourceType] !== undefined)
    .map(([name]) => name);

  let provider: DataProvider;
  if (recorded.provider !== undefined) {
    if (recorded.provider !== 'aws' && recorded.provider !== 'in-cluster') {
      return {
        reason: 'UnknownProvider',
        message: `status.provider "${recorded.provider}" is not a provider this platform knows (aws, in-cluster)`,
      };
    }
    provider = recorded.provider;
  } else if (mapped === undefined) {
    return {
      reason: 'UnknownDeploymentType',
      message: `spec.type: unknown deployment type "${spec.type}" for ${resourceType}; valid types: ${list(typesServing)}`,
    };
  } else {
    provider = mapped;
  }

  const tiers = tiersOf(platform, resourceType, provider);
  const tier = spec.tier;
  const strategy = tiers[tier];
  if (strategy === undefined) {
    return {
      reason: 'UnknownTier',
      message: `spec.tier: unknown tier "${tier}" for ${resourceType} on ${provider}; valid tiers: ${list(Object.keys(tiers))}`,
    };
  }

  const differences: string[] = [];
  if (mapped !== provider) {
    differences.push(
      mapped === undefined
        ? `deployment type "${spec.type}" no longer serves ${resourceType}`
        : `deployment type "${spec.type}" now maps ${resourceType} to ${mapped}`,
    );
  }
  const applied = `${resourceType} on ${provider} with strategy "${tier}"`;
  const condition: StepCondition =
    differences.length === 0
      ? { type: PLACEMENT_CONDITION, status: 'True', reason: 'AsConfigured', message: applied }
      : {
          type: PLACEMENT_CONDITION,
          status: 'False',
          reason: 'Pinned',
          message:
            `${applied}: kept provider ${provider}, chosen when this resource was created, although ` +
            `${differences.join(' and ')}; the provider never changes in place because that would mean ` +
            'moving the data: create a new resource to move',
        };
  return { provider, tier, strategy, condition };
}

/** The strategies of one resource type on one provider, by tier name. */
export function tiersOf(
  platform: DataPlatform,
  resourceType: ResourceType,
  provider: DataProvider,
): Readonly<Record<string, unknown>> {
  const byType = platform.strategies as Partial<
    Record<ResourceType, Partial<Record<DataProvider, Record<string, unknown>>>>
  >;
  return byType[resourceType]?.[provider] ?? {};
}
