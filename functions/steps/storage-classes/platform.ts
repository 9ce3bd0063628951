import { z } from 'zod';
import {
  csiDriverSchema,
  networkPolicySchema,
  type CsiDriverSettings,
  type NetworkPolicySettings,
} from '../../../apis/functions/storage-classes-input.js';
import { endpointSchema } from '../../../apis/storage/storagetenant.js';
import { deepMerge } from '../../merge.js';
import type { KubeObject, Requirement } from '../../types.js';
import { describeIssues } from '../../validation.js';

/** Requirement names this step asks Crossplane to fetch. */
export const ENVIRONMENT_CONFIG = 'environment-config';
export const CREDENTIALS_SECRET = 'credentials-secret';

export function environmentConfigRequirement(name: string): Requirement {
  return { apiVersion: 'apiextensions.crossplane.io/v1beta1', kind: 'EnvironmentConfig', matchName: name };
}

export function secretRequirement(ref: { name: string; namespace: string }): Requirement {
  return { apiVersion: 'v1', kind: 'Secret', matchName: ref.name, namespace: ref.namespace };
}

/** The part of an EnvironmentConfig's data this step reads. */
const platformStorageSchema = z.object({
  storage: z.object({ endpoints: z.array(endpointSchema).min(1) }),
});

/** Endpoints from the platform's EnvironmentConfig, or the reason they cannot be had. */
export type PlatformEndpoints = { endpoints: string[] } | { problem: string };

export function endpointsFromEnvironmentConfig(
  name: string,
  config: KubeObject | undefined,
): PlatformEndpoints {
  if (!config) {
    return { problem: `EnvironmentConfig "${name}" does not exist` };
  }
  const parsed = platformStorageSchema.safeParse(config['data'] ?? {});
  if (!parsed.success) {
    return { problem: `EnvironmentConfig "${name}" is not usable: ${describeIssues('data', parsed.error)}` };
  }
  return { endpoints: parsed.data.storage.endpoints };
}

/** Whether the token Secret exists and holds the key the CSI driver reads. Its value is never read. */
export function holdsToken(secret: KubeObject | undefined): boolean {
  const data = secret?.['data'];
  return typeof data === 'object' && data !== null && 'jwt' in data;
}

/**
 * The controller of the token Secret when it is not the tenant's own storage Token (`<Kind>
 * <name>`), else undefined. Two StorageTenants whose Tokens write the same Secret (the same target
 * namespace and credentials Secret name) must not take each other's token: the provider lets only
 * one Token control it, and the other tenant's cluster would receive a token of a project not its own.
 */
export function foreignTokenController(secret: KubeObject | undefined, tenant: string): string | undefined {
  const references = (secret?.['metadata'] as { ownerReferences?: unknown } | undefined)?.ownerReferences;
  if (!Array.isArray(references)) return undefined;
  const controller = (references as Array<Record<string, unknown>>).find((r) => r['controller'] === true);
  if (controller === undefined) return undefined;
  const [kind, name] = [String(controller['kind']), String(controller['name'])];
  return kind === 'Token' && name === tenant ? undefined : `${kind} ${name}`;
}

/**
 * The management endpoints of a tenant: its own, else those of the platform's EnvironmentConfig; or
 * why there are none, with the fix.
 */
export function resolveEndpoints(
  own: string[] | undefined,
  configName: string | undefined,
  config: KubeObject | undefined,
): PlatformEndpoints {
  if (own) return { endpoints: own };
  if (!configName) {
    return {
      problem:
        'spec.endpoints is not set and the Composition names no EnvironmentConfig ' +
        '(input.environmentConfig.name); set one of them',
    };
  }
  const platform = endpointsFromEnvironmentConfig(configName, config);
  if ('problem' in platform) {
    return {
      problem:
        `spec.endpoints is not set and ${platform.problem}; ` +
        'set spec.endpoints or data.storage.endpoints of that EnvironmentConfig',
    };
  }
  return platform;
}

/** The driver and network policy settings: the Composition input's, overridden by the platform. */
export interface PlatformSettings {
  csiDriver: CsiDriverSettings;
  networkPolicy: NetworkPolicySettings;
}

const platformOverridesSchema = z.object({
  csiDriver: csiDriverSchema,
  networkPolicy: networkPolicySchema.refine((policy) => !policy.enabled || policy.cidrs.length > 0, {
    path: ['cidrs'],
    message: 'must name the storage network when enabled is true, for example [10.128.0.0/14]',
  }),
});

/**
 * The input's csiDriver and networkPolicy with data.storage.csiDriver and data.storage.networkPolicy of
 * the EnvironmentConfig merged over them field by field, or why they are not usable.
 */
export function platformSettings(
  input: PlatformSettings,
  configName: string | undefined,
  config: KubeObject | undefined,
): PlatformSettings | { problem: string } {
  const storage = ((config?.['data'] ?? {}) as { storage?: Record<string, unknown> }).storage ?? {};
  const merged = platformOverridesSchema.safeParse(
    deepMerge(
      { csiDriver: input.csiDriver, networkPolicy: input.networkPolicy },
      { csiDriver: storage['csiDriver'], networkPolicy: storage['networkPolicy'] },
    ),
  );
  if (merged.success) return merged.data;
  const where = configName
    ? `EnvironmentConfig "${configName}" over the Composition input`
    : 'the Composition input';
  const root = configName ? 'data.storage' : 'input';
  return { problem: `${where} is not usable: ${describeIssues(root, merged.error)}` };
}
