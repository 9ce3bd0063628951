// The provider end to end: the runtime, the real reseller external clients and the fake reseller API
// over HTTP, against a real kube-apiserver.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient, KubeObject, RestKubeClient } from '../../../provider/src/runtime/kube.js';
import type { Manager, ManagerOptions } from '../../../provider/src/runtime/manager.js';
import { adoptionGrantType } from '../../../provider/src/reseller/adoption-grants.js';
import { markedDescription } from '../../../provider/src/reseller/ownership.js';
import { providerConfigTypes } from '../../../provider/src/runtime/providerconfig.js';
import { Annotation, FINALIZER, type ManagedResource } from '../../../provider/src/runtime/resource.js';
import { DEFAULT_ACCOUNT, FakeResellerAPI } from '../../../testing/fakes/reseller-api.js';
import { kubeApiServerOrSkip } from '../../../testing/kube-apiserver.js';
import {
  createRegion,
  resellerMR,
  resellerType,
  startProviderCluster,
  startStackplaneProvider,
  withExternalName,
  type MRModifier,
  type ProviderCluster,
} from '../../support/provider-cluster.js';
import { createNamespace, eventually, isReady, secretType } from '../../support/runtime-cluster.js';

const binaries = kubeApiServerOrSkip('provider integration tests');
const projects = resellerType('projects');
const users = resellerType('users');

const withRegion =
  (region: string): MRModifier =>
  (mr) => {
    mr.spec.providerConfigRef = { kind: 'ClusterProviderConfig', name: region };
  };
const withPolicies =
  (...policies: string[]): MRModifier =>
  (mr) => {
    mr.spec.managementPolicies = policies;
  };
const withConnectionSecret =
  (name: string): MRModifier =>
  (mr) => {
    mr.spec.writeConnectionSecretToRef = { name };
  };

