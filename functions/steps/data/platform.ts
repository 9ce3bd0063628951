import {
  dataPlatformSchema,
  type DataPlatform,
  type DataServiceInput,
} from '../../../apis/functions/data-service-input.js';
import type { KubeObject } from '../../types.js';
import { describeIssues } from '../../validation.js';
import { deepMerge } from '../../merge.js';

/** The key of an EnvironmentConfig's data that overrides the platform tables. */
export const OVERRIDES_KEY = 'dataServices';

export type PlatformConfig = { platform: DataPlatform; source: string } | { problem: string };

/**
 * The platform tables in force: the Composition input's, with `data.dataServices` of the platform
 * EnvironmentConfig merged over them deeply, validated again as a whole so an override can never
 * smuggle in a value the input schema would refuse.
 */
export function platformConfig(
  input: DataServiceInput,
  environmentConfig: KubeObject | undefined,
): PlatformConfig {
  const { environmentConfig: ref, controllerID: _pinned, ...defaults } = input;
  const data = environmentConfig?.['data'] as Record<string, unknown> | undefined;
  const overrides = data?.[OVERRIDES_KEY];
  if (overrides === undefined) return { platform: defaults, source: 'the Composition input' };
  const where = `EnvironmentConfig "${ref?.name ?? ''}" data.${OVERRIDES_KEY}`;
  const parsed = dataPlatformSchema.safeParse(deepMerge(defaults, overrides));
  if (!parsed.success) {
    return { problem: `${where} is not usable: ${describeIssues(`data.${OVERRIDES_KEY}`, parsed.error)}` };
  }
  return { platform: parsed.data, source: `the Composition input merged with ${where}` };
}
