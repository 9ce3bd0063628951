/**
 * `stackplane migrate --apply` against a real kube-apiserver: the originals as their operators left
 * them (vendored CRDs, finalizers, status, Secrets, owned Deployment and Services), Stackplane's
 * kinds as Crossplane would serve them, and a stand-in for Crossplane that reports the XRs Ready the
 * way the compositions would, and for the garbage collector that completes orphaning deletes (there
 * is no Crossplane and no kube-controller-manager here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlans } from '../../migrate/apply.js';
import { run } from '../../migrate/cli.js';
import { KubeCluster, type Cluster } from '../../migrate/cluster.js';
import { PAUSED, type KubeObject as PlanObject, type OriginalRef } from '../../migrate/plan.js';
import { readFiles } from '../../migrate/read-files.js';
import { RestKubeClient, type KubeObject } from '../../provider/src/runtime/kube.js';
import { kubeApiServerOrSkip, startKubeApiServer, type KubeApiServer } from '../../testing/kube-apiserver.js';
import { createNamespace, eventually } from '../support/runtime-cluster.js';
import { crdOfXrd, crdsIn, environmentConfigCrd, installCrds, typeOf } from './support/cluster.js';
import { OPERATED_DUROS_STATUS } from './support.js';

const binaries = kubeApiServerOrSkip('migrate --apply tests');
const PCO = 'test/migrate/testdata/pco-reseller-operator';
const PLACEMENT = 'test/migrate/testdata/placement-operator';
const DUROS = 'test/migrate/testdata/duros';

type Any = KubeObject & Record<string, unknown>;
const PLURALS: Record<string, [string, boolean]> = {
  Secret: ['secrets', true],
  Deployment: ['deployments', true],
  Service: ['services', true],
  ConfigMap: ['configmaps', true],
  Region: ['regions', false],
  Project: ['projects', true],
  User: ['users', true],
  UserProjectBinding: ['userprojectbindings', true],
  PlacementAPI: ['placementapis', true],
  ClusterProviderConfig: ['clusterproviderconfigs', false],
  AdoptionGrant: ['adoptiongrants', false],
  EnvironmentConfig: ['environmentconfigs', false],
  Postgres: ['postgres', true],
  MariaDBAccount: ['mariadbaccounts', true],
  MariaDBDatabase: ['mariadbdatabases', true],
  KeystoneService: ['keystoneservices', true],
  KeystoneEndpoint: ['keystoneendpoints', true],
  Duros: ['duros', true],
  StorageTenant: ['storagetenants', false],
};
const typeOfObject = (o: { apiVersion?: string; kind?: string }) => {
  const [plural, namespaced] = PLURALS[o.kind ?? ''] ?? ['', true];
  return typeOf(o.apiVersion ?? '', plural, namespaced);
};

/** The original a composite of the same kind and name replaces, where the plan releases it early. */
const ORIGINAL_API_VERSION: Record<string, string> = { PlacementAPI: 'placement.openstack.org/v1beta1' };

/** Every call of the command to the cluster, in order; releases also record whether every XR was Ready. */
class RecordingCluster implements Cluster {
  readonly calls: string[] = [];
  constructor(
    private readonly inner: Cluster,
    private readonly xrsReady: () => Promise<boolean>,
  ) {}
  get(ref: OriginalRef) {
    return this.inner.get(ref);
  }
  list(apiVersion: string, kind: string, namespace?: string) {
    return this.inner.list(apiVersion, kind, namespace);
  }
  async apply(object: PlanObject) {
    this.calls.push(`apply ${object.kind} ${object.metadata.name}`);
    await this.inner.apply(object);
  }
  async setFinalizers(ref: OriginalRef, finalizers: string[], resourceVersion: string) {
    this.calls.push(`unfinalize ${ref.kind} ${ref.name}`);
    return this.inner.setFinalizers(ref, finalizers, resourceVersion);
  }
  async letGo(ref: OriginalRef, metadata: Parameters<Cluster['letGo']>[1], resourceVersion: string) {
    this.calls.push(`let go ${ref.kind} ${ref.name}`);
    await this.inner.letGo(ref, metadata, resourceVersion);
  }
  async deleteOrphaning(ref: OriginalRef, uid: string, resourceVersion: string) {
    const ready =
      ref.apiVersion === 'v1' ? '' : (await this.xrsReady()) ? ' (every XR Ready)' : ' (XRs not Ready)';
    this.calls.push(`delete ${ref.kind} ${ref.name}${ready}`);
    await this.inner.deleteOrphaning(ref, uid, resourceVersion);
  }
  async seedStatus(object: PlanObject) {
    this.calls.push(`seed ${object.kind} ${object.metadata.name}`);
    await this.inner.seedStatus(object);
  }
  async unpause(ref: OriginalRef) {
    const apiVersion = ORIGINAL_API_VERSION[ref.kind];
    const original = apiVersion ? await this.inner.get({ ...ref, apiVersion }) : undefined;
    this.calls.push(`unpause ${ref.kind} ${ref.name}${original ? ' (its original still there)' : ''}`);
    await this.inner.unpause(ref);
  }
  async scaleToZero(namespace: string, name: string) {
    this.calls.push(`scale ${name}`);
    return this.inner.scaleToZero(namespace, name);
  }
}

