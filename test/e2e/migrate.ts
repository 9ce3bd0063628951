/**
 * `stackplane migrate --apply` on the live control plane (README: Migrating from the original
 * operators): the pco-reseller-operator's Region, Project, User and UserProjectBinding as the
 * operator left them (the vendored CRDs, status filled, finalizers on, the user's immutable Secret),
 * their project, user and membership in the reseller fake and the real Keystone. The command hands
 * them over: every XR Ready, no create and no delete in the reseller API, the user's Secret keeping
 * its values, the originals gone and nothing else deleted. Deleting a migrated binding then removes
 * its membership, as one Stackplane created would.
 */
import { expect } from 'vitest';
import { run } from '../../migrate/cli.js';
import { KubeCluster } from '../../migrate/cluster.js';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import { yamlObjects, type KubeObject } from '../../scripts/control-plane/objects.js';
import { DEFAULT_ACCOUNT } from '../../testing/fakes/reseller-api.js';
import { eventually, refOf, waitForCondition, waitForGone } from './support.js';

const TESTDATA = 'test/migrate/testdata/pco-reseller-operator';
const NAMESPACE = 'e2e-migrate';
/** Not prod1: the control plane's own region has that name. */
const REGION = 'pco1';
const CONTROLLER_ID = 'qxmrtb';
const LOGIN = `user-sample-${NAMESPACE}@${CONTROLLER_ID}.k8s`;
const PROJECT = `${CONTROLLER_ID}-${NAMESPACE}-project-sample`;
const PASSWORD = 'Kq7mXz2Pw9Lr4Tn8Vb3Hc6Jd5Fg1Sa0Y';
const PLURALS: Record<string, string> = {
  Region: 'regions',
  Project: 'projects',
  User: 'users',
  UserProjectBinding: 'userprojectbindings',
};

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The operator's objects of operated.yaml, moved to this test's namespace, region and fake. */
function originals(resellerURL: string): KubeObject[] {
  return yamlObjects(`${TESTDATA}/operated.yaml`).map((o) => {
    const object = structuredClone(o);
    const metadata = object.metadata!;
    if (metadata.namespace === 'default') metadata.namespace = NAMESPACE;
    if (object.kind === 'Region') metadata.name = REGION;
    const spec = object['spec'] as Record<string, unknown> | undefined;
    if (spec?.['region'] === 'prod1') spec['region'] = REGION;
    if (object.kind === 'Region')
      spec!['secretRef'] = { name: `${REGION}-secret`, namespace: 'pco-reseller-operator-system' };
    if (object.kind === 'Secret' && metadata.name === 'prod1-secret') {
      metadata.name = `${REGION}-secret`;
      object['data'] = {
        endpoint: b64(resellerURL),
        username: b64(DEFAULT_ACCOUNT.username),
        password: b64(DEFAULT_ACCOUNT.password),
      };
    }
    if (object.kind === 'Secret' && metadata.name === 'user-sample-openstack')
      object['data'] = { username: b64(LOGIN), password: b64(PASSWORD) };
    return object;
  });
}

export async function migratesFromPcoResellerOperator(cp: ControlPlane): Promise<void> {
  const { objects } = cp;
  const { reseller } = cp.fakes;
  for (const file of ['crd-regions', 'crd-projects', 'crd-users', 'crd-userprojectbindings'])
    await objects.apply(...yamlObjects(`${TESTDATA}/${file}.yaml`));
  for (const ns of [NAMESPACE, 'pco-reseller-operator-system'])
    await objects.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);

  // What the operator made: the project, the user and the membership, in the fake and in Keystone.
  const project = await reseller.addProject({ name: `${DEFAULT_ACCOUNT.projectPrefix}${PROJECT}` });
  const user = await reseller.addUser({ name: LOGIN, password: PASSWORD });
  await reseller.addMembership(project.id, user.id);

  const manifests = originals(reseller.url);
  for (const object of manifests) {
    await eventually(`${object.kind} ${object.metadata!.name} created`, async () => {
      try {
        await objects.apply(object);
        return true;
      } catch {
        return undefined; // The CRDs may not be served yet.
      }
    });
    const status = object['status'];
    const plural = PLURALS[object.kind!];
    if (status && plural) {
      const ns = object.metadata!.namespace ? `/namespaces/${object.metadata!.namespace}` : '';
      await objects.mergePatch(`/apis/${object.apiVersion}${ns}/${plural}/${object.metadata!.name}/status`, {
        status,
      });
    }
  }

  const isCreate = (r: { method: string; path: string }) => r.method === 'POST' && !/\/auth\//.test(r.path);
  const writesBefore = reseller.requests.length;
  const out: string[] = [];
  const migration = run(['--apply', '--from', 'pco-reseller-operator', '--wait', '5m'], {
    out: (t) => out.push(t),
    err: (t) => out.push(t),
    connect: () => new KubeCluster(cp.admin),
  });
  // The region's API serves plain HTTP on loopback here and its Keystone is the test's: the platform
  // sets both on the ClusterProviderConfig the command wrote, as a real region would need neither.
  await eventually('the migrated ClusterProviderConfig', async () =>
    (await objects.get('m.stackplane.io/v1alpha1', 'ClusterProviderConfig', REGION)) ? true : undefined,
  );
  await objects.mergePatch(`/apis/m.stackplane.io/v1alpha1/clusterproviderconfigs/${REGION}`, {
    spec: { allowInsecureHTTP: true, keystone: { authURL: cp.fakes.identity.url } },
  });
  const code = await migration;
  expect(out.join(''), out.join('')).toContain('done: every migrated original is released');
  expect(code).toBe(0);

  const during = reseller.requests.slice(writesBefore);
  expect(during.filter(isCreate).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  expect(during.filter((r) => r.method === 'DELETE').map((r) => `${r.method} ${r.path}`)).toEqual([]);
  expect(reseller.projects.get(project.id)).toBeDefined();
  expect(reseller.users.get(user.id)).toBeDefined();

  const xr = (kind: string, name: string): KubeObject =>
    ({
      apiVersion: 'reseller.stackplane.io/v1alpha1',
      kind,
      metadata: { name, namespace: NAMESPACE },
    }) as KubeObject;
  const xrs = [
    xr('UserProjectBinding', 'userprojectbinding-sample'),
    xr('User', 'user-sample'),
    xr('Project', 'project-sample'),
  ];
  for (const o of xrs) await waitForCondition(objects, refOf(o), 'Ready');
  for (const o of manifests.filter((m) => m.apiVersion?.startsWith('pco.plusserver.com/')))
    await waitForGone(objects, refOf(o));
  const secret = await objects.get('v1', 'Secret', 'user-sample-openstack', NAMESPACE);
  expect((secret?.['data'] as Record<string, string>)['password']).toBe(b64(PASSWORD));
  expect((secret?.['data'] as Record<string, string>)['username']).toBe(b64(LOGIN));

  // Stackplane owns them now: deleting the binding removes the membership, then the rest goes.
  await objects.delete(xrs[0]!);
  await eventually('the membership removed', async () =>
    reseller.memberships.has(`${project.id}/${user.id}`) ? undefined : true,
  );
  for (const o of xrs.slice(1)) await objects.delete(o);
  for (const o of xrs) await waitForGone(objects, refOf(o), 180_000);
  await eventually('the project and user deleted', async () =>
    reseller.projects.has(project.id) || reseller.users.has(user.id) ? undefined : true,
  );
  await objects.delete({
    apiVersion: 'apiextensions.crossplane.io/v1beta1',
    kind: 'EnvironmentConfig',
    metadata: { name: 'stackplane-reseller' },
  } as KubeObject);
}
