import { ResellerUserInput } from '../../../apis/functions/reseller-input.js';
import { User } from '../../../apis/reseller/user.js';
import { describeObject } from '../../objects.js';
import { requeueWhile } from '../../requeue.js';
import {
  defineStep,
  type DesiredResource,
  type KubeObject,
  type Requirement,
  type StepResult,
} from '../../types.js';
import { conditionTrue } from '../../observed.js';
import { uniqueNameFromContext } from '../../context.js';
import { userSecretData } from './credentials.js';
import { findRegion } from './regions.js';
import { allInNamespace, byName, inUseCondition, names, regionsRequirement } from './resources.js';
import { generatePassword } from './password.js';
import { externalSynced } from './synced.js';
import {
  atProviderID,
  credentialsCondition,
  credentialsSecret,
  defaultProjectIDOf,
  passwordIn,
  passwordSecret,
  passwordUsage,
  providerUser,
  type UserIdentity,
} from './user-resources.js';
import {
  accessFor,
  applicationCredentials,
  holdsApplicationCredential,
  membershipsOf,
  regionsOf,
} from './user-bindings.js';

/** Composition resource names: one provider User per region, and the credentials Secret. */
export const userResourceName = (region: string): string => `user-${region}`;
/** The Usage that keeps the password Secret while a region's user exists. */
export const passwordUsageName = (region: string): string => `usage-password-${region}`;
export const SECRET_RESOURCE = 'credentials-secret';
export const PASSWORD_RESOURCE = 'password-secret';

const [REGIONS, BINDINGS, PROJECTS, PASSWORD] = ['regions', 'bindings', 'projects', 'password-secret'];
/** Secret `<name>-openstack` as it exists: the operator's, on a migrating cluster, until deleted. */
const EXISTING_SECRET = 'existing-credentials-secret';
const appCredRequirement = (binding: string) => `appcred-${binding}`;

/**
 * Composes one provider User per region the user is bound to a project in (from the User, never
 * from a binding, so one object owns each external user) and, as soon as the User exists (as the
 * original did), the Secret `<name>-openstack` with `username` and `password`, to which every ready
 * region adds its keys. The password is generated once, by the original's rule, into the Secret
 * `<name>-openstack-password` that every regional user shares, and read back afterwards.
 */