const XRS: Array<[string, string, string]> = [
  ['reseller.stackplane.io/v1alpha1', 'Project', 'project-sample'],
  ['reseller.stackplane.io/v1alpha1', 'User', 'user-sample'],
  ['reseller.stackplane.io/v1alpha1', 'UserProjectBinding', 'userprojectbinding-sample'],
  ['openstack.stackplane.io/v1alpha1', 'PlacementAPI', 'placement'],
];
/** What the snapshot lists: a label, and the kind's apiVersion and kind. */
const SNAPSHOT: Array<[string, string, string]> = [
  ['Secret', 'v1', 'Secret'],
  ['ConfigMap', 'v1', 'ConfigMap'],
  ['Service', 'v1', 'Service'],
  ['Deployment', 'apps/v1', 'Deployment'],
  ['pco Region', 'pco.plusserver.com/v1alpha1', 'Region'],
  ['pco Project', 'pco.plusserver.com/v1alpha1', 'Project'],
  ['pco User', 'pco.plusserver.com/v1alpha1', 'User'],
  ['pco UserProjectBinding', 'pco.plusserver.com/v1alpha1', 'UserProjectBinding'],
  ['original PlacementAPI', 'placement.openstack.org/v1beta1', 'PlacementAPI'],
  ['Project', 'reseller.stackplane.io/v1alpha1', 'Project'],
  ['User', 'reseller.stackplane.io/v1alpha1', 'User'],
  ['UserProjectBinding', 'reseller.stackplane.io/v1alpha1', 'UserProjectBinding'],
  ['PlacementAPI', 'openstack.stackplane.io/v1alpha1', 'PlacementAPI'],
  ['ClusterProviderConfig', 'm.stackplane.io/v1alpha1', 'ClusterProviderConfig'],
  ['AdoptionGrant', 'm.stackplane.io/v1alpha1', 'AdoptionGrant'],
  ['EnvironmentConfig', 'apiextensions.crossplane.io/v1beta1', 'EnvironmentConfig'],
];
/** An original operator's Deployment, running. */
const operator = (namespace: string, name: string) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'manager', image: 'manager:v1' }] },
      },
    },
  }) as unknown as Any;
