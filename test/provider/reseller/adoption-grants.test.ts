import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { adoptionGrantsFrom, adoptionGrantType } from '../../../provider/src/reseller/adoption-grants.js';
import { Manager } from '../../../provider/src/runtime/manager.js';
import { FakeKube } from '../../support/fake-kube.js';

const grant = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'm.stackplane.io/v1alpha1',
  kind: 'AdoptionGrant',
  metadata: { name },
  spec,
});

describe("AdoptionGrants from the manager's cache", () => {
  const kube = new FakeKube();
  kube.seed(adoptionGrantType, grant('web', { namespace: 'team', kind: 'Project', externalName: 'web' }));
  // A malformed grant (no kind) grants nothing.
  kube.seed(adoptionGrantType, grant('broken', { namespace: 'team', externalName: 'db' }));
  const manager = new Manager({
    kubeConfig: new KubeConfig(),
    kube,
    logger: pino({ level: 'silent' }),
    component: 'test',
    metricsPort: false,
    healthProbePort: false,
  });
  const grants = adoptionGrantsFrom(manager.cache(adoptionGrantType));

  it.each([
    [
      'the granted namespace, kind and name',
      { namespace: 'team', kind: 'Project', externalName: 'web' },
      true,
    ],
    ['another namespace', { namespace: 'team-a', kind: 'Project', externalName: 'web' }, false],
    ['another kind', { namespace: 'team', kind: 'User', externalName: 'web' }, false],
    ['another name', { namespace: 'team', kind: 'Project', externalName: 'web2' }, false],
    ['a malformed grant', { namespace: 'team', kind: 'Project', externalName: 'db' }, false],
  ] as const)('%s: %s', async (_reason, request, want) => {
    // Before the informer has synced (here: never started), the API server answers.
    expect(await grants.allows(request)).toBe(want);
  });
});
