import { namingModeSchema, UniqueNameInput } from '../../../apis/functions/unique-name-input.js';
import { Project } from '../../../apis/reseller/project.js';
import { User } from '../../../apis/reseller/user.js';
import { describeObject } from '../../objects.js';
import {
  CONTROLLER_ID_CONFIG,
  KUBE_SYSTEM_NAMESPACE,
  controllerIdRequirements,
  resolveControllerId,
} from '../../naming/controller-id.js';
import { openstackLogin, openstackProjectName } from '../../naming/openstack-names.js';
import { UNIQUE_NAME_CONTEXT } from '../../context.js';
import { defineStep, type KubeObject, type StepResponse } from '../../types.js';

/**
 * Derives an external name unique across every cluster sharing the external system (DESIGN §3),
 * keeps it in the composite status (sticky: once there it is reused, whatever changed since) and
 * passes it to later steps in the context. Serves every kind whose name has a known format.
 */
export const uniqueNameStep = defineStep({
  input: UniqueNameInput,
  composite: [Project, User],
  run({ composite, input, required }) {
    const status = (composite['status'] ?? {}) as Record<string, unknown>;
    const sticky = status[input.statusField];
    if (typeof sticky === 'string' && sticky !== '') return named(sticky);

    const requirements = controllerIdRequirements(input.environmentConfig?.name);
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const config = required[CONTROLLER_ID_CONFIG]?.[0];
    const fail = (message: string): StepResponse => ({
      requirements,
      results: [
        {
          severity: 'Fatal',
          reason: 'NoControllerID',
          message: `cannot derive a unique name for ${describeObject(composite)}: ${message}`,
        },
      ],
    });
    const id = resolveControllerId({
      pinned: input.controllerID,
      environmentConfig: config,
      environmentConfigName: input.environmentConfig?.name,
      kubeSystem: required[KUBE_SYSTEM_NAMESPACE]?.[0],
    });
    if ('problem' in id) return fail(id.problem);
    const naming = namingMode(input.naming, config, input.environmentConfig?.name);
    if ('problem' in naming) return fail(naming.problem);

    const meta = composite['metadata'] as { name: string; namespace?: string };
    const parts = { controllerId: id.id, namespace: meta.namespace ?? 'default', name: meta.name };
    const original = naming.mode === 'original';
    const name =
      input.format === 'openstack-project'
        ? openstackProjectName(parts, { maxLength: input.maxLength, original })
        : openstackLogin(parts, { original });
    return { ...named(name), requirements };

    function named(value: string): StepResponse {
      return {
        status: { [input.statusField]: value },
        context: { [UNIQUE_NAME_CONTEXT]: { name: value } },
      };
    }
  },
});

/** The naming mode: the input's pin, else data.naming of the EnvironmentConfig, else unique. */
function namingMode(
  pinned: 'unique' | 'original' | undefined,
  config: KubeObject | undefined,
  configName: string | undefined,
): { mode: 'unique' | 'original' } | { problem: string } {
  if (pinned) return { mode: pinned };
  const value = (config?.['data'] as Record<string, unknown> | undefined)?.['naming'];
  if (value === undefined) return { mode: 'unique' };
  const parsed = namingModeSchema.safeParse(value);
  if (parsed.success) return { mode: parsed.data };
  return {
    problem: `EnvironmentConfig "${configName ?? ''}" data.naming must be unique or original, got ${JSON.stringify(value)}`,
  };
}
