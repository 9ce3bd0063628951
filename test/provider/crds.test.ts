import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestKubeClient, type KubeObject, type ResourceType } from '../../provider/src/runtime/kube.js';
import { kubeApiServerOrSkip, startKubeApiServer, type KubeApiServer } from '../../testing/kube-apiserver.js';
import { installProviderCrds } from '../support/provider-cluster.js';
import { createNamespace } from '../support/runtime-cluster.js';

const binaries = kubeApiServerOrSkip('provider CRD installation tests');

const tokens: ResourceType = {
  group: 'storage.m.stackplane.io',
  version: 'v1alpha1',
  plural: 'tokens',
  namespaced: true,
};
const resellerProjects: ResourceType = {
  group: 'reseller.m.stackplane.io',
  version: 'v1alpha1',
  plural: 'projects',
  namespaced: true,
};
const token = (name: string, forProvider: object): KubeObject & { spec: object } => ({
  apiVersion: 'storage.m.stackplane.io/v1alpha1',
  kind: 'Token',
  metadata: { name, namespace: 'crds' },
  spec: { forProvider },
});

describe.skipIf(!binaries)('the generated provider CRDs in a real kube-apiserver', () => {
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

  it('install and become Established, and their rules apply', async () => {
    const names = await installProviderCrds(kube);
    expect(names).toEqual([
      'adoptiongrants.m.stackplane.io',
      'applicationcredentials.reseller.m.stackplane.io',
      'clusterproviderconfigs.m.stackplane.io',
      'computeservices.compute.m.stackplane.io',
      'credentials.storage.m.stackplane.io',
      'projectmemberships.reseller.m.stackplane.io',
      'projects.reseller.m.stackplane.io',
      'projects.storage.m.stackplane.io',
      'providerconfigs.m.stackplane.io',
      'providerconfigusages.m.stackplane.io',
      'tokens.storage.m.stackplane.io',
      'users.reseller.m.stackplane.io',
      'webhooknotifications.notification.m.stackplane.io',
    ]);
    await createNamespace(kube, 'crds');
    const created = await kube.create<KubeObject & { spec: object }>(
      tokens,
      token('good', { projectName: 'p1' }),
    );
    // Defaults come from the schema, as the reconciler's zod parse gives them.
    expect(created.spec).toEqual({
      forProvider: {
        projectName: 'p1',
        subject: 'stackplane',
        issuer: 'provider-stackplane',
        lifetimeHours: 192,
        renewBeforeHours: 24,
      },
      managementPolicies: ['*'],
      providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
    });
    await expect(
      kube.create(tokens, token('bad', { projectName: 'p1', lifetimeHours: 30, renewBeforeHours: 48 })),
    ).rejects.toThrow('renewBeforeHours must be less than lifetimeHours');
    await expect(
      kube.mergePatch(tokens, 'good', 'crds', { spec: { forProvider: { projectName: 'p2' } } }),
    ).rejects.toThrow('projectName is immutable');
    // A tenant cannot write the provider's ownership marker into a description.
    await expect(
      kube.create(resellerProjects, {
        apiVersion: 'reseller.m.stackplane.io/v1alpha1',
        kind: 'Project',
        metadata: { name: 'forged', namespace: 'crds' },
        spec: { forProvider: { name: 'forged', description: 'Web stackplane-owner_0123456789abcdef0123' } },
      } as KubeObject),
    ).rejects.toThrow('description must not contain "stackplane-owner_"');
  });

  it('accept every example of examples/provider as written', async () => {
    await installProviderCrds(kube).catch(() => []);
    for (const ns of ['crossplane-system', 'team-a']) await createNamespace(kube, ns).catch(() => {});
    const dir = 'examples/provider';
    const applied: string[] = [];
    for (const file of readdirSync(dir).sort()) {
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const object = doc.toJS() as KubeObject & { apiVersion: string; kind: string };
        const [group, version] = object.apiVersion.includes('/')
          ? object.apiVersion.split('/')
          : ['', object.apiVersion];
        const type: ResourceType = {
          group: group ?? '',
          version: version ?? '',
          plural: `${object.kind.toLowerCase()}s`.replace(/ys$/, 'ies'),
          namespaced: !['ClusterProviderConfig', 'AdoptionGrant'].includes(object.kind),
        };
        await kube.create(type, object);
        applied.push(`${file}: ${object.kind}`);
      }
    }
    expect(applied).toEqual([
      'adoptiongrant.yaml: AdoptionGrant',
      'clusterproviderconfig.yaml: Secret',
      'clusterproviderconfig.yaml: Secret',
      'clusterproviderconfig.yaml: Secret',
      'clusterproviderconfig.yaml: ClusterProviderConfig',
      'compute-service.yaml: ComputeService',
      'providerconfig.yaml: Secret',
      'providerconfig.yaml: ProviderConfig',
      'reseller-applicationcredential.yaml: ApplicationCredential',
      'reseller-project.yaml: Project',
      'reseller-projectmembership.yaml: ProjectMembership',
      'reseller-user.yaml: Secret',
      'reseller-user.yaml: User',
      'storage-credential.yaml: Credential',
      'storage-project.yaml: Project',
      'storage-token.yaml: Token',
      'webhook-notification.yaml: Secret',
      'webhook-notification.yaml: WebhookNotification',
    ]);
  });
});
