import { ResellerUserInput } from '../../../apis/functions/reseller-input.js';
import { User } from '../../../apis/reseller/user.js';
import { describeObject } from '../../handler.js';
import { regionalUserName } from '../../naming/openstack-names.js';
import { defineStep, type DesiredResource, type KubeObject, type Requirement } from '../../types.js';
import { conditionTrue, holdsKeys } from '../placement/readiness.js';
import { uniqueNameFromContext } from '../unique-name/step.js';
import { userSecretData } from './credentials.js';
import { findRegion } from './regions.js';
import {
  allInNamespace,
  base64,
  byName,
  inUseCondition,
  metadata,
  MR_API_VERSION,
  names,
  regionRef,
  regionsRequirement,
} from './resources.js';
import { accessFor, applicationCredentials, decode, membershipsOf, regionsOf } from './user-bindings.js';

/** Composition resource names: one provider User per region, and the credentials Secret. */
export const userResourceName = (region: string): string => `user-${region}`;
export const SECRET_RESOURCE = 'credentials-secret';

const [REGIONS, BINDINGS, PROJECTS, PASSWORD] = ['regions', 'bindings', 'projects', 'password-secret'];
const appCredRequirement = (binding: string) => `appcred-${binding}`;

/**
 * Composes one provider User per region the user is bound to a project in (from the User, never
 * from a binding, so one object owns each external user) and the Secret `<name>-openstack` with
 * credentials for every ready region. The provider generates the password once, into a Secret the
 * regional users share; further regions wait for it so every region gets the same password.
 */
export const resellerUserStep = defineStep({
  input: ResellerUserInput,
  composite: User,
  run({ composite, spec, observed, desired, required, context }) {
    const meta = composite['metadata'] as { name: string; namespace?: string };
    const namespace = meta.namespace ?? 'default';
    const requirements: Record<string, Requirement> = {
      [REGIONS]: regionsRequirement(),
      [BINDINGS]: allInNamespace('UserProjectBinding', namespace),
      [PROJECTS]: allInNamespace('Project', namespace),
      [PASSWORD]: byName('v1', 'Secret', names.passwordSecret(meta.name), namespace),
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
      return { desired: { ...desired }, requirements };
    }
    const login = uniqueNameFromContext(context);
    if (!login) {
      const message = `cannot compose User ${describeObject(composite)}: no login in the pipeline context; run a UniqueName step before this one in the Composition`;
      return {
        desired: { ...desired },
        requirements,
        results: [{ severity: 'Fatal', reason: 'MissingUniqueName', message }],
      };
    }

    const configs = required[REGIONS] ?? [];
    const byRegion = regionsOf(memberships);
    const unknown = [...byRegion.keys()].filter((region) => !findRegion(configs, region));
    const passwordSecret = required[PASSWORD]?.[0];
    const hasPassword = holdsKeys(passwordSecret, ['password']);
    const regions = [...byRegion.keys()].filter((region) => !unknown.includes(region));
    const composedRegions = hasPassword ? regions : regions.slice(0, 1);
    const composed: Record<string, DesiredResource> = { ...desired };
    for (const region of composedRegions) {
      const defaultProject = byRegion.get(region)?.[0]?.project ?? '';
      const resource = userResourceName(region);
      composed[resource] = {
        resource: providerUser(region, defaultProject),
        ready: conditionTrue(observed[resource]),
      };
    }
    const readyRegions = composedRegions.filter((region) =>
      conditionTrue(observed[userResourceName(region)]),
    );

    let secretName: string | undefined;
    if (hasPassword && readyRegions.length > 0) {
      secretName = names.userSecret(meta.name);
      const password = decode(String((passwordSecret?.['data'] as Record<string, unknown>)['password']));
      const appCredSecrets = new Map(
        memberships.map((m) => [m.binding, required[appCredRequirement(m.binding)]?.[0]]),
      );
      const data = userSecretData(
        login,
        password,
        accessFor(readyRegions, byRegion, configs),
        applicationCredentials(memberships, appCredSecrets, configs),
      );
      const secret: KubeObject = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: metadata(secretName, namespace),
        type: 'Opaque',
        data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, base64(value)])),
      };
      composed[SECRET_RESOURCE] = { resource: secret, ready: observed[SECRET_RESOURCE] !== undefined };
    }

    return {
      desired: composed,
      requirements,
      status: { login, ...(secretName ? { secretName } : {}), regions: readyRegions, bindings },
      conditions: [inUseCondition('User', bindings, 'its memberships must go before the OpenStack user')],
      results: unknown.map((region) => ({
        severity: 'Warning' as const,
        reason: 'UnknownRegion',
        message: `User ${describeObject(composite)} is bound to a project in region "${region}", which has no ClusterProviderConfig; no OpenStack user is created there until it exists`,
      })),
      ...(composedRegions.length < regions.length || readyRegions.length < regions.length
        ? { compositeReady: false as const }
        : {}),
    };

    function providerUser(region: string, defaultProject: string): KubeObject {
      return {
        apiVersion: MR_API_VERSION,
        kind: 'User',
        metadata: metadata(regionalUserName(meta.name, region), namespace),
        spec: {
          forProvider: {
            email: login,
            description: spec.description,
            enabled: spec.enabled,
            defaultProjectRef: { name: names.projectMR(defaultProject) },
            passwordSecretRef: { name: names.passwordSecret(meta.name), key: 'password' },
          },
          providerConfigRef: regionRef(region),
        },
      };
    }
  },
});
