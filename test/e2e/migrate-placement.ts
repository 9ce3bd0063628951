/**
 * `stackplane migrate --apply --from placement-operator` on the live control plane (README:
 * Migrating from placement-operator): the operator's basic sample as it leaves it (the vendored
 * PlacementAPI CRD, status Ready, finalizer on), its Deployment and Services, and what it asked of
 * openstack-k8s-operators' mariadb-operator and keystone-operator (MariaDBDatabase, MariaDBAccount
 * and its password Secret, KeystoneService and KeystoneEndpoint with the ids Keystone gave them),
 * each owned by the PlacementAPI, carrying its finalizer and Ready as its operator set it: that
 * status stands for the database and the Keystone registration, whose operators do not run here.
 *
 * The platform runs the migrating cloud on a Composition of its own with the backends that compose
 * those very objects (openstack-mariadb-operator, keystone-operator) and migrate points the XR at it
 * (--composition). The command hands over: the XR Ready; every object that holds state the same
 * object (same uid, same user, password and ids), none of those kinds created; the Deployment and
 * Services the same objects, still serving; the original gone, the operator scaled to 0. Deleting
 * the XR then deletes what it composes, those objects included, as one Stackplane created would.
 */
import { expect } from 'vitest';
import { run } from '../../migrate/cli.js';
import { KubeCluster } from '../../migrate/cluster.js';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import { yamlObjects, type KubeObject, type Objects } from '../../scripts/control-plane/objects.js';
import { eventually, refOf, waitForCondition, waitForGone, type Ref } from './support.js';

const TESTDATA = 'test/migrate/testdata/placement-operator';
const NAMESPACE = 'openstack';
/** The platform's Composition for the migrating cloud, beside the package's. */
const COMPOSITION = 'placementapis-openstack-operators.openstack.stackplane.io';
const PLURALS: Record<string, string> = {
  PlacementAPI: 'placementapis',
  MariaDBDatabase: 'mariadbdatabases',
  MariaDBAccount: 'mariadbaccounts',
  KeystoneService: 'keystoneservices',
  KeystoneEndpoint: 'keystoneendpoints',
};
/** What holds state (the database, the account, the Keystone registration), and what serves. */
const STATEFUL = ['MariaDBDatabase', 'MariaDBAccount', 'KeystoneService', 'KeystoneEndpoint'];
const KEPT: Ref[] = [
  ...STATEFUL.map((kind) => ({
    apiVersion: `${kind.startsWith('Keystone') ? 'keystone' : 'mariadb'}.openstack.org/v1beta1`,
    kind,
    name: 'placement',
    namespace: NAMESPACE,
  })),
  { apiVersion: 'v1', kind: 'Secret', name: 'placement-db-secret', namespace: NAMESPACE },
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'placement', namespace: NAMESPACE },
  { apiVersion: 'v1', kind: 'Service', name: 'placement-internal', namespace: NAMESPACE },
  { apiVersion: 'v1', kind: 'Service', name: 'placement-public', namespace: NAMESPACE },
];
const XR: KubeObject = {
  apiVersion: 'openstack.stackplane.io/v1alpha1',
  kind: 'PlacementAPI',
  metadata: { name: 'placement', namespace: NAMESPACE },
};

/** The operator's Deployment, as openstack-operator installs it. */
const operator: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'placement-operator-controller-manager', namespace: 'openstack-operators' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { 'control-plane': 'controller-manager' } },
    template: {
      metadata: { labels: { 'control-plane': 'controller-manager' } },
      spec: {
        containers: [{ name: 'manager', image: 'quay.io/openstack-k8s-operators/placement-operator:latest' }],
      },
    },
  },
};

/** The shipped PlacementAPI Composition under the platform's name, with the operators' backends. */
function platformComposition(): KubeObject {
  const [shipped] = yamlObjects('compositions/placementapi.yaml');
  const composition = structuredClone(shipped!);
  composition.metadata = { name: COMPOSITION, labels: composition.metadata!.labels ?? {} };
  const [step] = (composition['spec'] as { pipeline: Array<{ input: Record<string, unknown> }> }).pipeline;
  step!.input['database'] = { backend: 'openstack-mariadb-operator' };
  step!.input['keystone'] = { backend: 'keystone-operator' };
  return composition;
}

