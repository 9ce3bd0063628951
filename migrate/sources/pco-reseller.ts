/**
 * pco-reseller-operator (`pco.plusserver.com/v1alpha1`): Regions become provider-stackplane
 * ClusterProviderConfigs; Projects, Users and UserProjectBindings become Stackplane's XRs that keep
 * the operator's names (`naming: original` and its controller id), adopting the OpenStack projects
 * and users the operator created through one AdoptionGrant each, written for the original's own
 * namespace. Read from the operator at github.com/pluscontainer/pco-reseller-operator (commit
 * 91e74f0): names in internal/utils/psos.go and api/v1alpha1/user_types.go, the id in
 * internal/utils/controller.go, the finalizer in internal/controller/region_controller.go.
 */
import type { z } from 'zod';
import { Project } from '../../apis/reseller/project.js';
import { User } from '../../apis/reseller/user.js';
import { UserProjectBinding } from '../../apis/reseller/userprojectbinding.js';
import {
  describeRef,
  finalizersOf,
  findSecret,
  objectsOf,
  ownsObjects,
  refOf,
  secretValue,
  unfinished,
} from '../objects.js';
import type { Inventory, KubeObject, Migration, MigrationSource, PlanEntry, Refusal } from '../plan.js';
import { adoptionGrant, environmentConfig, specIssues } from './stackplane-objects.js';

export const PCO_GROUP = 'pco.plusserver.com';
const VERSION = 'v1alpha1';
/** The only finalizer the operator sets, on every kind. */
export const PCO_FINALIZER = 'pco.plusserver.com/finalizer';
/** The operator's id Secret (in its own namespace) and key. */
export const CONTROLLER_ID_SECRET = 'pco-reseller-operator-id';
const CONTROLLER_ID_KEY = 'id';

/** Project, User and UserProjectBinding of one namespace, as the operator names them. */
const projectName = (id: string, namespace: string, name: string) => `${id}-${namespace}-${name}`;
const userLogin = (id: string, namespace: string, name: string) => `${name}-${namespace}@${id}.k8s`;
const userSecretName = (user: string) => `${user}-openstack`;
const passwordSecretName = (user: string) => `${user}-openstack-password`;

/** How each original moves: what it becomes, what it adopts, how it is let go. */
function migration(
  original: KubeObject,
  inventory: Inventory,
  parts: Pick<Migration, 'platform' | 'resources' | 'adopted' | 'notes'> & Partial<Migration>,
): Migration {
  return {
    outcome: 'migrate',
    original: refOf(original),
    release: {
      finalizers: finalizersOf(original, [PCO_FINALIZER]),
      // The operator sets no owner references; anything that names an original as owner is kept.
      orphanDependents: ownsObjects(inventory, original),
    },
    ...parts,
  };
}

const refuse = (original: KubeObject, reasons: string[]): Refusal => ({
  outcome: 'refuse',
  original: refOf(original),
  reasons,
});

/** The controller id from Secret pco-reseller-operator-id, or why it cannot be had. */
function controllerID(inventory: Inventory): { id: string } | { problem: string } {
  const secrets = inventory.objects.filter(
    (o) => o.apiVersion === 'v1' && o.kind === 'Secret' && o.metadata.name === CONTROLLER_ID_SECRET,
  );
  const ids = [...new Set(secrets.map((s) => secretValue(s, CONTROLLER_ID_KEY)?.trim() ?? ''))];
  if (secrets.length === 0)
    return {
      problem: `cannot find Secret ${CONTROLLER_ID_SECRET} (key ${CONTROLLER_ID_KEY}): read the operator's namespace too (--namespace pco-reseller-operator-system) or add the Secret to the files`,
    };
  if (ids.length > 1 || !ids[0])
    return {
      problem: `Secret ${CONTROLLER_ID_SECRET}: ${ids.length > 1 ? `found with different ids in ${secrets.map((s) => s.metadata.namespace).join(', ')}; read only the operator's namespace` : `key ${CONTROLLER_ID_KEY} is empty`}`,
    };
  return { id: ids[0] };
}

