// One namespace against another through the running provider: the reconciler, the informer cache of
// AdoptionGrants and the fake reseller API over HTTP, against a real kube-apiserver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptionGrantType } from '../../../provider/src/reseller/adoption-grants.js';
import { markedDescription } from '../../../provider/src/reseller/ownership.js';
import type { KubeObject, RestKubeClient } from '../../../provider/src/runtime/kube.js';
import type { Manager } from '../../../provider/src/runtime/manager.js';
import { Annotation, type ManagedResource } from '../../../provider/src/runtime/resource.js';
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
import { eventually, isReady } from '../../support/runtime-cluster.js';

const binaries = kubeApiServerOrSkip('provider adoption tests');
const projects = resellerType('projects');
/** team-a/web's project name, which team/a-web-<hash> once got as its plain name. */
const NAME = 'qxmrtb-team-a-web-bcdefghijk';

const withRegion: MRModifier = (mr) => {
  mr.spec.providerConfigRef = { kind: 'ClusterProviderConfig', name: 'region' };
};

describe.skipIf(!binaries)("a namespace never takes another's project through the provider", () => {
  let cluster: ProviderCluster;
  let kube: RestKubeClient;
  let provider: Manager;
  let fake: FakeResellerAPI;

  beforeAll(async () => {
    cluster = await startProviderCluster(binaries!, ['team-a', 'team']);
    kube = cluster.kube;
    fake = await new FakeResellerAPI().start();
    await createRegion(kube, 'region', {
      endpoint: fake.url,
      username: DEFAULT_ACCOUNT.username,
      password: DEFAULT_ACCOUNT.password,
    });
    provider = await startStackplaneProvider(cluster.server.kubeConfig, kube, { pollIntervalMs: 1_000 });
  }, 120_000);
  afterAll(async () => {
    await provider?.stop();
    await fake?.stop();
    await cluster?.stop();
  });

  const get = (ns: string, name: string) => kube.get<ManagedResource>(projects, name, ns);
  const project = (ns: string, name: string, ...modifiers: MRModifier[]) =>
    resellerMR('Project', ns, name, { name: NAME, description: `Team ${name}` }, withRegion, ...modifiers);
  const synced = (mr: ManagedResource | undefined) =>
    mr?.status?.conditions?.find((c) => c.type === 'Synced');
  const refused = (ns: string, name: string) =>
    eventually(`${ns}/${name} refused`, async () => {
      const condition = synced(await get(ns, name));
      return condition?.status === 'False' && condition.message?.includes('cannot adopt')
        ? condition
        : undefined;
    });
  const gone = (ns: string, name: string) =>
    eventually(`${ns}/${name} gone`, async () => ((await get(ns, name)) ? undefined : true));
  /** Requests other than reads that reached the project with this id. */
  const writesTo = (id: string) =>
    fake.requests
      .filter((r) => r.path.includes(id) && r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`);

  it('refuses by name and by external name, deletes nothing, and adopts with the grant', async () => {
    await kube.create(projects, project('team-a', 'web'));
    const victim = await eventually('team-a/web Ready', async () => {
      const mr = await get('team-a', 'web');
      return isReady(mr) ? mr : undefined;
    });
    const id = victim.metadata.annotations![Annotation.ExternalName]!;
    const before = structuredClone(fake.projects.get(id));

    // By name: the create finds team-a's project and refuses it.
    await kube.create(projects, project('team', 'a-web'));
    const byName = await refused('team', 'a-web');
    expect(byName).toMatchObject({ reason: 'ReconcileError' });
    expect(byName.message).toContain(
      `cannot adopt project "c0042-${NAME}" (${id}): it carries the ownership marker of another managed ` +
        'resource; nothing was changed; the platform can allow namespace "team" to adopt it with an ' +
        `AdoptionGrant (m.stackplane.io/v1alpha1) of kind Project and externalName "${NAME}"`,
    );
    // By external name: observe refuses it.
    await kube.create(projects, project('team', 'pointed', withExternalName(id)));
    await refused('team', 'pointed');

    // Deleting either never deletes team-a's project.
    await kube.delete(projects, 'a-web', 'team');
    await kube.delete(projects, 'pointed', 'team');
    await gone('team', 'a-web');
    await gone('team', 'pointed');
    expect({ project: fake.projects.get(id), writes: writesTo(id) }).toEqual({ project: before, writes: [] });
    expect(isReady(await get('team-a', 'web'))).toBe(true);

    // The platform's grant, read from the informer cache, lets team adopt it.
    await kube.create(adoptionGrantType, {
      apiVersion: 'm.stackplane.io/v1alpha1',
      kind: 'AdoptionGrant',
      metadata: { name: 'team-project' },
      spec: { namespace: 'team', kind: 'Project', externalName: NAME },
    } as KubeObject);
    await kube.create(projects, project('team', 'granted'));
    const granted = await eventually('team/granted Ready', async () => {
      const mr = await get('team', 'granted');
      return isReady(mr) ? mr : undefined;
    });
    expect(granted.metadata.annotations![Annotation.ExternalName]).toBe(id);
    expect(fake.projects.get(id)?.description).toBe(
      markedDescription('Team granted', { namespace: 'team', name: 'granted' }),
    );
  });
});
