// Stackplane on a real Crossplane control plane (scripts/control-plane): the packages installed by
// Crossplane's package manager, every example applied as a user would, reconciled by Crossplane core,
// function-stackplane over mTLS and provider-stackplane against fakes of the external APIs; then
// changed and deleted.
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../scripts/control-plane/index.js';
import { coreVersion } from '../../scripts/control-plane/binaries.js';
import { snapshotCrds } from '../../scripts/control-plane/platform.js';
import { installProviderKubernetes } from '../../scripts/control-plane/provider-kubernetes.js';
import { remoteProviderConfig, startRemoteCluster } from '../../scripts/control-plane/remote-cluster.js';
import { DEFAULT_ACCOUNT } from '../../testing/fakes/reseller-api.js';
import { keystoneOrSkip } from '../../testing/keystone.js';
import {
  buildingBlockObjects,
  computeProviderConfigSpec,
  startBuildingBlockFakes,
} from '../support/buildingblock-e2e.js';
import type { KubeObject, Objects } from '../../scripts/control-plane/objects.js';
import { rollsOutWithCompositionRevisions } from './composition-revisions.js';
import { standInForKubelet } from './kubelet.js';
import { migratesFromPcoResellerOperator } from './migrate.js';
import { migratesFromDurosController } from './migrate-duros.js';
import { migratesFromCloudResourceOperator } from './migrate-cro.js';
import { migratesFromPlacementOperator } from './migrate-placement.js';
import { tenantCannotReachAnotherNamespace } from './tenant-isolation.js';
import {
  condition,
  controlPlaneOrSkip,
  diagnostics,
  eventually,
  exampleObjects,
  inNamespace,
  isXR,
  providerKubernetesOrSkip,
  refOf,
  resourceRefs,
  summary,
  waitForCondition,
  waitForGone,
  warnings,
  type Ref,
} from './support.js';

const binaries = controlPlaneOrSkip('end-to-end tests on a real Crossplane control plane');
const providerKubernetes = providerKubernetesOrSkip('the StorageTenant with a remote target');
/** The region's identity: a real Keystone (npm run e2e installs it); the FakeKeystone stands in without. */
const keystone = keystoneOrSkip('the real Keystone of the control plane: the FakeKeystone stands in');

/** The remote StorageTenant test installs provider-kubernetes and starts a second API server first. */
const REMOTE_TENANT_BOUND_MS = 900_000;

/** A generous bound on the reseller chain's time to Ready: a failure means something waits on a timer. */
const RESELLER_CHAIN_BOUND_MS = 90_000;