const namespaceOf = (kind: string) => (kind === 'PlacementAPI' ? 'openstack' : 'default');
const ready = {
  conditions: [
    { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2026-01-05T10:00:00Z' },
  ],
};

describe.skipIf(!binaries)('stackplane migrate --apply', () => {
  let server: KubeApiServer;
  let kube: RestKubeClient;
  let stopStandIn = false;
  let standIn: Promise<void>;

  /** What Crossplane would do: compose what each XR needs, then report it Ready. */
  async function crossplaneStandIn(): Promise<void> {
    const secrets = typeOf('v1', 'secrets', true);
    while (!stopStandIn) {
      for (const [apiVersion, kind, name] of XRS) {
        const type = typeOfObject({ apiVersion, kind });
        const xr = await kube.get<Any>(type, name, namespaceOf(kind));
        if (!xr || (xr['status'] as { conditions?: unknown } | undefined)?.conditions) continue;
        if (kind === 'User') {
          // The User copies the password on its first run, and composes its Secret once the operator's is gone.
          const operators = await kube.get<Any>(secrets, 'user-sample-openstack', 'default');
          const kept = await kube.get<Any>(secrets, 'user-sample-openstack-password', 'default');
          if (!kept && operators)
            await kube.create(secrets, {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: 'user-sample-openstack-password', namespace: 'default' },
              immutable: true,
              data: { password: (operators['data'] as Record<string, string>)['password'] },
            } as Any);
          if (operators?.['immutable'] === true) continue;
          if (!operators) {
            const password = (kept?.['data'] as Record<string, string> | undefined)?.['password'];
            await kube.create(secrets, {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: 'user-sample-openstack', namespace: 'default' },
              data: { username: Buffer.from('user-sample-default@qxmrtb.k8s').toString('base64'), password },
            } as Any);
          }
        }
        if (kind === 'PlacementAPI') {
          // Crossplane cannot compose the Deployment while the operator's PlacementAPI controls it.
          const original = await kube.get<Any>(
            typeOf('placement.openstack.org/v1beta1', 'placementapis', true),
            'placement',
            'openstack',
          );
          if (original && !(original.metadata as { deletionTimestamp?: string }).deletionTimestamp) continue;
        }
        await kube.mergePatch(type, name, namespaceOf(kind), { status: ready }, 'status');
      }
      await garbageCollect();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * What kube-controller-manager's garbage collector does for an orphaning delete: strips the owner
   * reference from each dependent, then removes the `orphan` finalizer so the owner goes.
   */
  async function garbageCollect(): Promise<void> {
    const deleting: Array<[ReturnType<typeof typeOf>, Any]> = [];
    for (const [, apiVersion, kind] of SNAPSHOT) {
      const [plural, namespaced] = PLURALS[kind] ?? ['', true];
      const type = typeOf(apiVersion, plural, namespaced);
      for (const item of (await kube.list<Any>(type)).items) deleting.push([type, item]);
    }
    const owners = deleting.filter(
      ([, o]) => (o.metadata as { deletionTimestamp?: string }).deletionTimestamp,
    );
    for (const [type, owner] of owners) {
      for (const [dependentType, dependent] of deleting) {
        const refs = dependent.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === owner.metadata.uid)) continue;
        const ownerReferences = refs.filter((r) => r.uid !== owner.metadata.uid);
        await kube.mergePatch(dependentType, dependent.metadata.name, dependent.metadata.namespace, {
          metadata: { ownerReferences: ownerReferences.length > 0 ? ownerReferences : null },
        });
      }
      const finalizers = ((owner.metadata as { finalizers?: string[] }).finalizers ?? []).filter(
        (f) => f !== 'orphan',
      );
      await kube.mergePatch(type, owner.metadata.name, owner.metadata.namespace, {
        metadata: { finalizers: finalizers.length > 0 ? finalizers : null },
      });
    }
  }

  const allReady = async () => {
    for (const [apiVersion, kind, name] of XRS) {
      const xr = await kube.get<Any>(typeOfObject({ apiVersion, kind }), name, namespaceOf(kind));
      if ((xr?.['status'] as typeof ready | undefined)?.conditions?.[0]?.status !== 'True') return false;
    }
    return true;
  };

  /** Creates an object as its operator left it: with its status, and owned by the PlacementAPI where it says so. */
  async function create(object: Any, placementUID?: string): Promise<Any> {
    const type = typeOfObject(object);
    const { status, ...rest } = object as Any & { status?: unknown };
    const { uid: _uid, ...metadata } = rest.metadata;
    const owners = metadata.ownerReferences?.map((r) => ({ ...r, uid: placementUID ?? r.uid }));
    const created = await kube.create(type, {
      ...rest,
      metadata: { ...metadata, ...(owners ? { ownerReferences: owners } : {}) },
    } as Any);
    if (status)
      await kube.mergePatch(type, created.metadata.name, created.metadata.namespace, { status }, 'status');
    return created;
  }

  /** Every object of the kinds involved, as `<label> <namespace>/<name>`, with its deletion state. */
  const snapshot = async () => {
    const names: string[] = [];
    for (const [label, apiVersion, kind] of SNAPSHOT) {
      const [plural, namespaced] = PLURALS[kind] ?? ['', true];
      for (const item of (await kube.list<Any>(typeOf(apiVersion, plural, namespaced))).items) {
        const meta = item.metadata as Any['metadata'] & { deletionTimestamp?: string; finalizers?: string[] };
        if (meta.namespace === 'kube-system' || meta.name === 'kube-root-ca.crt') continue;
        const deleting = meta.deletionTimestamp ? ` deleting [${(meta.finalizers ?? []).join(',')}]` : '';
        names.push(`${label} ${meta.namespace ?? ''}/${meta.name}${deleting}`);
      }
    }
    return names.sort();
  };

  beforeAll(async () => {
    server = await startKubeApiServer(binaries!);
    kube = new RestKubeClient(server.kubeConfig);
    await installCrds(kube, [
      ...['crd-regions', 'crd-projects', 'crd-users', 'crd-userprojectbindings'].flatMap((f) =>
        crdsIn(`${PCO}/${f}.yaml`),
      ),
      ...crdsIn(`${PLACEMENT}/crd-placementapis.yaml`),
      ...crdsIn(`${PLACEMENT}/crd-dependents.yaml`),
      ...[
        'projects.reseller',
        'users.reseller',
        'userprojectbindings.reseller',
        'placementapis.openstack',
        'postgres.data',
      ].map((x) => crdOfXrd(`apis/xrds/${x}.stackplane.io.yaml`)),
      ...crdsIn('package/provider/crds/clusterproviderconfigs.m.stackplane.io.yaml'),
      ...crdsIn('package/provider/crds/adoptiongrants.m.stackplane.io.yaml'),
      ...crdsIn('test/schemas/usages.protection.crossplane.io.yaml'),
      environmentConfigCrd,
    ]);
    for (const ns of ['pco-reseller-operator-system', 'openstack', 'openstack-operators', 'bystanders'])
      await createNamespace(kube, ns);
    const originals = [
      ...readFiles([`${PCO}/operated.yaml`]).objects,
      ...readFiles([`${PLACEMENT}/operated.yaml`]).objects,
    ] as unknown as Any[];
    const placement = await create(originals.find((o) => o.kind === 'PlacementAPI')!);
    for (const object of originals.filter((o) => o.kind !== 'PlacementAPI'))
      await create(object, placement.metadata.uid);
    // The operators, and what is no one's business: a bystander Secret and ConfigMap.
    await create(operator('pco-reseller-operator-system', 'pco-reseller-operator-controller-manager'));
    await create(operator('openstack-operators', 'placement-operator-controller-manager'));
    await create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'unrelated', namespace: 'bystanders' },
      data: { a: 'Yg==' },
    } as unknown as Any);
    await create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'unrelated', namespace: 'bystanders' },
      data: { a: 'b' },
    } as unknown as Any);
  }, 120_000);

  const operatedUserSecret = readFiles([`${PCO}/operated.yaml`]).objects.find(
    (o) => o.metadata.name === 'user-sample-openstack',
  ) as PlanObject;

  afterAll(async () => {
    stopStandIn = true;
    await standIn;
    kube?.close();
    await server?.stop();
  });

  it('applies platform objects and XRs, waits for Ready, then releases only the originals', async () => {
    const before = await snapshot();
    const cluster = new RecordingCluster(new KubeCluster(server.kubeConfig), allReady);
    const out: string[] = [];
    standIn = crossplaneStandIn();
    const code = await run(['--apply', '--wait', '30s'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      connect: () => cluster,
    });
    expect(out.join('')).toContain('done: every migrated original is released');
    expect(code).toBe(0);
    expect(cluster.calls).toEqual([
      'apply ClusterProviderConfig prod1',
      'apply EnvironmentConfig stackplane-reseller',
      'apply AdoptionGrant default.project.project-sample',
      'apply AdoptionGrant default.user.user-sample',
      'apply Project project-sample',
      'apply User user-sample',
      'apply UserProjectBinding userprojectbinding-sample',
      'apply PlacementAPI placement',
      'seed PlacementAPI placement',
      // Paused until its original is gone: Crossplane must not compose what the operator still holds.
      'scale placement-operator-controller-manager',
      // What holds state is let go first (the operator's finalizer, which its own delete would take
      // off, and the owner reference): it never waits on the garbage collector.
      'let go MariaDBAccount placement',
      'let go MariaDBDatabase placement',
      'let go KeystoneService placement',
      'let go KeystoneEndpoint placement',
      'let go Secret placement-db-secret',
      'unfinalize PlacementAPI placement',
      'delete PlacementAPI placement (XRs not Ready)',
      'unpause PlacementAPI placement',
      'delete Secret user-sample-openstack',
      'scale pco-reseller-operator-controller-manager',
      'unfinalize UserProjectBinding userprojectbinding-sample',
      'delete UserProjectBinding userprojectbinding-sample (every XR Ready)',
      'unfinalize User user-sample',
      'delete User user-sample (every XR Ready)',
      'unfinalize Project project-sample',
      'delete Project project-sample (every XR Ready)',
      'unfinalize Region prod1',
      'delete Region prod1 (every XR Ready)',
    ]);
    // The garbage collector stand-in finishes the last orphaning deletes.
    const after = await eventually('the orphaning deletes to finish', async () => {
      const names = await snapshot();
      return names.some((n) => n.includes(' deleting ')) ? undefined : names;
    });
    const added = [
      'AdoptionGrant /default.project.project-sample',
      'AdoptionGrant /default.user.user-sample',
      'ClusterProviderConfig /prod1',
      'EnvironmentConfig /stackplane-reseller',
      'PlacementAPI openstack/placement',
      'Project default/project-sample',
      'Secret default/user-sample-openstack-password',
      'User default/user-sample',
      'UserProjectBinding default/userprojectbinding-sample',
    ];
    // The originals are gone, their Deployment and Services still there; the user's Secret is
    // composed anew; nothing else is deleted.
    expect(after).toEqual([...before.filter((n) => !/^(pco |original )/.test(n)), ...added].sort());
    // The user's Secret keeps its name and values.
    const secret = await kube.get<Any>(typeOf('v1', 'secrets', true), 'user-sample-openstack', 'default');
    expect(secret?.['data']).toEqual(operatedUserSecret['data']);
    const deployment = await kube.get<Any>(typeOf('apps/v1', 'deployments', true), 'placement', 'openstack');
    expect(deployment?.metadata.ownerReferences).toBeUndefined();
    for (const [kind, apiVersion] of [
      ['MariaDBAccount', 'mariadb.openstack.org/v1beta1'],
      ['MariaDBDatabase', 'mariadb.openstack.org/v1beta1'],
      ['KeystoneService', 'keystone.openstack.org/v1beta1'],
      ['KeystoneEndpoint', 'keystone.openstack.org/v1beta1'],
    ] as const) {
      const dependent = await kube.get<Any>(typeOfObject({ apiVersion, kind }), 'placement', 'openstack');
      const { finalizers, ownerReferences } = (dependent?.metadata ?? {}) as Any['metadata'] & {
        finalizers?: string[];
      };
      expect([kind, finalizers, ownerReferences]).toEqual([kind, undefined, undefined]);
    }
    // The PlacementAPI keeps the operator's database password Secret and records the Keystone ids.
    const kept = await kube.get<Any>(typeOf('v1', 'secrets', true), 'placement-db-secret', 'openstack');
    expect(kept?.['data']).toEqual({ DatabasePassword: 'ZGItcGFzc3dvcmQtcGxhY2Vob2xkZXI=' });
    const xr = await kube.get<Any>(
      typeOf('openstack.stackplane.io/v1alpha1', 'placementapis', true),
      'placement',
      'openstack',
    );
    expect((xr?.['status'] as { adopted?: unknown }).adopted).toEqual({
      databaseUser: 'placement_3fa2',
      databasePasswordSecret: 'placement-db-secret',
      keystoneServiceID: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      keystoneEndpointIDs: {
        internal: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        public: '9e8d7c6b5a4938271605f4e3d2c1b0a9',
      },
      deploymentSelector: { service: 'placement', owner: 'placement' },
    });
    expect(xr?.metadata.annotations?.['crossplane.io/paused']).toBeUndefined();
    // The operator's MariaDBAccount stays, let go of the original, for the XR to take over.
    const account = await kube.get<Any>(
      typeOf('mariadb.openstack.org/v1beta1', 'mariadbaccounts', true),
      'placement',
      'openstack',
    );
    expect(account?.['spec']).toEqual(expect.objectContaining({ userName: 'placement_3fa2' }));
  });

  it('finds nothing left to do when run again, and changes nothing', async () => {
    const before = await snapshot();
    const cluster = new RecordingCluster(new KubeCluster(server.kubeConfig), allReady);
    const out: string[] = [];
    const code = await run(['--apply', '--wait', '5s'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      connect: () => cluster,
    });
    expect([code, out.join('')]).toEqual([
      0,
      'nothing to migrate: no original resource was found\ndone: every migrated original is released\n',
    ]);
    expect(cluster.calls).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("seeds an adopting composite's status through its subresource while it is paused, then unpauses it", async () => {
    // As the cloud-resource-operator source writes an adopted Postgres: paused, its status naming the RDS instance.
    const postgres: PlanObject = {
      apiVersion: 'data.stackplane.io/v1alpha1',
      kind: 'Postgres',
      metadata: { name: 'orders', namespace: 'default', annotations: { [PAUSED]: 'true' } },
      spec: {
        type: 'managed',
        tier: 'development',
        skipCreate: true,
        writeConnectionSecretToRef: { name: 'orders-sec' },
      },
      status: {
        provider: 'aws',
        strategy: 'development',
        externalName: 'qwertyx7k2pdefaultorders',
        version: '13.13',
      },
    };
    const cluster = new KubeCluster(server.kubeConfig);
    await cluster.apply(postgres);
    const applied = await kube.get<Any>(typeOfObject(postgres), 'orders', 'default');
    // A server-side apply leaves status alone: the subresource is the only way in.
    expect(applied?.metadata.annotations?.[PAUSED]).toBe('true');
    expect(applied?.['status']).toBeUndefined();
    await cluster.seedStatus(postgres);
    const seeded = await kube.get<Any>(typeOfObject(postgres), 'orders', 'default');
    expect(seeded?.['status']).toEqual(postgres['status']);
    expect(seeded?.metadata.annotations?.[PAUSED]).toBe('true');
    await cluster.unpause({
      apiVersion: postgres.apiVersion,
      kind: 'Postgres',
      name: 'orders',
      namespace: 'default',
    });
    const unpaused = await kube.get<Any>(typeOfObject(postgres), 'orders', 'default');
    expect(unpaused?.metadata.annotations?.[PAUSED]).toBeUndefined();
    expect(unpaused?.['status']).toEqual(postgres['status']);
    expect(unpaused?.['spec']).toEqual(applied?.['spec']);
  });

  it('reads an operator whose CRDs are not installed as having no originals', async () => {
    const cluster = new KubeCluster(server.kubeConfig);
    expect(await cluster.list('storage.metal-stack.io/v1', 'Duros')).toEqual([]);
    expect(await cluster.list('pco.plusserver.com/v1alpha1', 'Nothing')).toEqual([]);
  });

  it('scales the duros-controller to 0 before applying the StorageTenant, and continues when run again', async () => {
    await installCrds(kube, [
      ...crdsIn(`${DUROS}/crd-duros.yaml`),
      crdOfXrd('apis/xrds/storagetenants.storage.stackplane.io.yaml'),
    ]);
    await createNamespace(kube, 'duros');
    await create(operator('duros', 'duros-controller'));
    // The sample as the controller leaves it: reconciled, finalizer on, each class's default spelled out.
    const [sample] = readFiles([`${DUROS}/sample-duros.yaml`]).objects as unknown as Any[];
    const spec = sample!['spec'] as { storageClasses: Array<Record<string, unknown>> };
    await create({
      ...sample!,
      metadata: { ...sample!.metadata, finalizers: ['storage.metal-stack.io/finalizer'] },
      spec: { ...spec, storageClasses: spec.storageClasses.map((c) => ({ default: false, ...c })) },
      status: OPERATED_DUROS_STATUS,
    } as Any);
    const tenant = { apiVersion: 'storage.stackplane.io/v1alpha1', kind: 'StorageTenant' };
    const tenantReady = async () =>
      ((await kube.get<Any>(typeOfObject(tenant), 'duros-sample'))?.['status'] as typeof ready | undefined)
        ?.conditions?.[0]?.status === 'True';
    const handOver = async (wait: string) => {
      const cluster = new RecordingCluster(new KubeCluster(server.kubeConfig), tenantReady);
      const out: string[] = [];
      const code = await run(['--apply', '--from', 'duros-controller', '--wait', wait], {
        out: (t) => out.push(t),
        err: (t) => out.push(t),
        connect: () => cluster,
      });
      return { code, calls: cluster.calls, out: out.join('') };
    };
    const replicas = async () =>
      (
        (await kube.get<Any>(typeOf('apps/v1', 'deployments', true), 'duros-controller', 'duros'))?.[
          'spec'
        ] as {
          replicas?: number;
        }
      ).replicas;

    // Interrupted: the StorageTenant is not Ready in time. The controller is already down, so it
    // cannot rewrite what the StorageTenant composes; the Duros keeps its finalizer.
    const interrupted = await handOver('1s');
    expect([interrupted.code, interrupted.calls]).toEqual([
      1,
      ['scale duros-controller', 'apply StorageTenant duros-sample'],
    ]);
    // The plan says it, and so does the log.
    expect(interrupted.out).toContain(
      'duros-controller:\n  first: Deployment duros/duros-controller scaled to 0 before anything is applied, as it redeploys the Lightbits CSI driver, the StorageClasses and Secret lb-csi-creds that the StorageTenant composes\n',
    );
    expect(interrupted.out).toContain(
      'scaled Deployment duros/duros-controller to 0 before anything is applied, as it redeploys the Lightbits CSI driver',
    );
    expect(await replicas()).toBe(0);
    const kept = await kube.get<Any>(
      typeOfObject({ apiVersion: 'storage.metal-stack.io/v1', kind: 'Duros' }),
      'sample',
      'duros',
    );
    expect((kept?.metadata as { finalizers?: string[] } | undefined)?.finalizers).toEqual([
      'storage.metal-stack.io/finalizer',
    ]);

    // Run again once it is Ready: it goes on from where it stopped and releases the Duros.
    await kube.mergePatch(typeOfObject(tenant), 'duros-sample', undefined, { status: ready }, 'status');
    const resumed = await handOver('5s');
    expect([resumed.code, resumed.calls]).toEqual([
      0,
      [
        'scale duros-controller',
        'apply StorageTenant duros-sample',
        'unfinalize Duros sample',
        'delete Duros sample (every XR Ready)',
      ],
    ]);
    expect(await replicas()).toBe(0);
  });

  it('touches nothing when an operator that must stop first keeps refused originals', async () => {
    const cluster = new RecordingCluster(new KubeCluster(server.kubeConfig), async () => false);
    const original = { apiVersion: 'storage.metal-stack.io/v1', kind: 'Duros', namespace: 'duros' };
    const plans = [
      {
        source: 'duros-controller',
        operator: { namespace: 'duros', name: 'duros-controller' },
        stopsFirst: 'it redeploys what the StorageTenant composes',
        entries: [
          {
            outcome: 'migrate' as const,
            original: { ...original, name: 'a' },
            platform: [],
            resources: [
              {
                apiVersion: 'storage.stackplane.io/v1alpha1',
                kind: 'StorageTenant',
                metadata: { name: 'a' },
              },
            ],
            adopted: [],
            release: { finalizers: [], orphanDependents: true },
            notes: [],
          },
          { outcome: 'refuse' as const, original: { ...original, name: 'b' }, reasons: ['spec.x: no'] },
        ],
      },
    ];
    await expect(applyPlans(cluster, plans, { timeoutMs: 1000, log: () => {} })).rejects.toThrow(
      'cannot hand over the originals of duros-controller: 1 original(s) were refused and need it running, but it ' +
        'must be scaled to 0 before anything is applied, as it redeploys what the StorageTenant composes; fix the ' +
        'refused originals as the plan says (or leave their namespaces out with -n) and run migrate again; nothing was applied',
    );
    expect(cluster.calls).toEqual([]);
  });
});
