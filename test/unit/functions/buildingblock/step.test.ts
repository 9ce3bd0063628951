// The BuildingBlock step through the function's handler: validation, ordering and a run of
// maintenance transitions fed back as Crossplane would, counting the notifications composed.
import { Ready } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, desiredStatus, summarize } from '../../../support/responses.js';

const secret = (name: string, keys: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'openstack' },
  data: Object.fromEntries(keys.map((k) => [k, 'cGxhY2Vob2xkZXI='])),
});
const environment: KubeObject = {
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'EnvironmentConfig',
  metadata: { name: 'stackplane-openstack' },
  data: { openstack: { keystoneAuthURL: 'https://keystone.example.com/v3', region: 'region-1' } },
};
const required = {
  'environment-config': [environment],
  'nova-secret': [secret('nova-secret', ['NovaPassword', 'transport_url'])],
  'webhook-secret': [secret('hook', ['url'])],
};
const input = { apiVersion: 'fn.stackplane.io/v1alpha1', kind: 'BuildingBlock' };

function xr(spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'openstack.stackplane.io/v1alpha1',
    kind: 'BuildingBlock',
    metadata: { name: 'bb-1', namespace: 'openstack' },
    spec: {
      availabilityZone: 'az-1',
      hosts: ['node-a'],
      nova: { secret: 'nova-secret' },
      notifications: { webhook: { urlSecretRef: { name: 'hook' } } },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

const run = (parts: {
  xr: KubeObject;
  observed?: Record<string, KubeObject>;
  required?: Record<string, KubeObject[]>;
}) => new StackplaneFunction(steps).RunFunction(runFunctionRequest({ input, required, ...parts }));

const ready = (object: KubeObject, atProvider?: Record<string, unknown>): KubeObject => ({
  ...object,
  status: {
    ...(atProvider ? { atProvider } : {}),
    conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
  },
});

describe('BuildingBlock: bad input is refused with the field and the fix', () => {
  const invalid = (problem: string) => `invalid BuildingBlock openstack/bb-1: ${problem}`;
  it.each<{ reason: string; spec: Record<string, unknown>; message: string }>([
    {
      reason: 'kvm without hosts',
      spec: { hosts: undefined },
      message: invalid(
        'spec.hosts: is required for hypervisor kvm: list the nodes, or select them with nodeSelector',
      ),
    },
    {
      reason: 'hosts on a vmware block',
      spec: { hypervisor: 'vmware', vmware: { host: 'vc', clusterName: 'c', credentialsSecret: 's' } },
      message: invalid('spec.hosts: is for hypervisor kvm only; remove it (a vmware block has one agent)'),
    },
    {
      reason: 'no nova-compute',
      spec: { agents: [{ name: 'neutron-sriov-agent' }] },
      message: invalid('spec.agents: must include nova-compute: it is what registers the block in Nova'),
    },
    {
      reason: 'an agent twice',
      spec: { agents: [{ name: 'nova-compute' }, { name: 'nova-compute' }] },
      message: invalid('spec.agents[1].name: "nova-compute" is listed twice; list each agent once'),
    },
    {
      reason: 'two replicas of an agent',
      spec: { agents: [{ name: 'nova-compute', replicas: 2 }] },
      message: invalid('spec.agents[0].replicas: Too big: expected number to be <=1'),
    },
  ])('$reason', async ({ spec, message }) => {
    const rsp = await run({ xr: xr(spec) });
    expect(summarize(rsp)).toEqual({
      results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
      conditions: [{ type: 'Valid', status: 'False', reason: 'InvalidSpec', message }],
    });
  });

  it('an agent the Composition does not know', async () => {
    const rsp = await run({ xr: xr({ agents: [{ name: 'nova-compute' }, { name: 'ovn-agent' }] }) });
    const message =
      'spec.agents[1].name: unknown agent "ovn-agent"; use one of: neutron-sriov-agent, nova-compute';
    expect(summarize(rsp)).toEqual({
      results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
      conditions: [{ type: 'Valid', status: 'False', reason: 'InvalidSpec', message }],
    });
  });
});

describe('BuildingBlock: order', () => {
  it('asks for its Secrets and platform configuration before composing anything', async () => {
    const rsp = await run({ xr: xr(), required: {} });
    expect(desiredResources(rsp)).toEqual({});
    expect(Object.keys(rsp.requirements?.resources ?? {}).sort()).toEqual([
      'environment-config',
      'nova-secret',
      'webhook-secret',
    ]);
  });

  it('starts no agent while the nova Secret lacks a key, and says which', async () => {
    const rsp = await run({
      xr: xr(),
      observed: { 'config-secret': { apiVersion: 'v1', kind: 'Secret' } },
      required: { ...required, 'nova-secret': [secret('nova-secret', ['NovaPassword'])] },
    });
    expect(Object.keys(desiredResources(rsp)).sort()).toEqual([
      'compute-service-node-a',
      'config-secret',
      'service-account',
    ]);
    expect(summarize(rsp).conditions.find((c) => c.type === 'InputReady')).toEqual({
      type: 'InputReady',
      status: 'False',
      reason: 'WaitingForInputs',
      message: 'Secret nova-secret with keys NovaPassword, transport_url does not exist yet',
    });
  });

  it('says when the webhook Secret lacks its key, before any transition needs it', async () => {
    const rsp = await run({
      xr: xr(),
      required: { ...required, 'webhook-secret': [secret('hook', ['endpoint'])] },
    });
    expect(summarize(rsp).conditions.find((c) => c.type === 'NotificationDelivered')).toEqual({
      type: 'NotificationDelivered',
      status: 'False',
      reason: 'WaitingForSecret',
      message: 'Secret hook with key url does not exist yet',
    });
  });

  it('names the missing Keystone URL and its two homes', async () => {
    const rsp = await run({ xr: xr(), required: { ...required, 'environment-config': [] } });
    expect(summarize(rsp).conditions.find((c) => c.type === 'InputReady')?.message).toBe(
      'no Keystone URL: set data.openstack.keystoneAuthURL of EnvironmentConfig "stackplane-openstack" or input.keystone.authURL of the Composition',
    );
  });

  it('keeps running agents as they are when the platform configuration breaks later', async () => {
    const rsp = await run({
      xr: xr(),
      observed: { 'config-secret': { apiVersion: 'v1', kind: 'Secret' } },
      required: { ...required, 'environment-config': [] },
    });
    const problem =
      'no Keystone URL: set data.openstack.keystoneAuthURL of EnvironmentConfig "stackplane-openstack" or input.keystone.authURL of the Composition';
    expect(summarize(rsp)).toEqual({
      results: [
        {
          severity: 'Fatal',
          reason: 'PlatformConfigUnusable',
          message: `cannot configure the agents: ${problem}`,
        },
      ],
      conditions: [
        { type: 'Valid', status: 'True', reason: 'ValidSpec' },
        { type: 'InputReady', status: 'False', reason: 'WaitingForInputs', message: problem },
      ],
    });
  });

  it('makes the nodes spec.nodeSelector matches the hosts of a kvm block without hosts', async () => {
    const spec = { hosts: undefined, nodeSelector: { 'stackplane.io/block': 'bb-1' } };
    const asked = await run({ xr: xr(spec) });
    expect(asked.requirements?.resources['nodes']).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      matchLabels: { labels: { 'stackplane.io/block': 'bb-1', 'openstack.stackplane.io/compute': 'true' } },
    });
    const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
    const rsp = await run({
      xr: xr(spec),
      required: { ...required, nodes: [node('node-b'), node('node-a')] },
    });
    expect(Object.keys(desiredResources(rsp)).filter((n) => n.startsWith('compute-service-'))).toEqual([
      'compute-service-node-a',
      'compute-service-node-b',
    ]);
    expect(desiredStatus(rsp)?.['hosts']).toEqual(['node-a', 'node-b']);
  });

  it('warns when no node matches the selector, and is not Ready', async () => {
    const rsp = await run({
      xr: xr({ hosts: undefined, nodeSelector: { 'stackplane.io/block': 'bb-1' } }),
      required: { ...required, nodes: [] },
    });
    const summary = summarize(rsp);
    expect(summary.results).toEqual([
      {
        severity: 'Warning',
        reason: 'NoNodes',
        message:
          "no node other than a control-plane node has the labels of spec.nodeSelector and of the platform's " +
          'compute nodes (stackplane.io/block=bb-1, openstack.stackplane.io/compute=true); label the ' +
          'hypervisor nodes or list them in spec.hosts',
      },
    ]);
    expect(summary.conditions.find((c) => c.type === 'NovaRegistered')).toEqual({
      type: 'NovaRegistered',
      status: 'False',
      reason: 'NoHosts',
      message: 'the block has no hosts yet',
    });
    expect(desiredResources(rsp)['aggregate']).toBeUndefined();
  });

  it('creates the aggregate only once every service registered', async () => {
    const first = desiredResources(await run({ xr: xr({ hosts: ['node-a', 'node-b'] }) }));
    const service = (host: string) =>
      ready(first[`compute-service-${host}`]!, { status: 'enabled', state: 'up' });
    const one = desiredResources(
      await run({
        xr: xr({ hosts: ['node-a', 'node-b'] }),
        observed: { 'compute-service-node-a': service('node-a') },
      }),
    );
    expect(one['aggregate']).toBeUndefined();
    const both = desiredResources(
      await run({
        xr: xr({ hosts: ['node-a', 'node-b'] }),
        observed: {
          'compute-service-node-a': service('node-a'),
          'compute-service-node-b': service('node-b'),
        },
      }),
    );
    expect((both['aggregate']?.['spec'] as { forProvider: object }).forProvider).toEqual({
      name: 'openstack-bb-1',
      zone: 'az-1',
      hosts: ['node-a', 'node-b'],
      metadata: { 'stackplane.io/building-block': 'openstack.bb-1' },
    });
  });
});