/** Creates an object as its operator left it: owned by the PlacementAPI of that uid, its status written. */
async function createOperated(objects: Objects, object: KubeObject, placementUID?: string): Promise<void> {
  const { status, ...rest } = object as KubeObject & { status?: Record<string, unknown> };
  const { uid: _uid, ...metadata } = object.metadata!;
  const owners = metadata.ownerReferences?.map((r) => ({ ...r, uid: placementUID ?? r.uid }));
  const manifest = { ...rest, metadata: { ...metadata, ...(owners ? { ownerReferences: owners } : {}) } };
  await eventually(`${object.kind} ${metadata.name} created`, async () => {
    try {
      await objects.apply(manifest as KubeObject);
      return true;
    } catch {
      return undefined; // The CRDs may not be served yet.
    }
  });
  const plural = PLURALS[object.kind!];
  if (status && plural)
    await objects.patchStatus(
      `/apis/${object.apiVersion}/namespaces/${NAMESPACE}/${plural}/${metadata.name}`,
      status,
    );
}

/**
 * There is no Job controller nor kubelet here: reports each db-sync Job of the namespace complete,
 * as they would once `placement-manage db sync` exited 0, until the returned function is called.
 */
function standInForDbSync(objects: Objects): () => Promise<void> {
  let running = true;
  const complete = () => {
    const now = new Date().toISOString();
    const condition = (type: string) => ({
      type,
      status: 'True',
      lastProbeTime: now,
      lastTransitionTime: now,
    });
    return {
      startTime: now,
      completionTime: now,
      succeeded: 1,
      conditions: [condition('SuccessCriteriaMet'), condition('Complete')],
    };
  };
  const loop = (async () => {
    while (running) {
      for (const job of await objects.list('batch/v1', 'Job', NAMESPACE).catch(() => [])) {
        if ((job['status'] as { succeeded?: number } | undefined)?.succeeded) continue;
        const path = `/apis/batch/v1/namespaces/${NAMESPACE}/jobs/${job.metadata!.name}`;
        await objects
          .patchStatus(path, complete())
          .catch((error: unknown) =>
            console.warn(
              `cannot complete Job ${job.metadata!.name}: ${(error as { body?: string }).body ?? String(error)}`,
            ),
          );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

const get = (objects: Objects, ref: Ref) => objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace);
const uidOf = (object: KubeObject | undefined) => object?.metadata?.uid;
const field = (object: KubeObject | undefined, path: 'spec' | 'status' | 'data') =>
  object?.[path] as Record<string, unknown> | undefined;

/**
 * Runs the hand-over. `standInForKubelet` reports the namespace's Deployments available until the
 * function it returns is called.
 */
export async function migratesFromPlacementOperator(
  cp: ControlPlane,
  standInForKubelet: (namespace: string) => () => Promise<void>,
): Promise<void> {
  const { objects } = cp;
  await objects.apply(
    ...yamlObjects(`${TESTDATA}/crd-placementapis.yaml`),
    ...yamlObjects(`${TESTDATA}/crd-dependents.yaml`),
  );
  for (const name of [NAMESPACE, 'openstack-operators'])
    await objects.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
  const composition = platformComposition();
  await objects.apply(composition);

  const operated = yamlObjects(`${TESTDATA}/operated.yaml`);
  const original = operated.find((o) => o.kind === 'PlacementAPI')!;
  await createOperated(objects, original);
  const placementUID = uidOf(await get(objects, refOf(original)));
  for (const object of operated.filter((o) => o !== original))
    await createOperated(objects, object, placementUID);
  await objects.apply(operator);

  const before = new Map<string, KubeObject | undefined>();
  for (const ref of KEPT) before.set(`${ref.kind}/${ref.name}`, await get(objects, ref));
  expect([...before].filter(([, o]) => o === undefined).map(([k]) => k)).toEqual([]);

  const stopKubelet = standInForKubelet(NAMESPACE);
  const stopDbSync = standInForDbSync(objects);
  try {
    const out: string[] = [];
    const started = Date.now();
    const code = await run(
      [
        '--apply',
        '--from',
        'placement-operator',
        '--wait',
        '5m',
        '--composition',
        `PlacementAPI=${COMPOSITION}`,
      ],
      { out: (t) => out.push(t), err: (t) => out.push(t), connect: () => new KubeCluster(cp.admin) },
    );
    expect(out.join(''), out.join('')).toContain('done: every migrated original is released');
    expect(code).toBe(0);
    console.log(
      `placement-operator hand-over: the XR Ready after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const xr = await waitForCondition(objects, refOf(XR), 'Ready');
    expect((field(xr, 'spec')?.['crossplane'] as { compositionRef?: unknown }).compositionRef).toEqual({
      name: COMPOSITION,
    });
    await waitForGone(objects, refOf(original));
    const scaled = await objects.get(
      'apps/v1',
      'Deployment',
      operator.metadata!.name!,
      'openstack-operators',
    );
    expect((field(scaled, 'spec') as { replicas?: number }).replicas).toBe(0);

    // The same objects, never deleted and made again: uids, user, password and ids as they were.
    for (const ref of KEPT) {
      const now = await get(objects, ref);
      const was = before.get(`${ref.kind}/${ref.name}`);
      expect([ref.kind, ref.name, uidOf(now)]).toEqual([ref.kind, ref.name, uidOf(was)]);
    }
    const account = await get(objects, KEPT[1]!);
    expect(field(account, 'spec')).toMatchObject({
      userName: 'placement_3fa2',
      secret: 'placement-db-secret',
    });
    const secret = await get(objects, KEPT[4]!);
    expect(field(secret, 'data')).toEqual(field(before.get('Secret/placement-db-secret'), 'data'));
    for (const [i, keys] of [
      [2, ['serviceID']],
      [3, ['serviceID', 'endpointIDs']],
    ] as const) {
      const now = field(await get(objects, KEPT[i]!), 'status');
      const was = field(before.get(`${KEPT[i]!.kind}/placement`), 'status');
      for (const key of keys)
        expect([KEPT[i]!.kind, key, now?.[key]]).toEqual([KEPT[i]!.kind, key, was?.[key]]);
    }
    // None of those kinds made anew, and each now composed by the XR.
    for (const ref of KEPT.slice(0, STATEFUL.length)) {
      const all = await objects.list(ref.apiVersion, ref.kind, NAMESPACE);
      expect([ref.kind, all.map((o) => o.metadata!.name)]).toEqual([ref.kind, ['placement']]);
      const controller = all[0]!.metadata!.ownerReferences?.find((r) => r.controller);
      expect([ref.kind, controller?.kind, controller?.uid]).toEqual([ref.kind, 'PlacementAPI', uidOf(xr)]);
    }
    // Still serving: the Deployment keeps the operator's selector, which its Services find too.
    const deployment = await get(objects, KEPT[5]!);
    expect((field(deployment, 'spec') as { selector?: unknown }).selector).toEqual({
      matchLabels: { owner: 'placement', service: 'placement' },
    });

    // Stackplane's now: deleting the XR deletes what it composes, the database and Keystone objects
    // too, as it would had Stackplane created them (their operators then drop the database and
    // unregister the service); the password Secret, which it reads and never composed, stays.
    await objects.delete(XR);
    await waitForGone(objects, refOf(XR), 180_000);
    for (const ref of KEPT.filter((r) => r.kind !== 'Secret')) await waitForGone(objects, ref, 180_000);
    expect(field(await get(objects, KEPT[4]!), 'data')).toEqual(field(secret, 'data'));
  } finally {
    await stopDbSync();
    await stopKubelet();
    await objects.delete(composition);
    await objects.delete(operator);
    for (const name of ['placement-db-secret', 'placement-secret'])
      await objects.delete({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NAMESPACE } });
  }
}
