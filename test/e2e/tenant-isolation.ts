/**
 * One tenant against another on the live control plane (issue 21, README: Tenancy and security): a
 * ServiceAccount of namespace `team` with the rights a platform gives a namespace user (Kubernetes'
 * aggregated `edit` role, which Stackplane's `*-tenant.yaml` roles extend) tries to reach the cloud
 * project of namespace `team-a`, to run a BuildingBlock and to make the provider send a webhook.
 * Each attempt fails as the README says, and the reseller fake's request log shows no write to
 * team-a's projects.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import { Objects, type KubeObject } from '../../scripts/control-plane/objects.js';
import { REGION } from '../../scripts/control-plane/platform.js';
import { DEFAULT_ACCOUNT } from '../../testing/fakes/reseller-api.js';
import { condition, eventually, refOf, summary, waitForCondition, waitForGone, type Ref } from './support.js';

/** The tenant's namespace: no "-", so `team`/`a-web-…` once met `team-a`/`web`. */
export const TENANT = { namespace: 'team', serviceAccount: 'tenant' };
/** The other tenant, whose objects must stay untouched. */
export const VICTIM_NAMESPACE = 'team-a';
/** A migrating cluster's id (README: Migrating from the pco-reseller-operator). */
const MIGRATION_ID = 'qxmrtb';

const xrProject = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'reseller.stackplane.io/v1alpha1',
  kind: 'Project',
  metadata: { name, namespace },
  spec: { region: REGION, description: `Project ${name} of ${namespace}` },
});

/** The platform's reseller naming configuration of a cluster migrating from the original operator. */
const migrationNaming: KubeObject = {
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'EnvironmentConfig',
  metadata: { name: 'stackplane-reseller' },
  data: { controllerID: MIGRATION_ID, naming: 'original' },
};

