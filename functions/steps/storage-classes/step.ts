import { StorageClassesInput } from '../../../apis/functions/storage-classes-input.js';
import { StorageTenant } from '../../../apis/storage/storagetenant.js';
import { describeObject } from '../../objects.js';
import { defineStep, type DesiredResource, type Requirement, type StepResult } from '../../types.js';
import { pendingManagedResource, storageManagedResources } from './managed-resources.js';
import {
  CREDENTIALS_SECRET,
  ENVIRONMENT_CONFIG,
  environmentConfigRequirement,
  holdsToken,
  resolveEndpoints,
  secretRequirement,
} from './platform.js';
import { immutableChanges } from './replacement.js';
import {
  SNAPSHOT_CRD,
  snapshotCondition,
  snapshotCrdRequirement,
  snapshotSupport,
} from './snapshot-support.js';
import { storageClassFor, volumeSnapshotClassFor, type TenantStorage } from './storage-class.js';
import { tokenCondition } from './token-condition.js';

/** Composition resource names: one per StorageClass entry, one for the snapshot class. */
export const storageClassResourceName = (name: string): string => `storageclass-${name}`;
export const SNAPSHOT_CLASS_RESOURCE = 'volumesnapshotclass';

/** How soon to run again after deleting a StorageClass that must be created anew. */
const REPLACEMENT_REQUEUE_SECONDS = 5;

/**
 * Composes the storage Project, Credential and Token of a StorageTenant, its StorageClasses and, when
 * the cluster serves snapshots, its VolumeSnapshotClass. Reads the endpoints (spec, else the platform
 * EnvironmentConfig), the token Secret and the VolumeSnapshotClass CRD as required resources; the classes are Ready only once that Secret holds the token. Replaces
 * a StorageClass whose immutable parameters changed by leaving it out for one run.
 */
export const storageClassesStep = defineStep({
  input: StorageClassesInput,
  composite: StorageTenant,
  run({ composite, spec, input, observed, desired, required }) {
    const tenant = describeObject(composite);
    const requirements: Record<string, Requirement> = {
      [CREDENTIALS_SECRET]: secretRequirement(input.credentialsSecret),
      [SNAPSHOT_CRD]: snapshotCrdRequirement(),
    };
    if (!spec.endpoints && input.environmentConfig) {
      requirements[ENVIRONMENT_CONFIG] = environmentConfigRequirement(input.environmentConfig.name);
    }
    // Until Crossplane has fetched what the step needs, change nothing and ask for it.
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { desired: { ...desired }, requirements };
    }

    const resolved = resolveEndpoints(
      spec.endpoints,
      input.environmentConfig?.name,
      required[ENVIRONMENT_CONFIG]?.[0],
    );
    if ('problem' in resolved) {
      const message = `cannot compose StorageTenant ${tenant}: ${resolved.problem}`;
      return {
        desired: { ...desired },
        requirements,
        results: [{ severity: 'Fatal', reason: 'MissingEndpoints', message }],
      };
    }

    const storage: TenantStorage = { tenant, projectID: spec.projectID, endpoints: resolved.endpoints };
    const tokenReady = holdsToken(required[CREDENTIALS_SECRET]?.[0]);
    const composed: Record<string, DesiredResource> = {
      ...desired,
      ...storageManagedResources({ tenant, projectID: spec.projectID }, input, observed),
    };
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
    // Without the snapshot CRDs the class cannot be created, and asking for it would fail every other
    // composed resource with it: compose the rest and say what is missing.
    const snapshots = snapshotSupport(required[SNAPSHOT_CRD]?.[0]);
    if (snapshots.served) {
      composed[SNAPSHOT_CLASS_RESOURCE] = {
        resource: volumeSnapshotClassFor(storage, input),
        ready: observed[SNAPSHOT_CLASS_RESOURCE] !== undefined && tokenReady,
      };
    }

    const defaultClass = spec.storageClasses.find((entry) => entry.default)?.name;
    const pending = pendingManagedResource(tenant, input, observed);
    return {
      desired: composed,
      requirements,
      status: {
        storageClasses: spec.storageClasses.map((entry) => entry.name),
        ...(defaultClass ? { defaultStorageClass: defaultClass } : {}),
        ...(snapshots.served ? { volumeSnapshotClass: storage.tenant } : {}),
        endpoints: resolved.endpoints.join(','),
      },
      conditions: [
        tokenCondition(input.credentialsSecret, tenant, tokenReady, pending),
        snapshotCondition(snapshots, storage.tenant),
      ],
      results,
      ...(replacing ? { compositeReady: false as const, ttlSeconds: REPLACEMENT_REQUEUE_SECONDS } : {}),
    };
  },
});
