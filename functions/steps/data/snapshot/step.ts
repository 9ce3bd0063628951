import {
  dataSnapshotInputSchema,
  DataSnapshotInput,
} from '../../../../apis/functions/data-snapshot-input.js';
import { PostgresSnapshot, RedisSnapshot } from '../../../../apis/data/snapshots.js';
import {
  CONTROLLER_ID_CONFIG,
  KUBE_SYSTEM_NAMESPACE,
  controllerIdRequirements,
  resolveControllerId,
} from '../../../naming/controller-id.js';
import { requeueWhile } from '../../../requeue.js';
import { defineStep, type Requirement } from '../../../types.js';
import { describeIssues } from '../../../validation.js';
import { deepMerge } from '../../../merge.js';
import { OVERRIDES_KEY } from '../platform.js';
import { cloudTags } from '../tags.js';
import { composeSnapshot } from './compose.js';
import { resolveSource, type SourceKind } from './source.js';

/** Requirement name of the source composite. */
export const SOURCE = 'source';

const SOURCE_OF: Readonly<Record<string, SourceKind>> = {
  PostgresSnapshot: 'Postgres',
  RedisSnapshot: 'Redis',
};
const settingsSchema = dataSnapshotInputSchema.pick({ aws: true, volumeSnapshotClasses: true });

/**
 * Snapshots a Postgres or Redis: reads the source composite (same namespace) as a required resource,
 * takes the provider and identifier it recorded in status, and composes that provider's snapshot.
 * Until the source exists and is Ready, nothing is composed and condition SourceReady says why.
 */
export const dataSnapshotStep = defineStep({
  input: DataSnapshotInput,
  composite: [PostgresSnapshot, RedisSnapshot],
  run({ composite, spec, input, observed, required }) {
    const metadata = (composite['metadata'] ?? {}) as { name?: string; namespace?: string };
    const xr = {
      name: metadata.name ?? '',
      namespace: metadata.namespace ?? '',
      status: (composite['status'] ?? {}) as Record<string, unknown>,
    };
    const kind = SOURCE_OF[String(composite['kind'])] ?? 'Postgres';
    const sourceRequirement: Requirement = {
      apiVersion: 'data.stackplane.io/v1alpha1',
      kind,
      matchName: spec.resourceName,
      namespace: xr.namespace,
    };
    const requirements = {
      ...controllerIdRequirements(input.environmentConfig?.name),
      [SOURCE]: sourceRequirement,
    };
    // Until Crossplane has fetched what the step needs, change nothing and ask for it.
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const what = `${String(composite['kind'])} ${xr.namespace}/${xr.name}`;
    const fatal = (reason: string, message: string) => ({
      requirements,
      results: [{ severity: 'Fatal' as const, reason, message: `cannot compose ${what}: ${message}` }],
    });

    const environmentConfig = required[CONTROLLER_ID_CONFIG]?.[0];
    const overrides = (environmentConfig?.['data'] as Record<string, unknown> | undefined)?.[OVERRIDES_KEY];
    const { environmentConfig: ref, controllerID: _pinned, ...defaults } = input;
    const settings = settingsSchema.safeParse(
      deepMerge({ aws: defaults.aws, volumeSnapshotClasses: defaults.volumeSnapshotClasses }, overrides),
    );
    if (!settings.success) {
      const where = `EnvironmentConfig "${ref?.name ?? ''}" data.${OVERRIDES_KEY}`;
      return fatal(
        'InvalidPlatformConfig',
        `${where} is not usable: ${describeIssues(`data.${OVERRIDES_KEY}`, settings.error)}`,
      );
    }
    const controllerId = resolveControllerId({
      pinned: input.controllerID,
      environmentConfig,
      environmentConfigName: ref?.name,
      kubeSystem: required[KUBE_SYSTEM_NAMESPACE]?.[0],
    });
    if ('problem' in controllerId) return fatal('MissingControllerID', controllerId.problem);

    const source = resolveSource({
      kind,
      name: spec.resourceName,
      namespace: xr.namespace,
      source: required[SOURCE]?.[0],
      recorded: { provider: xr.status['provider'], source: xr.status['source'] },
    });
    if ('waiting' in source) {
      return {
        requirements,
        status: { phase: 'WaitingForSource' },
        conditions: [source.waiting],
        compositeReady: false,
        // The source is another composite: nothing re-runs the snapshot when it becomes Ready.
        ...requeueWhile(true),
      };
    }
    const resourceType = `${kind.toLowerCase()}-snapshot`;
    const out = composeSnapshot({
      kind,
      xr,
      spec,
      source,
      controllerId: controllerId.id,
      aws: settings.data.aws,
      volumeSnapshotClasses: settings.data.volumeSnapshotClasses,
      labels: {
        'app.kubernetes.io/name': resourceType,
        'app.kubernetes.io/instance': xr.name,
        'app.kubernetes.io/managed-by': 'stackplane',
      },
      tags: cloudTags(
        { controllerId: controllerId.id, resourceType, namespace: xr.namespace, name: xr.name },
        settings.data.aws.tags,
      ),
      observed: observed['snapshot'],
    });
    return {
      composed: out.resources,
      requirements,
      status: {
        provider: source.provider,
        source: source.id,
        snapshotID: out.snapshotID,
        phase: out.ready ? 'Ready' : 'Creating',
      },
      conditions: [source.condition],
    };
  },
});