describe.skipIf(!binaries)('provider-stackplane against the fake reseller API', () => {
  let cluster: ProviderCluster;
  let kube: RestKubeClient;
  let provider: Manager | undefined;
  let fake: FakeResellerAPI | undefined;
  let tests = 0;

  beforeAll(async () => {
    cluster = await startProviderCluster(binaries!);
    kube = cluster.kube;
  }, 120_000);
  afterEach(async () => {
    await provider?.stop();
    provider = undefined;
    await fake?.stop();
    fake = undefined;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** A fresh namespace, fake API and region (ClusterProviderConfig) per test. */
  async function setUp(faults: ConstructorParameters<typeof FakeResellerAPI>[0] = {}) {
    const n = ++tests;
    const ns = `it-${n}`;
    const region = `region-${n}`;
    await createNamespace(kube, ns);
    fake = await new FakeResellerAPI(faults).start();
    await createRegion(
      kube,
      region,
      { endpoint: fake.url, username: DEFAULT_ACCOUNT.username, password: DEFAULT_ACCOUNT.password },
      { keystone: { authURL: 'https://identity.example.com:5000/v3' }, regionName: 'RegionOne' },
    );
    return { ns, region, fake };
  }

  async function start(ns: string, options: Partial<ManagerOptions> = {}, client: KubeClient = kube) {
    provider = await startStackplaneProvider(cluster.server.kubeConfig, client, {
      namespace: ns,
      ...(client === kube ? {} : { kube: client }),
      ...options,
    });
    return provider;
  }

  const get = (ns: string, name: string, type = projects) => kube.get<ManagedResource>(type, name, ns);
  const ready = (ns: string, name: string, type = projects, timeoutMs = 20_000) =>
    eventually(
      `${ns}/${name} Ready`,
      async () => {
        const mr = await get(ns, name, type);
        return isReady(mr) ? mr : undefined;
      },
      timeoutMs,
    );
  const gone = (ns: string, name: string, type = projects, timeoutMs = 20_000) =>
    eventually(`${ns}/${name} gone`, async () => ((await get(ns, name, type)) ? undefined : true), timeoutMs);
  const project = (ns: string, region: string, name: string, ...modifiers: MRModifier[]) =>
    resellerMR('Project', ns, name, { name, description: `Team ${name}` }, withRegion(region), ...modifiers);
  /** Creates of projects (the client asks for the collection with a trailing slash). */
  const projectCreates = (api: FakeResellerAPI) =>
    api.requests.filter((r) => r.method === 'POST' && r.path.replace(/\/$/, '') === '/api/v1/project').length;
  /** Requests that change state, login and the prefix lookup aside. */
  const writes = (api: FakeResellerAPI) =>
    api.requests
      .filter((r) => r.method !== 'GET' && !r.path.startsWith('/api/v1/auth/'))
      .map((r) => `${r.method} ${r.path.replace(/\/$/, '')}`);

  it('creates a project and a user, publishes the login, and deletes both before the finalizer', async () => {
    const { ns, region, fake } = await setUp();
    await start(ns);
    await kube.create(secretType, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'dev-password', namespace: ns },
      data: { password: Buffer.from('user-password-1').toString('base64') },
    } as KubeObject);
    await kube.create(projects, project(ns, region, 'team-a'));
    await kube.create(
      users,
      resellerMR(
        'User',
        ns,
        'dev',
        {
          email: 'dev@example.com',
          description: 'Developer',
          passwordSecretRef: { name: 'dev-password', key: 'password' },
        },
        withRegion(region),
        withConnectionSecret('dev-openstack'),
      ),
    );

    const mr = await ready(ns, 'team-a');
    const user = await ready(ns, 'dev', users);
    const [stored] = [...fake.projects.values()];
    const secret = await kube.get<KubeObject & { data: Record<string, string> }>(
      secretType,
      'dev-openstack',
      ns,
    );
    const connection = Object.fromEntries(
      Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
    );
    expect({
      externalName: mr.metadata.annotations?.[Annotation.ExternalName],
      finalizers: mr.metadata.finalizers,
      atProvider: mr.status?.atProvider,
      projects: [...fake.projects.values()].map((p) => p.name),
      users: [...fake.users.values()].map((u) => [u.name, u.password]),
      userExternalName: user.metadata.annotations?.[Annotation.ExternalName],
      connectionKeys: Object.keys(connection).sort(),
      login: [connection['username'], connection['password'], connection['OS_REGION_NAME']],
    }).toEqual({
      externalName: stored?.id,
      finalizers: [FINALIZER],
      atProvider: { id: stored?.id, name: 'c0042-team-a', enabled: true },
      projects: ['c0042-team-a'],
      users: [['dev@example.com', 'user-password-1']],
      userExternalName: [...fake.users.keys()][0],
      connectionKeys: [
        'OS_AUTH_URL',
        'OS_IDENTITY_API_VERSION',
        'OS_PASSWORD',
        'OS_REGION_NAME',
        'OS_USERNAME',
        'OS_USER_DOMAIN_NAME',
        'clouds.yaml',
        'password',
        'username',
      ],
      login: ['dev@example.com', 'user-password-1', 'RegionOne'],
    });
    // The region shows the prefix test-token reported.
    const prefix = await eventually(`${region} status.projectPrefix`, async () => {
      const config = await kube.get<KubeObject & { status?: { projectPrefix?: string } }>(
        providerConfigTypes.ClusterProviderConfig,
        region,
      );
      return config?.status?.projectPrefix;
    });
    expect(prefix).toBe(DEFAULT_ACCOUNT.projectPrefix);

    await kube.delete(projects, 'team-a', ns);
    await kube.delete(users, 'dev', ns);
    await gone(ns, 'team-a');
    await gone(ns, 'dev', users);
    expect({
      projects: fake.projects.size,
      users: fake.users.size,
      secret: await kube.get(secretType, 'dev-openstack', ns),
    }).toEqual({ projects: 0, users: 0, secret: undefined });
  });

  it('repairs a project edited or deleted out of band at the next poll', async () => {
    const { ns, region, fake } = await setUp();
    await start(ns, { pollIntervalMs: 1_000 });
    await kube.create(projects, project(ns, region, 'drift'));
    const first = await ready(ns, 'drift');
    const id = first.metadata.annotations![Annotation.ExternalName]!;

    // An edit by hand that keeps the ownership marker (one that removes it makes the project foreign).
    const marked = markedDescription('Team drift', { namespace: ns, name: 'drift' });
    fake.projects.get(id)!.description = marked.replace('Team drift', 'edited by hand');
    fake.projects.get(id)!.enabled = false;
    await eventually('the edit reverted', async () =>
      fake.projects.get(id)?.description === marked && fake.projects.get(id)?.enabled ? true : undefined,
    );

    fake.projects.delete(id);
    const recreated = await eventually('the project created again', async () => {
      const mr = await get(ns, 'drift');
      const name = mr?.metadata.annotations?.[Annotation.ExternalName];
      return name !== id && isReady(mr) ? mr : undefined;
    });
    const newID = recreated.metadata.annotations![Annotation.ExternalName]!;
    expect([...fake.projects.values()].map((p) => [p.id, p.name, p.description, p.enabled])).toEqual([
      [newID, 'c0042-drift', marked, true],
    ]);
  });

  it('observes without writing under Observe, and keeps the project without Delete', async () => {
    const { ns, region, fake } = await setUp();
    const existing = fake.seedProject({ name: 'c0042-legacy', description: 'Made by hand' });
    // Made by hand, so it carries no marker: the platform lets this namespace observe it.
    await kube.create(adoptionGrantType, {
      apiVersion: 'm.stackplane.io/v1alpha1',
      kind: 'AdoptionGrant',
      metadata: { name: `${ns}-legacy` },
      spec: { namespace: ns, kind: 'Project', externalName: 'legacy' },
    } as KubeObject);
    await start(ns, { pollIntervalMs: 1_000 });
    await kube.create(
      projects,
      project(ns, region, 'legacy', withPolicies('Observe'), withExternalName(existing.id)),
    );
    await kube.create(
      projects,
      project(ns, region, 'kept', withPolicies('Observe', 'Create', 'Update', 'LateInitialize')),
    );
    const observed = await ready(ns, 'legacy');
    const kept = await ready(ns, 'kept');
    const keptID = kept.metadata.annotations![Annotation.ExternalName]!;
    // Let a few polls pass: the observed project differs from its spec, and must stay as it is.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    await kube.delete(projects, 'legacy', ns);
    await kube.delete(projects, 'kept', ns);
    await gone(ns, 'legacy');
    await gone(ns, 'kept');
    expect({
      atProvider: observed.status?.atProvider,
      writes: writes(fake),
      projects: [...fake.projects.values()].map((p) => [p.id, p.description]).sort(),
    }).toEqual({
      atProvider: { id: existing.id, name: 'c0042-legacy', enabled: true },
      // Only the create of "kept"; no update of "legacy" and no delete of either.
      writes: ['POST /api/v1/project'],
      projects: [
        [existing.id, 'Made by hand'],
        [keptID, markedDescription('Team kept', { namespace: ns, name: 'kept' })],
      ].sort(),
    });
  });

  it('recovers alone and never creates twice when the provider restarts in the middle of a create', async () => {
    const { ns, region, fake } = await setUp();
    // The prefix lookup and the adoption check pass; the create is performed and its answer lost.
    fake.faults.script({ kind: 'pass' }, { kind: 'pass' }, { kind: 'crash-after-perform' });
    // And the process dies before it can record the outcome of the create.
    const dying: KubeClient = Object.create(kube, {
      mergePatch: {
        value: (...args: Parameters<KubeClient['mergePatch']>) => {
          const annotations = (args[3] as { metadata?: { annotations?: Record<string, string> } }).metadata
            ?.annotations;
          if (
            annotations?.[Annotation.ExternalCreateSucceeded] !== undefined ||
            annotations?.[Annotation.ExternalCreateFailed] !== undefined
          ) {
            return Promise.reject(new Error('connection reset'));
          }
          return kube.mergePatch(...args);
        },
      },
    }) as KubeClient;
    await start(ns, {}, dying);
    await kube.create(projects, project(ns, region, 'restart'));
    await eventually('the create performed', async () => (fake.projects.size === 1 ? true : undefined));
    await provider!.stop();

    // The new process finds a create that started and never finished. A Project's create adopts the
    // project of its exact name before making one, so it repeats the create without a human: it adopts
    // the project the lost create made, and makes no other.
    await start(ns, { pollIntervalMs: 1_000 });
    const adopted = await ready(ns, 'restart');
    expect({
      externalName: adopted.metadata.annotations?.[Annotation.ExternalName],
      creates: projectCreates(fake),
      // The create was performed and its answer lost (no status recorded).
      createAnswered: fake.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/project/')?.status,
      projects: fake.projects.size,
    }).toEqual({
      externalName: [...fake.projects.keys()][0],
      creates: 1,
      createAnswered: undefined,
      projects: 1,
    });
  });

  it('converges 200 projects through 10% injected faults and leaves nothing behind', async () => {
    const { ns, region, fake } = await setUp({
      faults: { seed: 42, errorRate: 0.05, dropRate: 0.025, crashAfterPerformRate: 0.05 },
    });
    await start(ns);
    const names = Array.from({ length: 200 }, (_, i) => `p${String(i).padStart(3, '0')}`);
    for (const name of names) await kube.create(projects, project(ns, region, name));
    await eventually(
      'every project Ready',
      async () => {
        const list = await kube.list<ManagedResource>(projects, ns);
        return list.items.filter(isReady).length === names.length ? true : undefined;
      },
      90_000,
      500,
    );
    const stored = [...fake.projects.values()].map((p) => p.name).sort();
    const faulted = fake.requests.filter(
      (r) => r.status === undefined || r.status >= 500 || r.status === 429,
    );

    for (const name of names) await kube.delete(projects, name, ns);
    await eventually(
      'every project deleted',
      async () => ((await kube.list(projects, ns)).items.length === 0 ? true : undefined),
      90_000,
      500,
    );
    expect({
      faulted: faulted.length > 20,
      stored,
      left: fake.projects.size,
    }).toEqual({ faulted: true, stored: names.map((n) => `c0042-${n}`), left: 0 });
  }, 180_000);
});