export const resellerUserStep = defineStep({
  input: ResellerUserInput,
  composite: User,
  run({ composite, spec, observed, required, context, random }) {
    const meta = composite['metadata'] as { name: string; namespace?: string };
    const namespace = meta.namespace ?? 'default';
    const requirements: Record<string, Requirement> = {
      [REGIONS]: regionsRequirement(),
      [BINDINGS]: allInNamespace('UserProjectBinding', namespace),
      [PROJECTS]: allInNamespace('Project', namespace),
      [PASSWORD]: byName('v1', 'Secret', names.passwordSecret(meta.name), namespace),
      [EXISTING_SECRET]: byName('v1', 'Secret', names.userSecret(meta.name), namespace),
    };
    const { bindings, memberships } = membershipsOf(
      meta.name,
      required[BINDINGS] ?? [],
      required[PROJECTS] ?? [],
    );
    for (const m of memberships.filter((m) => m.applicationCredential)) {
      requirements[appCredRequirement(m.binding)] = byName(
        'v1',
        'Secret',
        names.appCredSecret(m.binding),
        namespace,
      );
    }
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const login = uniqueNameFromContext(context);
    if (!login) {
      const message = `cannot compose User ${describeObject(composite)}: no login in the pipeline context; run a UniqueName step before this one in the Composition`;
      return {
        requirements,
        results: [{ severity: 'Fatal', reason: 'MissingUniqueName', message }],
      };
    }

    const configs = required[REGIONS] ?? [];
    const u: UserIdentity = { name: meta.name, namespace, login, spec };
    const byRegion = regionsOf(memberships);
    const unknown = [...byRegion.keys()].filter((region) => !findRegion(configs, region));
    const regions = [...byRegion.keys()].filter((region) => !unknown.includes(region));
    const composed: Record<string, DesiredResource> = {};

    // Generated once, when the User first runs; then read back, never generated again. A migrating
    // cluster's password is adopted: from a Secret made from the operator's, or from the operator's
    // own `<name>-openstack`, so its users keep logging in with it.
    const password =
      passwordIn(observed[PASSWORD_RESOURCE]) ??
      passwordIn(required[PASSWORD]?.[0]) ??
      passwordIn(required[EXISTING_SECRET]?.[0]) ??
      generatePassword(random);
    composed[PASSWORD_RESOURCE] = {
      resource: passwordSecret(u, password),
      ready: observed[PASSWORD_RESOURCE] !== undefined,
    };

    // A region's user is created in its default project: the first bound one there with an id.
    const userIDs: Record<string, string> = {};
    for (const region of regions) {
      const defaultProjectID = byRegion.get(region)?.find((m) => m.projectID)?.projectID;
      const resource = userResourceName(region);
      if (!defaultProjectID && !observed[resource]) continue;
      const desiredUser = providerUser(u, region, defaultProjectID ?? defaultProjectIDOf(observed[resource]));
      composed[resource] = { resource: desiredUser, ready: conditionTrue(observed[resource]) };
      // The provider needs the password to delete the user's application credentials (Keystone
      // authenticates the user): deleting a User keeps its password until its regional users are gone.
      composed[passwordUsageName(region)] = {
        resource: passwordUsage(u, region),
        ready: observed[passwordUsageName(region)] !== undefined,
      };
      const id = atProviderID(observed[resource]);
      if (id && conditionTrue(observed[resource])) userIDs[region] = id;
    }
    const readyRegions = regions.filter((region) => userIDs[region] !== undefined);

    // Pods mount the Secret from the start; regions add their keys as their users become ready.
    const appCredSecrets = new Map(
      memberships.map((m) => [m.binding, required[appCredRequirement(m.binding)]?.[0]]),
    );
    const data = userSecretData(
      login,
      password,
      accessFor(readyRegions, byRegion, configs),
      applicationCredentials(memberships, appCredSecrets, configs),
    );
    composed[SECRET_RESOURCE] = {
      resource: credentialsSecret(u, data),
      ready: observed[SECRET_RESOURCE] !== undefined,
    };

    // Bound Projects, region configs and application credential Secrets are not composed by the
    // User: nothing re-runs it when they become usable.
    const waitingOnOthers =
      unknown.length > 0 ||
      memberships.length < bindings.length ||
      memberships.some((m) => !m.projectID || !m.fullName) ||
      memberships.some(
        (m) =>
          m.applicationCredential &&
          !holdsApplicationCredential(required[appCredRequirement(m.binding)]?.[0]),
      );
    const synced = externalSynced(
      `User ${describeObject(composite)}`,
      Object.fromEntries(
        regions.map((region) => [userResourceName(region), observed[userResourceName(region)]]),
      ),
    );
    return {
      ...requeueWhile(waitingOnOthers),
      composed,
      requirements,
      status: {
        login,
        secretName: names.userSecret(meta.name),
        regions: readyRegions,
        userIDs,
        bindings,
      },
      conditions: [
        ...credentialsCondition(u, regions, readyRegions),
        inUseCondition('User', bindings, 'its memberships must go before the OpenStack user'),
        ...synced.conditions,
      ],
      results: [...unknown.map((region) => unknownRegion(composite, region)), ...synced.results],
      ...(readyRegions.length < regions.length ? { compositeReady: false as const } : {}),
    };
  },
});

/** The warning of a region without a ClusterProviderConfig: no user is created there yet. */
function unknownRegion(composite: KubeObject, region: string): StepResult {
  return {
    severity: 'Warning',
    reason: 'UnknownRegion',
    message: `User ${describeObject(composite)} is bound to a project in region "${region}", which has no ClusterProviderConfig; no OpenStack user is created there until it exists`,
  };
}
