import { ResellerProjectInput } from '../../../apis/functions/reseller-input.js';
import { Project } from '../../../apis/reseller/project.js';
import { describeObject, VALID_CONDITION } from '../../objects.js';
import { defineStep, type KubeObject, type StepResponse } from '../../types.js';
import { conditionTrue } from '../../observed.js';
import { uniqueNameFromContext } from '../../context.js';
import { providerQuotas } from './quotas.js';
import { externalSynced } from './synced.js';
import { findRegion, unknownRegionProblem } from './regions.js';
import {
  allInNamespace,
  inUseCondition,
  live,
  metadata,
  MR_API_VERSION,
  names,
  regionRef,
  regionsRequirement,
  specOf,
  metaOf,
} from './resources.js';

/** Composition resource name of the provider Project. */
export const PROJECT_RESOURCE = 'project';

const REGIONS = 'regions';
const BINDINGS = 'bindings';

interface ProjectAtProvider {
  atProvider?: { id?: string; name?: string };
}

/**
 * Composes the provider Project of a reseller Project in its region, under the unique name an
 * earlier UniqueName step derived. Refuses an unknown region; reports the bindings a deletion
 * waits for (the API refuses to delete a project with members).
 */
export const resellerProjectStep = defineStep({
  input: ResellerProjectInput,
  composite: Project,
  run({ composite, spec, observed, required, context }) {
    const meta = composite['metadata'] as { name: string; namespace?: string };
    const namespace = meta.namespace ?? 'default';
    const xr = describeObject(composite);
    const requirements = {
      [REGIONS]: regionsRequirement(),
      [BINDINGS]: allInNamespace('UserProjectBinding', namespace),
    };
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const fatal = (reason: string, message: string, invalid = false): StepResponse => ({
      requirements,
      results: [{ severity: 'Fatal', reason, message }],
      ...(invalid ? { conditions: [{ type: VALID_CONDITION, status: 'False', reason, message }] } : {}),
    });

    const openstackName = uniqueNameFromContext(context);
    if (!openstackName) {
      return fatal(
        'MissingUniqueName',
        `cannot compose Project ${xr}: no unique name in the pipeline context; run a UniqueName step before this one in the Composition`,
      );
    }
    const configs = required[REGIONS] ?? [];
    if (!findRegion(configs, spec.region)) {
      return fatal(
        'UnknownRegion',
        `invalid Project ${xr}: spec.region: ${unknownRegionProblem(spec.region, configs)}`,
        true,
      );
    }

    const observedProject = observed[PROJECT_RESOURCE];
    const project: KubeObject = {
      apiVersion: MR_API_VERSION,
      kind: 'Project',
      metadata: metadata(names.projectMR(meta.name), namespace),
      spec: {
        forProvider: {
          name: openstackName,
          description: spec.description,
          enabled: spec.enabled,
          networkPreconfigure: spec.networkPreconfigure,
          quotas: providerQuotas(spec.quotas),
        },
        providerConfigRef: regionRef(spec.region),
      },
    };
    const atProvider = ((observedProject?.['status'] ?? {}) as ProjectAtProvider).atProvider ?? {};
    const members = live(required[BINDINGS] ?? [])
      .filter((b) => specOf<{ project: string }>(b).project === meta.name)
      .flatMap((b) => metaOf(b).name ?? []);
    const synced = externalSynced(`Project ${xr}`, { [PROJECT_RESOURCE]: observedProject });
    return {
      composed: { [PROJECT_RESOURCE]: { resource: project, ready: conditionTrue(observedProject) } },
      requirements,
      status: {
        region: spec.region,
        ...(atProvider.id ? { projectID: atProvider.id } : {}),
        ...(atProvider.name ? { fullName: atProvider.name } : {}),
        members,
      },
      conditions: [
        inUseCondition('Project', members, 'the reseller API refuses to delete a project with members'),
        ...synced.conditions,
      ],
      results: synced.results,
    };
  },
});