describe('BuildingBlock: maintenance on and off, as Crossplane feeds back state', () => {
  /** Crossplane's loop in miniature: desired becomes observed, desired status becomes status. */
  class Loop {
    status: Record<string, unknown> | undefined;
    observed: Record<string, KubeObject> = {};
    readonly composed = new Set<string>();

    async reconcile(
      spec: Record<string, unknown>,
      options: { loseStatus?: boolean; deliver?: boolean } = {},
    ) {
      const rsp = await run({ xr: xr(spec, this.status), observed: this.observed });
      const desired = desiredResources(rsp);
      const next: Record<string, KubeObject> = {};
      for (const [name, object] of Object.entries(desired)) {
        if (name.startsWith('notification-')) {
          this.composed.add(name);
          const delivered = options.deliver !== false || this.observed[name]?.['status'] !== undefined;
          next[name] = delivered ? ready(object, { deliveredAt: '2026-11-29T10:00:00Z' }) : object;
        } else if (name.startsWith('compute-service-')) {
          const forProvider = (object['spec'] as { forProvider: Record<string, string> }).forProvider;
          next[name] = ready(object, { status: forProvider['status']!, state: 'up' });
        } else next[name] = object;
      }
      this.observed = next;
      if (!options.loseStatus) this.status = desiredStatus(rsp);
      return rsp;
    }
  }

  it('announces exactly one notification per transition, never on a re-reconcile or a lost status write', async () => {
    const loop = new Loop();
    await loop.reconcile({});
    await loop.reconcile({});
    expect([...loop.composed]).toEqual([]);

    await loop.reconcile(
      { maintenance: { enabled: true, reason: 'fw' } },
      { loseStatus: true, deliver: false },
    );
    const on = await loop.reconcile({ maintenance: { enabled: true, reason: 'fw' } });
    await loop.reconcile({ maintenance: { enabled: true, reason: 'firmware, again' } });
    expect([...loop.composed]).toEqual(['notification-1']);
    const payload = (desiredResources(on)['notification-1']!['spec'] as { forProvider: { payload: object } })
      .forProvider.payload;
    expect(payload).toEqual({
      kind: 'BuildingBlockMaintenance',
      buildingBlock: 'bb-1',
      namespace: 'openstack',
      availabilityZone: 'az-1',
      maintenance: 'enabled',
      reason: 'fw',
      transition: 1,
    });

    const off = await loop.reconcile({});
    const settled = await loop.reconcile({});
    expect([...loop.composed]).toEqual(['notification-1', 'notification-2']);
    // The delivered older one goes, the latest stays so its delivery can be read.
    expect(Object.keys(desiredResources(off)).filter((n) => n.startsWith('notification-'))).toEqual([
      'notification-2',
    ]);
    expect(loop.status).toMatchObject({
      maintenance: { enabled: false, transitions: 2 },
      notification: { lastDelivered: 2, deliveredAt: '2026-11-29T10:00:00Z' },
    });
    expect(
      summarize(settled).conditions.filter((c) => ['Maintenance', 'NotificationDelivered'].includes(c.type)),
    ).toEqual([
      { type: 'Maintenance', status: 'False', reason: 'Disabled', message: '1/1 services enabled in Nova' },
      {
        type: 'NotificationDelivered',
        status: 'True',
        reason: 'Delivered',
        message: 'transition 2 announced',
      },
    ]);
  });

  it('keys each notification by the block uid and transition, so a re-created block starts anew', async () => {
    const withUID = (spec: Record<string, unknown>, status?: Record<string, unknown>) => {
      const object = xr(spec, status);
      (object['metadata'] as Record<string, unknown>)['uid'] = '3f2a9c1e-0000-4000-8000-000000000001';
      return object;
    };
    const rsp = await run({
      xr: withUID({ maintenance: { enabled: true } }, { maintenance: { enabled: false, transitions: 0 } }),
    });
    const forProvider = (
      desiredResources(rsp)['notification-1']!['spec'] as { forProvider: Record<string, unknown> }
    ).forProvider;
    expect(forProvider['idempotencyKey']).toBe('3f2a9c1e-0000-4000-8000-000000000001/maintenance-1');
  });

  it('keeps an undelivered notification while the next transition is announced', async () => {
    const loop = new Loop();
    await loop.reconcile({});
    await loop.reconcile({ maintenance: { enabled: true } }, { deliver: false });
    const rsp = await loop.reconcile({}, { deliver: false });
    const resources = rsp.desired?.resources ?? {};
    expect(Object.keys(resources).filter((n) => n.startsWith('notification-'))).toEqual([
      'notification-1',
      'notification-2',
    ]);
    expect(resources['notification-1']?.ready).toBe(Ready.READY_FALSE);
    expect(summarize(rsp).conditions.find((c) => c.type === 'NotificationDelivered')).toEqual({
      type: 'NotificationDelivered',
      status: 'False',
      reason: 'Pending',
      message: 'transition 1, 2 not accepted by the webhook yet; retried until it is',
    });
  });

  it('keeps only the fields it sets of an undelivered notification, not what the API server defaulted', async () => {
    const loop = new Loop();
    await loop.reconcile({});
    await loop.reconcile({ maintenance: { enabled: true } }, { deliver: false });
    const first = loop.observed['notification-1']!;
    loop.observed['notification-1'] = {
      ...first,
      spec: { ...(first['spec'] as object), managementPolicies: ['*'], deletionPolicy: 'Delete' },
    };
    const kept = desiredResources(await loop.reconcile({}, { deliver: false }))['notification-1']!;
    expect(kept['spec']).toEqual(first['spec']);
    expect(Object.keys(kept['spec'] as object)).toEqual(['forProvider', 'providerConfigRef']);
  });

  it('asks to run again within seconds while it converges, and leaves the normal TTL once settled', async () => {
    const ttl = (rsp: Awaited<ReturnType<typeof run>>) => rsp.meta?.ttl?.seconds;
    const loop = new Loop();
    // Not Ready yet: the agents' pods are not reported ready in this loop.
    expect(ttl(await loop.reconcile({}))).toBe(5);
    const settled = new Loop();
    const readyAgents = async (spec: Record<string, unknown>, options?: { deliver?: boolean }) => {
      const rsp = await settled.reconcile(spec, options);
      for (const [name, object] of Object.entries(settled.observed)) {
        if (name.startsWith('agent-'))
          settled.observed[name] = {
            ...object,
            status: {
              replicas: 1,
              readyReplicas: 1,
              availableReplicas: 1,
              updatedReplicas: 1,
              observedGeneration: 1,
            },
          };
        if (name === 'aggregate') settled.observed[name] = ready(object);
      }
      return rsp;
    };
    await readyAgents({});
    await readyAgents({});
    await readyAgents({});
    const steady = await readyAgents({});
    expect(
      summarize(steady)
        .conditions.filter((c) => c.status !== 'True')
        .map((c) => c.type),
    ).toEqual(['Maintenance']);
    expect(ttl(steady)).toBe(60);
    // A transition whose notification is not accepted yet keeps the short TTL until it is.
    expect(ttl(await readyAgents({ maintenance: { enabled: true } }, { deliver: false }))).toBe(5);
    expect(ttl(await readyAgents({ maintenance: { enabled: true } }, { deliver: false }))).toBe(5);
  });

  it('disables every service with the reason while in maintenance and enables them after', async () => {
    const loop = new Loop();
    await loop.reconcile({ hosts: ['node-a', 'node-b'] });
    const on = desiredResources(
      await loop.reconcile({ hosts: ['node-a', 'node-b'], maintenance: { enabled: true } }),
    );
    expect(
      ['node-a', 'node-b'].map(
        (h) => (on[`compute-service-${h}`]!['spec'] as { forProvider: object }).forProvider,
      ),
    ).toEqual([
      {
        host: 'node-a',
        binary: 'nova-compute',
        status: 'disabled',
        disabledReason: 'maintenance of building block openstack/bb-1',
      },
      {
        host: 'node-b',
        binary: 'nova-compute',
        status: 'disabled',
        disabledReason: 'maintenance of building block openstack/bb-1',
      },
    ]);
    const off = desiredResources(await loop.reconcile({ hosts: ['node-a', 'node-b'] }));
    expect((off['compute-service-node-a']!['spec'] as { forProvider: object }).forProvider).toEqual({
      host: 'node-a',
      binary: 'nova-compute',
      status: 'enabled',
    });
  });
});