function planRegion(region: KubeObject, inventory: Inventory): PlanEntry {
  const spec = (region['spec'] ?? {}) as Record<string, unknown>;
  const reasons: string[] = [];
  const ref = spec['secretRef'] as { name?: unknown; namespace?: unknown } | undefined;
  const unready = unfinished(region, 'RegionReady');
  if (unready) reasons.push(unready);
  if (
    ref === undefined ||
    typeof ref !== 'object' ||
    typeof ref.name !== 'string' ||
    typeof ref.namespace !== 'string'
  ) {
    reasons.push(
      ref === undefined
        ? 'spec.password: the credentials are in the Region itself, which a ClusterProviderConfig cannot read; put endpoint, username and password into a Secret, set spec.secretRef {name, namespace} and run migrate again'
        : `spec.secretRef: must be {name, namespace} of the Secret with endpoint, username and password, not ${JSON.stringify(ref)}`,
    );
    return refuse(region, reasons);
  }
  const secret = findSecret(inventory, ref.namespace, ref.name);
  const endpoint = secretValue(secret, 'endpoint');
  if (!secret)
    reasons.push(
      `spec.secretRef: Secret ${ref.namespace}/${ref.name} was not read; read namespace ${ref.namespace} too, or add the Secret to the files`,
    );
  else if (!endpoint || !URL.canParse(endpoint))
    reasons.push(
      `spec.secretRef: Secret ${ref.namespace}/${ref.name} has no endpoint URL under key endpoint`,
    );
  if (reasons.length > 0) return refuse(region, reasons);
  const api = new URL(endpoint as string);
  // Where the operator found Keystone for users' application credentials: port 5000 of the API host.
  const authURL = `https://${api.hostname}:5000/v3`;
  return migration(region, inventory, {
    platform: [
      {
        apiVersion: 'm.stackplane.io/v1alpha1',
        kind: 'ClusterProviderConfig',
        metadata: { name: region.metadata.name },
        spec: {
          credentials: { source: 'Secret', secretRef: { name: ref.name, namespace: ref.namespace } },
          keystone: { authURL },
        },
      },
    ],
    resources: [],
    adopted: [],
    notes: [
      `the reseller account's Secret ${ref.namespace}/${ref.name} is read as it is (keys endpoint, username, password)`,
      `keystone.authURL ${authURL}: port 5000 of the API host, where the operator found Keystone`,
    ],
  });
}

/** The spec a Stackplane XR gets (as the original says it), or why its XRD would refuse it. */
function validSpec(
  schema: z.ZodType,
  spec: Record<string, unknown>,
): { spec: Record<string, unknown> } | { problems: string[] } {
  const problems = specIssues(schema, spec);
  return problems.length > 0 ? { problems } : { spec };
}

function planProject(project: KubeObject, inventory: Inventory, id: string): PlanEntry {
  const { name, namespace = 'default' } = project.metadata;
  const original = (project['spec'] ?? {}) as Record<string, unknown>;
  const reasons = [unfinished(project, 'ProjectReady')].filter((r): r is string => r !== undefined);
  const regions = objectsOf(inventory, PCO_GROUP, 'Region').map((r) => r.metadata.name);
  if (typeof original['region'] !== 'string' || !regions.includes(original['region']))
    reasons.push(
      `spec.region: no Region ${JSON.stringify(original['region'] ?? '')} was read; read the Regions too (they are cluster-scoped)`,
    );
  const spec = validSpec(Project.spec, {
    region: original['region'],
    ...(original['description'] ? { description: original['description'] } : {}),
    ...(original['quotas'] ? { quotas: original['quotas'] } : {}),
  });
  if ('problems' in spec) reasons.push(...spec.problems);
  if (reasons.length > 0 || 'problems' in spec) return refuse(project, reasons);
  const externalName = projectName(id, namespace, name);
  return migration(project, inventory, {
    platform: [environmentConfig(id), adoptionGrant(namespace, 'Project', name, externalName)],
    resources: [xr(Project, name, namespace, spec.spec)],
    adopted: [{ what: 'reseller project', externalName }],
    notes: ['enabled and networkPreconfigure keep what the operator always set: true and false'],
  });
}

function planUser(user: KubeObject, inventory: Inventory, id: string): PlanEntry {
  const { name, namespace = 'default' } = user.metadata;
  const original = (user['spec'] ?? {}) as Record<string, unknown>;
  const reasons = [unfinished(user, 'UserReady')].filter((r): r is string => r !== undefined);
  const secretName = userSecretName(name);
  const secret = findSecret(inventory, namespace, secretName);
  if (!secret)
    reasons.push(
      `Secret ${namespace}/${secretName} was not read: it holds the user's password, without which the OpenStack user cannot be adopted; read namespace ${namespace} with its Secrets`,
    );
  else if (!secretValue(secret, 'password'))
    reasons.push(
      `Secret ${namespace}/${secretName}: key password is empty; the user's password cannot be kept`,
    );
  const spec = validSpec(User.spec, {
    ...(original['description'] ? { description: original['description'] } : {}),
    ...(typeof original['enabled'] === 'boolean' ? { enabled: original['enabled'] } : {}),
  });
  if ('problems' in spec) reasons.push(...spec.problems);
  if (reasons.length > 0 || 'problems' in spec) return refuse(user, reasons);
  const login = userLogin(id, namespace, name);
  return migration(user, inventory, {
    platform: [environmentConfig(id), adoptionGrant(namespace, 'User', name, login)],
    resources: [xr(User, name, namespace, spec.spec)],
    adopted: [{ what: 'reseller user (in every region it is bound in)', externalName: login }],
    replaced: [
      {
        object: { apiVersion: 'v1', kind: 'Secret', namespace, name: secretName },
        keptIn: { name: passwordSecretName(name), key: 'password', sourceKey: 'password' },
      },
    ],
    notes: [
      `Secret ${secretName} keeps its name, username and password: the User first copies the password into ${passwordSecretName(name)}; the operator's Secret is immutable and Crossplane cannot take it over, so migrate deletes it only then and the User composes it anew (with OS_* keys and clouds.yaml added per region)`,
    ],
  });
}