/** The tenant's client: a token of its ServiceAccount, bound to `edit` in its namespace only. */
export async function tenantClient(cp: ControlPlane): Promise<Objects> {
  const { namespace, serviceAccount } = TENANT;
  const admin = cp.objects;
  await admin.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: VICTIM_NAMESPACE } },
  );
  const kubeconfig = await cp.cluster.serviceAccountKubeconfig(namespace, serviceAccount);
  await admin.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${serviceAccount}-edit`, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
  } as KubeObject);
  // kube-controller-manager aggregates Stackplane's tenant roles into `edit`.
  await eventually(
    'ClusterRole edit aggregates reseller.stackplane.io',
    async () => {
      const edit = await admin.get('rbac.authorization.k8s.io/v1', 'ClusterRole', 'edit');
      const rules = (edit?.['rules'] ?? []) as { apiGroups?: string[] }[];
      return rules.some((r) => r.apiGroups?.includes('reseller.stackplane.io')) ? true : undefined;
    },
    async () => 'not aggregated',
    60_000,
  );
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  return new Objects(config);
}

/** The HTTP status the API server answered the tenant's apply with; undefined when it was accepted. */
export async function applyStatus(client: Objects, object: KubeObject): Promise<number | undefined> {
  try {
    await client.apply(object);
    return undefined;
  } catch (error) {
    return (error as { cause?: { code?: number } }).cause?.code ?? -1;
  }
}

/** What a live victim project looks like in the fake and which writes reached it since `from`. */
export function victimState(cp: ControlPlane, id: string, from: number) {
  const { reseller } = cp.fakes;
  const project = reseller.projects.get(id);
  return {
    project: project && { name: project.name, description: project.description, enabled: project.enabled },
    writes: reseller.requests
      .slice(from)
      .filter((r) => r.method !== 'GET' && r.path.includes(id))
      .map((r) => `${r.method} ${r.path}`),
  };
}

/** A reseller Project XR of the admin's, Ready, with its project id and OpenStack name. */
export async function readyProject(
  cp: ControlPlane,
  client: Objects,
  xr: KubeObject,
): Promise<{ id: string; openstackName: string; fullName: string }> {
  await client.apply(xr);
  const ready = await waitForCondition(cp.objects, refOf(xr), 'Ready', 'True', 180_000);
  const status = ready['status'] as { projectID: string; openstackName: string; fullName: string };
  return { id: status.projectID, openstackName: status.openstackName, fullName: status.fullName };
}

/** The composed provider Project of a Project XR (same name and namespace). */
export const mrOf = (xr: KubeObject): Ref => ({
  apiVersion: 'reseller.m.stackplane.io/v1alpha1',
  kind: 'Project',
  name: xr.metadata!.name!,
  namespace: xr.metadata!.namespace!,
});

/** Runs the whole attack of `team` on `team-a`; cleans up what it created. */
export async function tenantCannotReachAnotherNamespace(cp: ControlPlane): Promise<void> {
  const admin = cp.objects;
  const { reseller } = cp.fakes;
  const tenant = await tenantClient(cp);
  const { namespace } = TENANT;

  // 1a. Default naming: team-a/web gets a hashed name, since its namespace has a "-".
  const web = xrProject(VICTIM_NAMESPACE, 'web');
  const victim = await readyProject(cp, admin, web);
  const idPrefix = victim.openstackName.split('-')[0]!;
  expect(victim.openstackName).toMatch(new RegExp(`^${idPrefix}-team-a-web-[a-z2-7]{10}$`));
  const attackStart = reseller.requests.length;
  const before = victimState(cp, victim.id, attackStart);
  expect(before.project?.name).toBe(victim.fullName);

  // team/a-web-<hash> was team-a/web's name in the plain form: it gets a name of its own.
  const crafted = xrProject(namespace, victim.openstackName.slice(`${idPrefix}-team-`.length));
  const own = await readyProject(cp, tenant, crafted);
  expect(own.id).not.toBe(victim.id);
  expect(own.openstackName).not.toBe(victim.openstackName);
  expect(own.fullName).not.toBe(victim.fullName);
  await tenant.delete(crafted);
  for (const ref of [mrOf(crafted), refOf(crafted)]) await waitForGone(admin, ref, 180_000);
  expect(reseller.projects.has(own.id)).toBe(false);

  // 1b. On a migrating cluster the platform chose the original's plain names, which collide
  // (team-a/app and team/a-app): the tenant's create finds team-a's project and refuses it.
  await admin.apply(migrationNaming);
  const app = xrProject(VICTIM_NAMESPACE, 'app');
  const migrated = await readyProject(cp, admin, app);
  expect(migrated.openstackName).toBe(`${MIGRATION_ID}-team-a-app`);
  const appStart = reseller.requests.length;
  const appBefore = victimState(cp, migrated.id, appStart);
  expect(appBefore.project?.name).toBe(migrated.fullName);
  const colliding = xrProject(namespace, 'a-app');
  expect(await applyStatus(tenant, colliding)).toBeUndefined();
  const refused = await eventually(
    'team/a-app refused',
    async () => {
      const c = condition(await admin.get(...refArgs(mrOf(colliding))), 'Synced');
      return c?.status === 'False' && c.message?.includes('cannot adopt') ? c : undefined;
    },
    async () => summary(await admin.get(...refArgs(mrOf(colliding)))),
    180_000,
  );
  const refusal =
    `cannot adopt project "${DEFAULT_ACCOUNT.projectPrefix}${migrated.openstackName}" (${migrated.id}): ` +
    'it carries the ownership marker of another managed resource; nothing was changed; the platform ' +
    `can allow namespace "${namespace}" to adopt it with an AdoptionGrant (m.stackplane.io/v1alpha1) ` +
    `of kind Project and externalName "${migrated.openstackName}"`;
  expect(refused.message).toContain(refusal);
  expect(condition(await admin.get(...refArgs(refOf(colliding))), 'Ready')?.status).not.toBe('True');
  // The tenant cannot read provider Projects, but reads the refusal among its namespace's events.
  await eventually(
    'the refusal among the events the tenant lists',
    async () =>
      (await refusalsSeenBy(tenant, mrOf(colliding))).some((m) => m.includes(refusal)) ? true : undefined,
    async () => JSON.stringify(await refusalsSeenBy(tenant, mrOf(colliding))),
    30_000,
  );
  // ... and on its own Project, which it may read: ExternalSynced repeats the provider's refusal.
  await eventually(
    'the refusal on the Project the tenant reads',
    async () => {
      const c = condition(await tenant.get(...refArgs(refOf(colliding))), 'ExternalSynced');
      return c?.status === 'False' && c.message?.startsWith('project: ') && c.message.includes(refusal)
        ? c
        : undefined;
    },
    async () => summary(await tenant.get(...refArgs(refOf(colliding)))),
    120_000,
  );
  await tenant.delete(colliding);
  for (const ref of [mrOf(colliding), refOf(colliding)]) await waitForGone(admin, ref, 180_000);

  // What would make an adoption explicit is the platform's, never the tenant's: the grant, the
  // naming configuration, a provider Project with an external name, the provider configs.
  const forbidden: [string, KubeObject][] = [
    [
      'AdoptionGrant',
      {
        apiVersion: 'm.stackplane.io/v1alpha1',
        kind: 'AdoptionGrant',
        metadata: { name: 'team-takes-team-a-app' },
        spec: { namespace, kind: 'Project', externalName: migrated.openstackName },
      },
    ],
    ['EnvironmentConfig', { ...migrationNaming, metadata: { name: 'stackplane-reseller' } }],
    [
      'reseller Project MR with an external name',
      {
        apiVersion: 'reseller.m.stackplane.io/v1alpha1',
        kind: 'Project',
        metadata: { name: 'pointed', namespace, annotations: { 'crossplane.io/external-name': migrated.id } },
        spec: {
          forProvider: { name: 'pointed', description: 'x' },
          providerConfigRef: { kind: 'ClusterProviderConfig', name: REGION },
        },
      },
    ],
    [
      'ProviderConfig',
      {
        apiVersion: 'm.stackplane.io/v1alpha1',
        kind: 'ProviderConfig',
        metadata: { name: 'mine', namespace },
        spec: { webhook: { allowedTargets: ['169.254.169.254'] } },
      },
    ],
    // 2. A BuildingBlock runs privileged agents on nodes: an operator's kind.
    [
      'BuildingBlock',
      {
        apiVersion: 'openstack.stackplane.io/v1alpha1',
        kind: 'BuildingBlock',
        metadata: { name: 'root', namespace },
        spec: { availabilityZone: 'az-1', hypervisor: 'kvm', hosts: ['control-plane-0'] },
      },
    ],
    // 4. The provider posts only WebhookNotifications, which tenants cannot create.
    [
      'WebhookNotification',
      {
        apiVersion: 'notification.m.stackplane.io/v1alpha1',
        kind: 'WebhookNotification',
        metadata: { name: 'metadata', namespace },
        spec: { forProvider: { urlSecretRef: { name: 'metadata-url', key: 'url' }, body: {} } },
      },
    ],
  ];
  const answers = await Promise.all(forbidden.map(([, object]) => applyStatus(tenant, object)));
  expect(Object.fromEntries(forbidden.map(([what], i) => [what, answers[i]]))).toEqual(
    Object.fromEntries(forbidden.map(([what]) => [what, 403])),
  );

  await webhookTargetRefused(cp, tenant);

  // The other tenant's projects: as they were, not one write since the attack began, still Ready.
  expect(victimState(cp, victim.id, attackStart)).toEqual({ ...before, writes: [] });
  expect(victimState(cp, migrated.id, appStart)).toEqual({ ...appBefore, writes: [] });
  for (const xr of [web, app]) await waitForCondition(admin, refOf(xr), 'Ready');

  for (const xr of [web, app]) await admin.delete(xr);
  for (const xr of [web, app])
    for (const ref of [mrOf(xr), refOf(xr)]) await waitForGone(admin, ref, 180_000);
  await admin.delete(migrationNaming);
}

/**
 * 4. Even where the platform posts a notification to a URL a tenant wrote into a Secret of its
 * namespace, the provider refuses a target outside the allow-list before a connection opens (a
 * loopback listener the provider config does not admit sees none) and tells the namespace only the
 * generic message; the provider log names the host.
 */
async function webhookTargetRefused(cp: ControlPlane, tenant: Objects): Promise<void> {
  const { namespace } = TENANT;
  const connections: string[] = [];
  const listener = createServer((socket) => {
    connections.push(String(socket.remoteAddress));
    socket.destroy();
  });
  // 127.0.0.2: loopback, so nothing leaves the machine, and not the 127.0.0.1 other tests admit.
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.2', resolve));
  try {
    const { port } = listener.address() as { port: number };
    const url = `https://127.0.0.2:${port}/hooks/scan`;
    await tenant.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'alerts', namespace },
      data: { url: Buffer.from(url).toString('base64') },
    });
    const notification: KubeObject = {
      apiVersion: 'notification.m.stackplane.io/v1alpha1',
      kind: 'WebhookNotification',
      metadata: { name: 'scan', namespace },
      spec: { forProvider: { urlSecretRef: { name: 'alerts', key: 'url' }, payload: { probe: true } } },
    };
    await cp.objects.apply(notification);
    const refused = await eventually(
      'the notification refused',
      async () => {
        const c = condition(await cp.objects.get(...refArgs(refOf(notification))), 'Synced');
        return c?.status === 'False' ? c : undefined;
      },
      async () => summary(await cp.objects.get(...refArgs(refOf(notification)))),
    );
    expect(refused.message).toBe(
      'cannot create external resource: cannot deliver notification: the webhook target is not allowed by the provider config',
    );
    const providerLog = readFileSync(join(cp.logDir, 'provider-stackplane.log'), 'utf8');
    expect(providerLog).toContain(`127.0.0.2:${port}`);
    expect(connections).toEqual([]);
    await cp.objects.delete(notification);
    await waitForGone(cp.objects, refOf(notification));
  } finally {
    await new Promise((resolve) => listener.close(resolve));
  }
}

/** The messages of the Warning events about a managed resource, as a namespace user lists them. */
async function refusalsSeenBy(client: Objects, ref: Ref): Promise<string[]> {
  const events = await client.list('v1', 'Event', ref.namespace);
  return events
    .filter((e) => {
      const involved = e['involvedObject'] as { apiVersion?: string; kind?: string; name?: string };
      return (
        e['type'] === 'Warning' &&
        involved.apiVersion === ref.apiVersion &&
        involved.kind === ref.kind &&
        involved.name === ref.name
      );
    })
    .map((e) => String(e['message']));
}

const refArgs = (ref: Ref): [string, string, string, string | undefined] => [
  ref.apiVersion,
  ref.kind,
  ref.name,
  ref.namespace,
];
