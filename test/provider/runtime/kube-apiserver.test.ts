import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeApiServerOrSkip, startKubeApiServer, type KubeApiServer } from '../../support/kube-apiserver.js';

const binaries = kubeApiServerOrSkip('kube-apiserver smoke test');

describe.skipIf(!binaries)('a real kube-apiserver on loopback', () => {
  let server: KubeApiServer;
  beforeAll(async () => {
    server = await startKubeApiServer(binaries!);
  }, 120_000);
  afterAll(async () => server?.stop());

  it('serves the core API to the admin kubeconfig', async () => {
    const core = server.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'smoke' } } });
    const namespace = await core.readNamespace({ name: 'smoke' });
    expect(namespace.metadata?.name).toBe('smoke');
  });
});