function planBinding(binding: KubeObject, inventory: Inventory, planned: PlanEntry[]): PlanEntry {
  const { name, namespace = 'default' } = binding.metadata;
  const original = (binding['spec'] ?? {}) as Record<string, unknown>;
  const reasons = [unfinished(binding, 'UserProjectBindingReady')].filter(
    (r): r is string => r !== undefined,
  );
  for (const [field, kind] of [
    ['user', 'User'],
    ['project', 'Project'],
  ] as const) {
    const target = planned.find(
      (e) =>
        e.original.kind === kind &&
        (e.original.namespace ?? 'default') === namespace &&
        e.original.name === original[field],
    );
    if (!target) reasons.push(`spec.${field}: no ${kind} ${namespace}/${String(original[field])} was read`);
    else if (target.outcome === 'refuse')
      reasons.push(`spec.${field}: ${describeRef(target.original)} is refused; migrate it first`);
  }
  if (original['applicationCredential'] === true)
    reasons.push(
      `spec.applicationCredential: the operator's application credential cannot be adopted (Keystone shows its secret only when it is created) and Secret ${namespace}/${name}-appcred is immutable; set it to false on the original, migrate, then set it to true on the new UserProjectBinding to get a new credential in the same Secret`,
    );
  const spec = validSpec(UserProjectBinding.spec, {
    user: original['user'],
    project: original['project'],
    applicationCredential: false,
  });
  if ('problems' in spec) reasons.push(...spec.problems);
  if (reasons.length > 0 || 'problems' in spec) return refuse(binding, reasons);
  return migration(binding, inventory, {
    platform: [],
    resources: [xr(UserProjectBinding, name, namespace, spec.spec)],
    adopted: [],
    notes: ['the membership exists already; the provider observes it and adds nothing'],
  });
}

/** A Stackplane XR of that kind, in the original's namespace and under its name. */
function xr(
  kind: { group: string; version: string; kind: string },
  name: string,
  namespace: string,
  spec: unknown,
): KubeObject {
  return {
    apiVersion: `${kind.group}/${kind.version}`,
    kind: kind.kind,
    metadata: { name, namespace },
    spec,
  };
}

export const pcoResellerSource: MigrationSource = {
  name: 'pco-reseller-operator',
  // The operator's kustomize install (config/default: namespace and name prefix).
  operator: { namespace: 'pco-reseller-operator-system', name: 'pco-reseller-operator-controller-manager' },
  kinds: [
    { group: PCO_GROUP, version: VERSION, kind: 'Region', plural: 'regions' },
    { group: PCO_GROUP, version: VERSION, kind: 'Project', plural: 'projects' },
    { group: PCO_GROUP, version: VERSION, kind: 'User', plural: 'users' },
    { group: PCO_GROUP, version: VERSION, kind: 'UserProjectBinding', plural: 'userprojectbindings' },
  ],
  plan(inventory) {
    const entries: PlanEntry[] = objectsOf(inventory, PCO_GROUP, 'Region').map((r) =>
      planRegion(r, inventory),
    );
    const id = controllerID(inventory);
    for (const kind of ['Project', 'User'] as const) {
      for (const original of objectsOf(inventory, PCO_GROUP, kind)) {
        if ('problem' in id) entries.push(refuse(original, [id.problem]));
        else if (kind === 'Project') entries.push(planProject(original, inventory, id.id));
        else entries.push(planUser(original, inventory, id.id));
      }
    }
    const planned = [...entries];
    for (const binding of objectsOf(inventory, PCO_GROUP, 'UserProjectBinding'))
      entries.push(planBinding(binding, inventory, planned));
    return entries;
  },
};
