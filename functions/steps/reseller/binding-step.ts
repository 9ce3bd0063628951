import { ResellerBindingInput } from '../../../apis/functions/reseller-input.js';
import type { ProjectSpec } from '../../../apis/reseller/project.js';
import { UserProjectBinding } from '../../../apis/reseller/userprojectbinding.js';
import { regionalUserName } from '../../naming/openstack-names.js';
import { requeueWhile } from '../../requeue.js';
import { defineStep, type DesiredResource, type KubeObject } from '../../types.js';
import { conditionTrue } from '../../observed.js';
import {
  applicationCredentialCondition,
  bindingConditions,
  type BindingTargets,
} from './binding-conditions.js';
import {
  applicationCredentialResources,
  kept,
  membershipResources,
  RESOURCE,
  type BindingPlacement,
} from './binding-resources.js';
import { byName, names, specOf, statusOf, XR_API_VERSION } from './resources.js';
import { externalSynced } from './synced.js';

const [USER, PROJECT] = ['user', 'project'];

/**
 * Composes the membership of a user in a project once both are ready, with Usages that keep the
 * provider Project and User from being deleted while it exists, and, when asked, an application
 * credential. Never composes the OpenStack user: the User does, one per region, so two bindings
 * in a region never both own it.
 */
export const resellerBindingStep = defineStep({
  input: ResellerBindingInput,
  composite: UserProjectBinding,
  run({ composite, spec, observed, required }) {
    const meta = composite['metadata'] as { name: string; namespace?: string };
    const namespace = meta.namespace ?? 'default';
    const requirements = {
      [USER]: byName(XR_API_VERSION, 'User', spec.user, namespace),
      [PROJECT]: byName(XR_API_VERSION, 'Project', spec.project, namespace),
    };
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const [user, project] = [required[USER]?.[0], required[PROJECT]?.[0]];
    const userStatus = statusOf<{ login: string; userIDs: Record<string, string> }>(user);
    const projectStatus = statusOf<{ projectID: string; fullName: string }>(project);
    const region = specOf<ProjectSpec>(project).region;
    const targets: BindingTargets = {
      namespace,
      userName: spec.user,
      projectName: spec.project,
      user,
      project,
      region,
      login: userStatus.login,
      userID: region ? userStatus.userIDs?.[region] : undefined,
      projectID: projectStatus.projectID,
      fullName: projectStatus.fullName,
    };
    const conditions = bindingConditions(targets);

    const composed: Record<string, DesiredResource> = {};
    const put = (resources: Record<string, KubeObject | undefined>) => {
      for (const [name, resource] of Object.entries(resources)) {
        const ready = name.startsWith('usage-')
          ? observed[name] !== undefined
          : conditionTrue(observed[name]);
        if (resource) composed[name] = { resource, ready };
      }
    };
    const { projectID, userID } = targets;
    const placement: BindingPlacement | undefined =
      region && projectID && userID
        ? {
            name: meta.name,
            namespace,
            region,
            projectMR: names.projectMR(spec.project),
            userMR: regionalUserName(spec.user, region),
            projectID,
            userID,
            passwordSecret: names.passwordSecret(spec.user),
          }
        : undefined;
    const bothReady = conditions.every((c) => c.status === 'True');
    if (placement && bothReady) {
      put(membershipResources(placement));
    } else {
      // The user or project went away: keep what exists, so deleting them waits for this binding.
      put(Object.fromEntries(Object.values(RESOURCE).map((name) => [name, kept(observed[name])])));
    }
    const membershipReady = conditionTrue(observed[RESOURCE.membership]);

    // false removes the credential (and its Secret, which the provider owns with it), whoever put it.
    const { fullName, login } = targets;
    const removed = spec.applicationCredential
      ? []
      : [RESOURCE.appCred, RESOURCE.appCredUsage, RESOURCE.membershipUsage];
    if (
      spec.applicationCredential &&
      placement &&
      fullName &&
      login &&
      (membershipReady || observed[RESOURCE.appCred])
    ) {
      put(applicationCredentialResources(placement, fullName, login));
    }
    const credentialReady = conditionTrue(observed[RESOURCE.appCred]);
    const done = membershipReady && (!spec.applicationCredential || credentialReady);
    const synced = externalSynced(`UserProjectBinding ${namespace}/${meta.name}`, {
      [RESOURCE.membership]: observed[RESOURCE.membership],
      ...(spec.applicationCredential ? { [RESOURCE.appCred]: observed[RESOURCE.appCred] } : {}),
    });
    return {
      composed,
      removed,
      requirements,
      conditions: [
        ...conditions,
        ...applicationCredentialCondition(
          spec.applicationCredential,
          membershipReady,
          credentialReady,
          `${namespace}/${names.appCredSecret(meta.name)}`,
        ),
        ...synced.conditions,
      ],
      results: synced.results,
      status: {
        ...(region ? { region } : {}),
        ...(spec.applicationCredential
          ? { applicationCredentialSecret: names.appCredSecret(meta.name) }
          : {}),
      },
      ...(done ? {} : { compositeReady: false as const }),
      // The User and the Project are other composites: nothing re-runs this binding when they change.
      ...requeueWhile(!bothReady),
    };
  },
});
