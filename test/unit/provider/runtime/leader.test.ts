import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../../../../provider/src/runtime/kube.js';
import { LeaderElector, microTime } from '../../../../provider/src/runtime/leader.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { FakeKube } from '../../../support/fake-kube.js';

const leases: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  namespaced: true,
};
const log = pino({ level: 'silent' });
const HOUR = 3_600_000;

/** Lets pending promise callbacks run (the elector's API calls resolve on the microtask queue). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('LeaderElector', () => {
  it('never takes a live lease from a holder whose clock is behind its own', async () => {
    const kube = new FakeKube();
    // The holder renews every 2s; its clock is an hour behind the candidate's.
    const holderClock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'provider', namespace: 'crossplane-system' },
      spec: { holderIdentity: 'holder', leaseDurationSeconds: 15, renewTime: microTime(holderClock.now()) },
    };
    kube.seed(leases, lease);
    const candidateClock = new FakeClock(holderClock.now().getTime() + HOUR);
    const candidate = new LeaderElector(
      kube,
      { namespace: 'crossplane-system', name: 'provider', identity: 'candidate', clock: candidateClock },
      log,
    );
    let leading = false;
    void candidate.acquire(() => {}).then((won) => (leading = won));
    for (let second = 0; second < 60; second += 2) {
      await settle();
      holderClock.advance(2_000);
      const current = await kube.get<typeof lease>(leases, 'provider', 'crossplane-system');
      await kube.mergePatch(leases, 'provider', 'crossplane-system', {
        spec: { ...current!.spec, renewTime: microTime(holderClock.now()) },
      });
      candidateClock.advance(2_000);
    }
    await settle();
    const held = await kube.get<typeof lease>(leases, 'provider', 'crossplane-system');
    // The holder stops renewing: a lease duration later (by the candidate's clock) it takes over.
    for (let second = 0; second < 20; second += 2) {
      candidateClock.advance(2_000);
      await settle();
    }
    const taken = await kube.get<typeof lease>(leases, 'provider', 'crossplane-system');
    await candidate.release();
    expect({
      whileRenewed: held?.spec.holderIdentity,
      afterExpiry: taken?.spec.holderIdentity,
      leading,
    }).toEqual({ whileRenewed: 'holder', afterExpiry: 'candidate', leading: true });
  });
});