describe.skipIf(!binaries)('Stackplane on a real Crossplane control plane', () => {
  let cp: ControlPlane | undefined;
  let objects: Objects;

  beforeAll(async () => {
    const dir = process.env['STACKPLANE_CONTROL_PLANE_DIR'];
    cp = await startControlPlane({
      binaries: binaries!,
      ...(dir ? { dir } : {}),
      ...(keystone ? { keystone } : {}),
    });
    objects = cp.objects;
    console.log(
      `control plane up on Crossplane core ${coreVersion()} (seconds per phase: ${JSON.stringify(cp.timings)}); logs in ${cp.logDir}`,
    );
  }, 900_000);
  afterAll(async () => {
    await cp?.stop();
  }, 60_000);
  const explainFailure = () => onTestFailed(() => console.error(diagnostics(cp)));

  it('installs the packages: every XRD established, every Composition revised, every package installed and healthy', async () => {
    explainFailure();
    const xrds = await eventually('every XRD Established', async () => {
      const all = await objects.list('apiextensions.crossplane.io/v2', 'CompositeResourceDefinition');
      return all.length > 0 && all.every((x) => condition(x, 'Established')?.status === 'True')
        ? all
        : undefined;
    });
    const { readdirSync } = await import('node:fs');
    expect(xrds.map((x) => x.metadata!.name).sort()).toEqual(
      readdirSync('apis/xrds')
        .map((f) => f.replace(/\.yaml$/, ''))
        .sort(),
    );
    const compositions = await objects.list('apiextensions.crossplane.io/v1', 'Composition');
    const revisions = await objects.list('apiextensions.crossplane.io/v1', 'CompositionRevision');
    for (const composition of compositions) {
      expect(
        revisions.some(
          (r) => r.metadata?.labels?.['crossplane.io/composition-name'] === composition.metadata!.name,
        ),
        `a CompositionRevision of ${composition.metadata!.name}`,
      ).toBe(true);
    }
    for (const pkg of cp!.stackplane.packages) {
      const ref = { apiVersion: 'pkg.crossplane.io/v1', kind: pkg.kind, name: pkg.name };
      await waitForCondition(objects, ref, 'Installed');
      // Healthy needs the runtime's report too (RuntimeHealthy), which the harness gives as the
      // Deployment runtime would.
      await waitForCondition(objects, ref, 'Healthy');
    }
  });

  it('takes a Project, a User and their binding to Ready, publishes credentials, converges changes and deletes in Usage order', async () => {
    explainFailure();
    const { reseller, identity } = cp!.fakes;
    const project = exampleObjects('project/sample');
    const user = exampleObjects('user/sample');
    const binding = exampleObjects('userprojectbinding/sample');
    const started = Date.now();
    await objects.apply(...project.prerequisites, project.xr, user.xr, binding.xr);
    for (const xr of [project.xr, user.xr, binding.xr]) await waitForCondition(objects, refOf(xr), 'Ready');
    const chainMs = Date.now() - started;
    console.log(
      `reseller chain (Project, User, UserProjectBinding) Ready after ${(chainMs / 1000).toFixed(1)} s`,
    );
    expect(chainMs).toBeLessThan(RESELLER_CHAIN_BOUND_MS);

    expect(reseller.projects.size).toBe(1);
    expect(reseller.users.size).toBe(1);
    expect(reseller.memberships.size).toBe(1);
    expect((await identity.holdings()).users).toHaveLength(1);
    const credentials = await objects.get('v1', 'Secret', 'user-sample-openstack', 'default');
    expect(Object.keys((credentials?.['data'] as Record<string, string>) ?? {})).toEqual(
      expect.arrayContaining([
        'username',
        'password',
        'clouds.yaml',
        'OS_AUTH_URL',
        'OS_USERNAME',
        'OS_PASSWORD',
      ]),
    );

    // A changed spec converges: the binding gets an application credential.
    await objects.apply({
      ...binding.xr,
      spec: { ...(binding.xr['spec'] as object), applicationCredential: true },
    });
    await waitForCondition(objects, refOf(binding.xr), 'ApplicationCredentialReady');
    await waitForCondition(objects, refOf(binding.xr), 'Ready');
    expect((await identity.holdings()).applicationCredentials).toHaveLength(1);
    await eventually('Secret userprojectbinding-sample-appcred', () =>
      objects.get('v1', 'Secret', 'userprojectbinding-sample-appcred', 'default'),
    );

    // Deleting everything at once: Usages hold the Project and the User until the binding is gone.
    const composed = await composedOf([project.xr, user.xr, binding.xr]);
    const credential = composed.find((r) => r.kind === 'ApplicationCredential')!;
    const membershipOrder = watchMembershipAfterCredential(credential);
    for (const xr of [project.xr, user.xr, binding.xr]) await objects.delete(xr);
    for (const ref of [...composed, ...[project.xr, user.xr, binding.xr].map(refOf)]) {
      await waitForGone(objects, ref, 180_000);
    }
    // The membership (the user's role on the project) went only after the credential was gone.
    expect(await membershipOrder()).toEqual([]);
    expect(reseller.projects.size).toBe(0);
    expect(reseller.users.size).toBe(0);
    expect(reseller.memberships.size).toBe(0);
    // Nothing left in Keystone either: no project, user or application credential.
    expect(await identity.holdings()).toEqual({ projects: [], users: [], applicationCredentials: [] });
    // The API refuses to delete a project with members: the membership must go first.
    const deletes = reseller.requests
      .filter((r) => r.method === 'DELETE')
      .map((r) => {
        const path = r.path.replace(/\/$/, '');
        if (/\/project\/[^/]+\/user\/[^/]+$/.test(path)) return 'membership';
        if (/\/project\/[^/]+$/.test(path)) return 'project';
        if (/\/user\/[^/]+$/.test(path)) return 'user';
        return path;
      });
    expect(deletes).toContain('membership');
    expect(deletes.indexOf('membership'), deletes.join(', ')).toBeLessThan(deletes.indexOf('project'));
    expect(deletes.indexOf('membership'), deletes.join(', ')).toBeLessThan(deletes.indexOf('user'));
  });

  it('adopts what the pco-reseller-operator made on a migrating cluster: its project by name, the user password it kept', async () => {
    explainFailure();
    const { reseller } = cp!.fakes;
    const project = exampleObjects('project/migration');
    const user = exampleObjects('user/migration');
    // The operator's project, with the name its scheme gave it; Stackplane must find it, not make another.
    const existing = await reseller.addProject({ name: `${DEFAULT_ACCOUNT.projectPrefix}qxmrtb-team-a-web` });
    const creates = () =>
      reseller.requests.filter((r) => r.method === 'POST' && /\/project\/?$/.test(r.path)).length;
    const createsBefore = creates();
    // The platform's migration configuration (controller id, original naming) and the user's
    // password, copied from the operator's Secret.
    await objects.apply(...project.prerequisites, ...user.prerequisites, project.xr, user.xr);
    const ready = await waitForCondition(objects, refOf(project.xr), 'Ready');
    expect((ready['status'] as { projectID?: string }).projectID).toBe(existing.id);
    expect(creates()).toBe(createsBefore);
    const binding = user.prerequisites.find((o) => o.kind === 'UserProjectBinding')!;
    await waitForCondition(objects, refOf(binding), 'Ready');
    await waitForCondition(objects, refOf(user.xr), 'Ready');
    const password = user.prerequisites.find((o) => o.kind === 'Secret')!;
    const credentials = await objects.get('v1', 'Secret', 'alice-openstack', 'team-a');
    expect((credentials?.['data'] as Record<string, string>)['password']).toBe(
      (password['data'] as Record<string, string>)['password'],
    );

    const xrs = [binding, user.xr, project.xr];
    const composed = await composedOf(xrs);
    for (const xr of xrs) await objects.delete(xr);
    for (const ref of [...composed, ...xrs.map(refOf)]) await waitForGone(objects, ref, 180_000);
    await objects.delete(project.prerequisites.find((o) => o.kind === 'EnvironmentConfig')!);
  });

  it('migrates what the pco-reseller-operator left with stackplane migrate --apply: no create or delete in the reseller API, the Secret kept, the originals released', async () => {
    explainFailure();
    await migratesFromPcoResellerOperator(cp!);
  });

  it("keeps a tenant out of another namespace's cloud project, the BuildingBlock and the webhook: team's ServiceAccount with the edit role against team-a", async () => {
    explainFailure();
    await tenantCannotReachAnotherNamespace(cp!);
  });

  it('rolls out a changed tier table with Composition revisions: a Manual XR keeps its revision until moved, a new XR gets the latest, a labelled channel is followed', async () => {
    explainFailure();
    await rollsOutWithCompositionRevisions(cp!);
  });

  it('takes a StorageTenant to Ready with its driver, classes and token, without and then with the snapshot CRDs, converges a changed class and deletes what it owns', async () => {
    explainFailure();
    const tenant = exampleObjects('storagetenant/basic');
    const stopKubelet = standInForKubelet(objects, 'kube-system');
    onTestFinished(stopKubelet);
    await objects.apply(...tenant.prerequisites.filter((o) => o.kind !== 'Secret'), tenant.xr);
    // A cluster without the CSI snapshot CRDs still gets its classes and token, and is told why it
    // has no VolumeSnapshotClass.
    const withoutSnapshots = await waitForCondition(objects, refOf(tenant.xr), 'Ready', 'True', 180_000);
    expect(condition(withoutSnapshots, 'VolumeSnapshots')).toMatchObject({
      status: 'False',
      reason: 'SnapshotCRDsMissing',
    });
    for (const name of ['partition-gold', 'partition-silver']) {
      expect(
        await objects.get('storage.k8s.io/v1', 'StorageClass', name),
        `StorageClass ${name}`,
      ).toBeDefined();
    }
    expect(await objects.get('storage.k8s.io/v1', 'CSIDriver', 'csi.lightbitslabs.com')).toBeDefined();
    const token = await objects.get('v1', 'Secret', 'lb-csi-creds', 'kube-system');
    expect(Object.keys((token?.['data'] as Record<string, string>) ?? {})).toContain('jwt');
    expect(cp!.fakes.storage.projects.size).toBe(1);

    // Once the cluster serves them, the snapshot class follows.
    await objects.apply(...snapshotCrds());
    await waitForCondition(objects, refOf(tenant.xr), 'VolumeSnapshots', 'True', 180_000);
    await eventually('the VolumeSnapshotClass', async () => {
      const classes = await objects.list('snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass');
      return classes.length > 0 ? classes : undefined;
    });

    // A class's replicas change: the class is replaced under the same name with the new parameter.
    const spec = tenant.xr['spec'] as { storageClasses: { name: string; replicas: number }[] };
    const changed = {
      ...spec,
      storageClasses: spec.storageClasses.map((c) => ({
        ...c,
        replicas: c.name === 'partition-silver' ? 3 : c.replicas,
      })),
    };
    await objects.apply({ ...tenant.xr, spec: changed });
    await eventually('partition-silver replaced with 3 replicas', async () => {
      const sc = await objects.get('storage.k8s.io/v1', 'StorageClass', 'partition-silver');
      return (sc?.['parameters'] as Record<string, string> | undefined)?.['replica-count'] === '3'
        ? sc
        : undefined;
    });
    await waitForCondition(objects, refOf(tenant.xr), 'Ready');

    const composed = await composedOf([tenant.xr]);
    await objects.delete(tenant.xr);
    for (const ref of [...composed.filter((r) => !isKept(r)), refOf(tenant.xr)])
      await waitForGone(objects, ref, 180_000);
    expect(await objects.get('v1', 'Secret', 'lb-csi-creds', 'kube-system')).toBeUndefined();
    // The storage Project and Credential are kept (composed without Delete): other clusters share them.
    expect(cp!.fakes.storage.projects.size).toBe(1);
  });

  it('migrates what the duros-controller left with stackplane migrate --apply: no create or delete in the storage API, the StorageTenant Ready, the Duros released, the controller scaled to 0', async () => {
    explainFailure();
    await migratesFromDurosController(cp!, (namespace) => standInForKubelet(objects, namespace));
  });

  it('migrates what the cloud-resource-operator left with stackplane migrate --apply: no create or delete in AWS, every composite Ready, the Secrets kept, the originals released, the operator scaled to 0', async () => {
    explainFailure();
    const started = Date.now();
    const handOver = await migratesFromCloudResourceOperator(cp!);
    console.log(
      `cloud-resource-operator hand-over: migrate --apply ${handOver.toFixed(1)} s, whole test ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
  it("migrates what the placement-operator left with stackplane migrate --apply onto the operators' backends: the XR Ready, the database, account and Keystone objects the same, the Deployment still serving, the original released", async () => {
    explainFailure();
    await migratesFromPlacementOperator(cp!, (namespace) => standInForKubelet(objects, namespace));
  }, 600_000);

  it.skipIf(!providerKubernetes)(
    'takes a StorageTenant with a remote target to Ready through provider-kubernetes: driver, classes, snapshot class and token in the tenant cluster, a changed class converged there, deletion removing them there',
    async () => {
      explainFailure();
      // The tenant's own cluster, with the CSI snapshot CRDs; the driver's pods report in there.
      const tenantCluster = await startRemoteCluster(cp!, binaries!, 'tenant-cluster');
      const remote = tenantCluster.objects;
      await remote.apply(...snapshotCrds());
      onTestFinished(standInForKubelet(remote, 'kube-system'));
      await installProviderKubernetes(cp!, binaries!.crossplaneCli, providerKubernetes!);

      const namespace = 'e2e-storagetenant-remote';
      const example = exampleObjects('storagetenant/remote');
      const spec = example.xr['spec'] as RemoteTenantSpec;
      const xr = { ...example.xr, spec: { ...spec, target: { ...spec.target, namespace } } };
      await objects.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        ...remoteProviderConfig(tenantCluster, namespace, spec.target.providerConfigRef.name),
        xr,
      );
      const ready = await waitForCondition(objects, refOf(xr), 'Ready', 'True', 300_000);
      expect(condition(ready, 'VolumeSnapshots')?.status, summary(ready)).toBe('True');

      // Everything meant for the tenant's cluster is there, and nothing of it here.
      const classes = spec.storageClasses.map((c) => c.name);
      for (const name of classes) {
        expect(
          await remote.get('storage.k8s.io/v1', 'StorageClass', name),
          `StorageClass ${name}`,
        ).toBeDefined();
        expect(await objects.get('storage.k8s.io/v1', 'StorageClass', name)).toBeUndefined();
      }
      const snapshotClasses = await remote.list('snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass');
      expect(snapshotClasses.map((c) => c['driver'])).toEqual(['csi.lightbitslabs.com']);
      expect(await remote.get('storage.k8s.io/v1', 'CSIDriver', 'csi.lightbitslabs.com')).toBeDefined();
      for (const [kind, name] of [
        ['StatefulSet', 'lb-csi-controller'],
        ['DaemonSet', 'lb-csi-node'],
      ] as const) {
        expect(await remote.get('apps/v1', kind, name, 'kube-system'), `${kind} ${name}`).toBeDefined();
      }
      // The token the Token wrote here reaches the tenant cluster unchanged.
      const jwt = (o: KubeObject | undefined) => (o?.['data'] as Record<string, string> | undefined)?.['jwt'];
      const token = await objects.get('v1', 'Secret', 'lb-csi-creds', namespace);
      expect(jwt(token)).toBeTruthy();
      expect(jwt(await remote.get('v1', 'Secret', 'lb-csi-creds', 'kube-system'))).toBe(jwt(token));

      // A class's replicas change: the class in the tenant cluster follows.
      const [first] = spec.storageClasses;
      const replicas = first!.replicas === 2 ? 3 : 2;
      await objects.apply({
        ...xr,
        spec: {
          ...xr.spec,
          storageClasses: spec.storageClasses.map((c) => (c === first ? { ...c, replicas } : c)),
        },
      });
      await eventually(`${first!.name} with ${replicas} replicas in the tenant cluster`, async () => {
        const sc = await remote.get('storage.k8s.io/v1', 'StorageClass', first!.name);
        return (sc?.['parameters'] as Record<string, string> | undefined)?.['replica-count'] === `${replicas}`
          ? sc
          : undefined;
      }, undefined, 180_000); // prettier-ignore
      await waitForCondition(objects, refOf(xr), 'Ready', 'True', 180_000);

      // Deleting the tenant removes its objects from the tenant cluster; the storage Project and
      // Credential stay in the storage API.
      const composed = await composedOf([xr]);
      await objects.delete(xr);
      for (const ref of [...composed.filter((r) => !isKept(r)), refOf(xr)])
        await waitForGone(objects, ref, 180_000);
      for (const name of classes)
        await waitForGone(remote, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name });
      for (const ref of [
        { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', name: 'csi.lightbitslabs.com' },
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'lb-csi-controller', namespace: 'kube-system' },
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'lb-csi-node', namespace: 'kube-system' },
        { apiVersion: 'v1', kind: 'Secret', name: 'lb-csi-creds', namespace: 'kube-system' },
        ...snapshotClasses.map(refOf),
      ])
        await waitForGone(remote, ref);
      // The snapshot CRD was only observed: it stays.
      expect(
        await remote.get(
          'apiextensions.k8s.io/v1',
          'CustomResourceDefinition',
          'volumesnapshotclasses.snapshot.storage.k8s.io',
        ),
      ).toBeDefined();
      // The storage Project and Credential MRs go with the tenant (their owner), but without the
      // Delete management policy: the storage API keeps both.
      const kept = composed.filter(isKept);
      expect(kept.map((r) => r.kind).sort()).toEqual(['Credential', 'Project']);
      for (const ref of kept) await waitForGone(objects, ref, 180_000);
      const { storage } = cp!.fakes;
      expect(storage.projects.has(spec.projectID)).toBe(true);
      expect([...storage.credentials.values()].some((c) => c.projectName === spec.projectID)).toBe(true);
    },
    // Crossplane's watch circuit breaker opens for this XR while its 21 Objects are created (each
    // reports several status updates), so some steps wait for the breaker's periodic events.
    REMOTE_TENANT_BOUND_MS,
  );

  it('runs a BuildingBlock through maintenance and back: Nova services disabled and enabled, exactly two notifications', async () => {
    explainFailure();
    const fakes = await startBuildingBlockFakes(cp!.fakes.identity.admin);
    onTestFinished(standInForKubelet(objects, 'openstack'));
    try {
      const block = exampleObjects('buildingblock/kvm');
      // The region's compute endpoint joins the storage settings of ClusterProviderConfig default.
      await objects.mergePatch('/apis/m.stackplane.io/v1alpha1/clusterproviderconfigs/default', {
        spec: computeProviderConfigSpec(fakes),
      });
      const merged = await objects.get('m.stackplane.io/v1alpha1', 'ClusterProviderConfig', 'default');
      expect(Object.keys((merged?.['spec'] ?? {}) as object)).toEqual(
        expect.arrayContaining(['storage', 'compute']),
      );
      await objects.apply(
        ...block.prerequisites.filter((o) => o.kind === 'Namespace'),
        ...(buildingBlockObjects(fakes) as KubeObject[]).filter((o) => o.kind !== 'CustomResourceDefinition'),
        block.xr,
      );
      const ref = refOf(block.xr);
      await waitForCondition(objects, ref, 'Synced');
      // No agent pod runs here: register the hosts as nova-compute does on its first start.
      for (const host of ['compute-0', 'compute-1']) fakes.nova.register(host);

      const maintenance = (enabled: boolean) =>
        objects.apply({
          ...block.xr,
          spec: { ...(block.xr['spec'] as object), maintenance: { enabled, reason: 'firmware upgrade' } },
        });
      await maintenance(true);
      await waitForReason(ref, 'Maintenance', 'Enabled');
      await eventually('compute-0 disabled in Nova', async () =>
        fakes.nova.service('compute-0')?.status === 'disabled' ? true : undefined,
      );
      await maintenance(false);
      await waitForReason(ref, 'Maintenance', 'Disabled');
      await eventually('compute-0 enabled in Nova', async () =>
        fakes.nova.service('compute-0')?.status === 'enabled' ? true : undefined,
      );
      await eventually('two notifications', async () =>
        fakes.webhook.notifications().length >= 2 ? true : undefined,
      );
      // Reconciles go on; the transitions stay announced once each.
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      expect(
        fakes.webhook.accepted().map((n) => {
          const body = n.body as { maintenance?: string; transition?: number };
          return `${body.transition}: ${body.maintenance}`;
        }),
      ).toEqual(['1: enabled', '2: disabled']);

      const composed = await composedOf([block.xr]);
      await objects.delete(block.xr);
      for (const r of [...composed, ref]) await waitForGone(objects, r, 120_000);
    } finally {
      await fakes.stop();
    }
  });

  /** Waits until a condition has the reason. */
  async function waitForReason(ref: Ref, type: string, reason: string): Promise<void> {
    let last: KubeObject | undefined;
    await eventually(
      `${ref.kind} ${ref.name} ${type} (${reason})`,
      async () => {
        last = await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace);
        return condition(last, type)?.reason === reason ? true : undefined;
      },
      async () => summary(last),
    );
  }

  it.each([
    'postgres/aws',
    'postgres/in-cluster',
    'redis/aws',
    'redis/in-cluster',
    'blobstorage/aws',
    'blobstorage/in-cluster',
    'smtpcredentials/aws',
    'smtpcredentials/in-cluster',
    'postgressnapshot/aws',
    'postgressnapshot/in-cluster',
    'redissnapshot/aws',
    'redissnapshot/in-cluster',
    'placementapi/basic',
    'placementapi/extra-networks',
    'placementapi/metallb-internal',
    'placementapi/tls',
  ])('composes %s without an error, then deletes what it composed', async (name) => {
    explainFailure();
    const example = inNamespace(exampleObjects(name), `e2e-${name.replace('/', '-')}`);
    await objects.apply(...example.prerequisites, example.xr);
    const ref = refOf(example.xr);
    const xr = await waitForCondition(objects, ref, 'Synced', 'True', 120_000);
    if (/snapshot\//.test(name)) {
      // A snapshot waits for its source to be Ready, and its source's AWS provider or kubelet does
      // not run here: it says so and composes nothing, as its README section promises.
      const waiting = await waitForCondition(objects, ref, 'SourceReady', 'False');
      expect(condition(waiting, 'SourceReady')?.reason).toBe('SourceNotReady');
      expect(resourceRefs(waiting)).toEqual([]);
    } else {
      const composed = await eventually(`${name} composes resources`, async () => {
        const refs = resourceRefs(await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace));
        return refs.length > 0 ? refs : undefined;
      });
      for (const r of composed) {
        expect(
          await objects.get(r.apiVersion, r.kind, r.name, r.namespace),
          `${r.kind} ${r.name}`,
        ).toBeDefined();
      }
    }
    expect(await warnings(objects, ref), summary(xr)).toEqual([]);

    const xrs = [example.xr, ...example.prerequisites.filter(isXR)];
    const all = await composedOf(xrs);
    for (const o of xrs) await objects.delete(o);
    for (const r of [...all, ...xrs.map(refOf)]) await waitForGone(objects, r, 120_000);
  });

  /** Every composed resource of the XRs. */
  /**
   * Watches a deletion until the credential is gone; returns when the membership was seen gone from the
   * reseller API while the credential still existed (none when the order held). The membership is read
   * before the credential, so a membership gone first is never missed for one gone between the reads.
   */
  function watchMembershipAfterCredential(credential: Ref): () => Promise<string[]> {
    const { reseller } = cp!.fakes;
    const seen: string[] = [];
    const watching = (async () => {
      for (;;) {
        const memberships = reseller.memberships.size;
        const present = await objects.get(
          credential.apiVersion,
          credential.kind,
          credential.name,
          credential.namespace,
        );
        if (present === undefined) return;
        if (memberships === 0)
          seen.push(
            `membership gone while ${credential.kind} ${credential.name} exists (${summary(present)})`,
          );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    return async () => {
      await watching;
      return seen.slice(0, 1);
    };
  }

  async function composedOf(xrs: KubeObject[]): Promise<Ref[]> {
    const refs: Ref[] = [];
    for (const xr of xrs) {
      const ref = refOf(xr);
      refs.push(...resourceRefs(await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace)));
    }
    return refs;
  }
});

/** The parts of a remote StorageTenant's spec the test reads. */
interface RemoteTenantSpec {
  projectID: string;
  target: { namespace: string; providerConfigRef: { name: string } };
  storageClasses: { name: string; replicas: number }[];
}

/** What deleting a StorageTenant keeps, as its README section says. */
const isKept = (ref: Ref): boolean =>
  ref.apiVersion.startsWith('storage.m.stackplane.io/') &&
  (ref.kind === 'Project' || ref.kind === 'Credential');
