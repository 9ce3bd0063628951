import { StorageClassesInput } from '../../../apis/functions/storage-classes-input.js';
import { StorageTenant, tenantProjectID } from '../../../apis/storage/storagetenant.js';
import { describeObject } from '../../objects.js';
import { requeueWhile } from '../../requeue.js';
import { defineStep, type Requirement, type StepResult } from '../../types.js';
import { pendingManagedResource, storageManagedResources } from './managed-resources.js';
import { migrationWarnings } from './migration.js';
import {
  CREDENTIALS_SECRET,
  ENVIRONMENT_CONFIG,
  environmentConfigRequirement,
  foreignTokenController,
  holdsToken,
  platformSettings,
  resolveEndpoints,
  secretRequirement,
} from './platform.js';
import { SNAPSHOT_CRD, snapshotCrdRequirement } from './snapshot-support.js';
import { localCluster, remoteCluster, tenantObjectsRequirement } from './tenant-cluster.js';
import { tenantObjects } from './tenant-objects.js';
import { tokenCondition } from './token-condition.js';

export { SNAPSHOT_CLASS_RESOURCE, storageClassResourceName } from './tenant-objects.js';

/** Remote targets: the tenant's provider-kubernetes Objects, terminating ones included. */
const TENANT_OBJECTS = 'tenant-objects';

/**
 * Composes a StorageTenant: the storage Project, Credential and Token in the management cluster, and
 * in the tenant's cluster (this one, or spec.target's through provider-kubernetes) the token Secret,
 * the StorageClasses, the VolumeSnapshotClass when snapshots are served, the CSI driver and the
 * network policy. Reads the token Secret, the platform EnvironmentConfig and (locally) the
 * VolumeSnapshotClass CRD or (remotely) the tenant's Objects as required resources.
 */
export const storageClassesStep = defineStep({
  input: StorageClassesInput,
  composite: StorageTenant,
  run({ composite, spec, input, observed, desired, required }) {
    const tenant = describeObject(composite);
    // A remote tenant's managed resources, and so its token Secret, live in its own namespace here.
    const tokenSecret = {
      name: input.credentialsSecret.name,
      namespace: spec.target?.namespace ?? input.credentialsSecret.namespace,
    };
    const requirements: Record<string, Requirement> = {
      [CREDENTIALS_SECRET]: secretRequirement(tokenSecret),
      ...(spec.target
        ? { [TENANT_OBJECTS]: tenantObjectsRequirement(spec.target, tenant) }
        : { [SNAPSHOT_CRD]: snapshotCrdRequirement() }),
      ...(input.environmentConfig
        ? { [ENVIRONMENT_CONFIG]: environmentConfigRequirement(input.environmentConfig.name) }
        : {}),
    };
    // Until Crossplane has fetched what the step needs, change nothing and ask for it.
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const fatal = (reason: string, problem: string) => ({
      requirements,
      results: [
        { severity: 'Fatal' as const, reason, message: `cannot compose StorageTenant ${tenant}: ${problem}` },
      ],
    });

    const platform = required[ENVIRONMENT_CONFIG]?.[0];
    const resolved = resolveEndpoints(spec.endpoints, input.environmentConfig?.name, platform);
    if ('problem' in resolved) return fatal('MissingEndpoints', resolved.problem);
    const settings = platformSettings(input, input.environmentConfig?.name, platform);
    if ('problem' in settings) return fatal('InvalidPlatformConfig', settings.problem);

    const projectID = tenantProjectID(spec);
    const managed = { tenant, projectID, namespace: tokenSecret.namespace };
    const tokenSecretObject = required[CREDENTIALS_SECRET]?.[0];
    const foreign = foreignTokenController(tokenSecretObject, tenant);
    const tokenWritten = foreign === undefined && holdsToken(tokenSecretObject);
    const cluster = spec.target
      ? remoteCluster(spec.target, tenant, observed, required[TENANT_OBJECTS])
      : localCluster(observed);
    const objects = tenantObjects({
      classes: spec.storageClasses,
      storage: { tenant, projectID, endpoints: resolved.endpoints },
      input,
      settings,
      cluster,
      ...(spec.target ? { remoteTokenSource: tokenSecret } : {}),
      tokenWritten,
      tokenForeign: foreign !== undefined,
      snapshotCrd: required[SNAPSHOT_CRD]?.[0],
    });

    const results: StepResult[] = [...migrationWarnings(spec), ...objects.results];
    const defaultClass = spec.storageClasses.find((entry) => entry.default)?.name;
    const composed = { ...storageManagedResources(managed, input, observed), ...objects.resources };
    // Crossplane counts an XR Ready when every composed resource is (an earlier step's too): until
    // then run again soon, as the watch events that would (a remote cluster's Objects report a lot)
    // may be dropped by Crossplane's circuit breaker for minutes.
    const converged = Object.values({ ...desired, ...composed }).every((r) => r.ready === true);
    return {
      composed,
      requirements,
      status: {
        storageClasses: spec.storageClasses.map((entry) => entry.name),
        ...(defaultClass ? { defaultStorageClass: defaultClass } : {}),
        ...(objects.volumeSnapshotClass ? { volumeSnapshotClass: objects.volumeSnapshotClass } : {}),
        endpoints: resolved.endpoints.join(','),
        target: cluster.description,
      },
      conditions: [
        tokenCondition(
          tokenSecret,
          tenant,
          { written: tokenWritten, ready: objects.tokenInCluster },
          foreign === undefined
            ? pendingManagedResource(managed, observed)
            : `the Secret is controlled by ${foreign}, not by this tenant's Token: another StorageTenant ` +
                `writes its token there; give each tenant cluster a namespace of its own`,
          {
            remote: spec.target !== undefined,
            inCluster: input.credentialsSecret,
          },
        ),
        ...objects.conditions,
      ],
      results,
      ...(objects.replacing ? { compositeReady: false as const } : {}),
      // A class left out to be replaced comes back at the next run.
      ...requeueWhile(objects.replacing || !converged),
    };
  },
});
