import { StorageClassesInput } from '../../../apis/functions/storage-classes-input.js';
import { StorageTenant } from '../../../apis/storage/storagetenant.js';
import { describeObject } from '../../handler.js';
import {
  defineStep,
  type DesiredResource,
  type Requirement,
  type StepCondition,
  type StepResult,
} from '../../types.js';
import {
  CREDENTIALS_SECRET,
  ENVIRONMENT_CONFIG,
  endpointsFromEnvironmentConfig,
  environmentConfigRequirement,
  holdsToken,
  secretRequirement,
} from './platform.js';
import { immutableChanges } from './replacement.js';
import { storageClassFor, volumeSnapshotClassFor, type TenantStorage } from './storage-class.js';

/** Composition resource names: one per StorageClass entry, one for the snapshot class. */
export const storageClassResourceName = (name: string): string => `storageclass-${name}`;
export const SNAPSHOT_CLASS_RESOURCE = 'volumesnapshotclass';

/** How soon to run again after deleting a StorageClass that must be created anew. */
const REPLACEMENT_REQUEUE_SECONDS = 5;

/**
 * Composes the StorageClasses and the VolumeSnapshotClass of a StorageTenant.
 * Reads the endpoints (spec, else the platform EnvironmentConfig) and the token Secret as required
 * resources; replaces a StorageClass whose immutable parameters changed by leaving it out for one run.
 */
export const storageClassesStep = defineStep({
  input: StorageClassesInput,
  composite: StorageTenant,
  run({ composite, spec, input, observed, desired, required }) {
    const tenant = describeObject(composite);
    const requirements: Record<string, Requirement> = {
      [CREDENTIALS_SECRET]: secretRequirement(input.credentialsSecret),
    };
    if (!spec.endpoints && input.environmentConfig) {
      requirements[ENVIRONMENT_CONFIG] = environmentConfigRequirement(input.environmentConfig.name);
    }
    // Until Crossplane has fetched what the step needs, change nothing and ask for it.
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { desired: { ...desired }, requirements };
    }

    let endpoints = spec.endpoints;
    if (!endpoints) {
      if (!input.environmentConfig) {
        return fatal(
          `cannot compose StorageTenant ${tenant}: spec.endpoints is not set and the Composition names no ` +
            'EnvironmentConfig (input.environmentConfig.name); set one of them',
          requirements,
        );
      }
      const platform = endpointsFromEnvironmentConfig(
        input.environmentConfig.name,
        required[ENVIRONMENT_CONFIG]?.[0],
      );
      if ('problem' in platform) {
        return fatal(
          `cannot compose StorageTenant ${tenant}: spec.endpoints is not set and ${platform.problem}; ` +
            'set spec.endpoints or data.storage.endpoints of that EnvironmentConfig',
          requirements,
        );
      }
      endpoints = platform.endpoints;
    }

    const storage: TenantStorage = { tenant, projectID: spec.projectID, endpoints };
    const tokenReady = holdsToken(required[CREDENTIALS_SECRET]?.[0]);
    const composed: Record<string, DesiredResource> = { ...desired };
    const results: StepResult[] = [];
    let replacing = false;

    for (const entry of spec.storageClasses) {
      const name = storageClassResourceName(entry.name);
      const storageClass = storageClassFor(entry, storage, input);
      const existing = observed[name];
      const changes = existing ? immutableChanges(existing, storageClass) : [];
      if (changes.length > 0) {
        // Left out of the desired state, Crossplane deletes it; the next run creates it with the new
        // parameters. Volumes keep the parameters they were provisioned with.
        replacing = true;
        results.push({
          severity: 'Warning',
          reason: 'ReplacingStorageClass',
          message:
            `StorageClass "${entry.name}" is being replaced: ${changes.join(', ')}. StorageClasses cannot ` +
            'change in place, so it is deleted now and created again with the new settings; existing volumes keep theirs',
        });
        continue;
      }
      composed[name] = { resource: storageClass, ready: existing !== undefined && tokenReady };
    }
    composed[SNAPSHOT_CLASS_RESOURCE] = {
      resource: volumeSnapshotClassFor(storage, input),
      ready: observed[SNAPSHOT_CLASS_RESOURCE] !== undefined && tokenReady,
    };

    const defaultClass = spec.storageClasses.find((entry) => entry.default)?.name;
    return {
      desired: composed,
      requirements,
      status: {
        storageClasses: spec.storageClasses.map((entry) => entry.name),
        ...(defaultClass ? { defaultStorageClass: defaultClass } : {}),
        volumeSnapshotClass: storage.tenant,
        endpoints: endpoints.join(','),
      },
      conditions: [tokenCondition(input.credentialsSecret, tokenReady)],
      results,
      ...(replacing ? { compositeReady: false as const, ttlSeconds: REPLACEMENT_REQUEUE_SECONDS } : {}),
    };

    function fatal(message: string, needs: Record<string, Requirement>) {
      return {
        desired: { ...desired },
        requirements: needs,
        results: [{ severity: 'Fatal' as const, reason: 'MissingEndpoints', message }],
      };
    }
  },
});

function tokenCondition(secret: { name: string; namespace: string }, ready: boolean): StepCondition {
  const where = `Secret ${secret.namespace}/${secret.name}`;
  return ready
    ? {
        type: 'StorageCredentials',
        status: 'True',
        reason: 'TokenAvailable',
        message: `${where} holds the tenant token`,
      }
    : {
        type: 'StorageCredentials',
        status: 'False',
        reason: 'WaitingForToken',
        message: `waiting for ${where} with key jwt: volumes cannot be provisioned until the tenant token exists`,
      };
}
