import { CoreV1Api } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RestKubeClient,
  USER_AGENT,
  type KubeObject,
  type ResourceType,
} from '../../../provider/src/runtime/kube.js';
import { LAST_APPLIED_ANNOTATION } from '../../../provider/src/runtime/cache-transform.js';
import { InformerWatch } from '../../../provider/src/runtime/controller.js';
import { LeaderElector, microTime } from '../../../provider/src/runtime/leader.js';
import {
  kubeApiServerOrSkip,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../testing/kube-apiserver.js';
import { eventually, namespaceType } from '../../support/runtime-cluster.js';

const binaries = kubeApiServerOrSkip('kube-apiserver and leader election tests');
const leases: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  namespaced: true,
};
type Lease = KubeObject & { spec: { holderIdentity?: string; leaseTransitions?: number } };

describe.skipIf(!binaries)('a real kube-apiserver on loopback', () => {
  let server: KubeApiServer;
  let kube: RestKubeClient;
  beforeAll(async () => {
    server = await startKubeApiServer(binaries!);
    kube = new RestKubeClient(server.kubeConfig);
  }, 120_000);
  afterAll(async () => {
    kube?.close();
    await server?.stop();
  });

  it('serves the core API to the admin kubeconfig', async () => {
    const core = server.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'smoke' } } });
    const namespace = await core.readNamespace({ name: 'smoke' });
    expect(namespace.metadata?.name).toBe('smoke');
  });

  it('is named provider-stackplane in managedFields, as a Go provider is named by its binary', async () => {
    const lease = await kube.create<Lease>(leases, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'field-manager', namespace: 'default' },
      spec: { holderIdentity: 'a' },
    });
    const managers = (lease.metadata as { managedFields?: { manager: string }[] }).managedFields?.map(
      (f) => f.manager,
    );
    expect(managers).toEqual(['provider-stackplane']);
    expect(USER_AGENT).toMatch(/^provider-stackplane\/v\d+\.\d+\.\d+ \(\w+\/\w+\)$/);
  });

  it('elects one leader per Lease, hands over on release and notices a lost lease', async () => {
    const elector = (identity: string) =>
      new LeaderElector(
        kube,
        {
          namespace: 'default',
          name: 'provider-stackplane',
          identity,
          leaseDurationMs: 2_000,
          renewDeadlineMs: 1_000,
          retryPeriodMs: 200,
        },
        pino({ level: 'silent' }),
      );
    const a = elector('a');
    const b = elector('b');
    let bLost = false;
    expect(await a.acquire(() => {})).toBe(true);
    const bLeading = b.acquire(() => (bLost = true));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const heldByA = await kube.get<Lease>(leases, 'provider-stackplane', 'default');

    await a.release();
    expect(await bLeading).toBe(true);
    const heldByB = await kube.get<Lease>(leases, 'provider-stackplane', 'default');

    // Someone else takes the lease: b must notice at its next renewal and give up leading.
    await kube.mergePatch(leases, 'provider-stackplane', 'default', {
      spec: { holderIdentity: 'c', renewTime: microTime(new Date()), leaseDurationSeconds: 30 },
    });
    await eventually('b notices', async () => (bLost ? true : undefined), 5_000);
    await b.release();
    expect({
      first: heldByA?.spec.holderIdentity,
      second: heldByB?.spec.holderIdentity,
      transitions: heldByB?.spec.leaseTransitions,
      bLost,
    }).toEqual({ first: 'a', second: 'b', transitions: 1, bLost: true });
  });

  it('caches objects without managedFields and the last-applied annotation, as listed and as watched', async () => {
    const watch = new InformerWatch(server.kubeConfig, kube, leases, pino({ level: 'silent' }), 'cached');
    await kube.create(namespaceType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cached' } });
    const lease = (name: string): Lease => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: 'cached',
        annotations: { [LAST_APPLIED_ANNOTATION]: '{"spec":{"holderIdentity":"a"}}', team: 'a' },
      },
      spec: { holderIdentity: 'a' },
    });
    await kube.create(leases, lease('listed'));
    await watch.start();
    try {
      await kube.create(leases, lease('watched'));
      await kube.mergePatch(leases, 'listed', 'cached', { spec: { holderIdentity: 'b' } });
      const cached = (name: string, holder: string) =>
        eventually(`${name} cached with holder ${holder}`, async () => {
          const object = watch.get(name, 'cached') as Lease | undefined;
          return object?.spec.holderIdentity === holder ? object : undefined;
        });
      const trimmed = (object: Lease) => ({
        managedFields: 'managedFields' in object.metadata,
        annotations: object.metadata.annotations,
      });
      const fromServer = await kube.get<Lease>(leases, 'watched', 'cached');
      expect({
        listedThenUpdated: trimmed(await cached('listed', 'b')),
        watched: trimmed(await cached('watched', 'a')),
        onTheServer: trimmed(fromServer!),
      }).toEqual({
        listedThenUpdated: { managedFields: false, annotations: { team: 'a' } },
        watched: { managedFields: false, annotations: { team: 'a' } },
        onTheServer: {
          managedFields: true,
          annotations: { [LAST_APPLIED_ANNOTATION]: '{"spec":{"holderIdentity":"a"}}', team: 'a' },
        },
      });
    } finally {
      await watch.stop();
    }
  });
});
