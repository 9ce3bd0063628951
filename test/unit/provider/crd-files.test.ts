import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { providerCrdFiles } from '../../../provider/src/crd-files.js';

describe('the provider CRD files', () => {
  it('are byte-identical for the same schemas and match the committed ones', async () => {
    expect([...providerCrdFiles()]).toEqual([...providerCrdFiles()]);
    for (const [path, content] of providerCrdFiles()) {
      expect(await readFile(path, 'utf8'), `${path} (run npm run generate)`).toBe(content);
    }
  });

  it('cover every managed kind, the provider config kinds and the platform-owned AdoptionGrant', () => {
    const kinds = [...providerCrdFiles().values()].map((yaml) => {
      const crd = parse(yaml) as { spec: { group: string; scope: string; names: { kind: string } } };
      return `${crd.spec.names.kind}.${crd.spec.group} ${crd.spec.scope}`;
    });
    expect(kinds.sort()).toEqual([
      // Cluster-scoped: a RoleBinding in a tenant's namespace can never grant it.
      'AdoptionGrant.m.stackplane.io Cluster',
      'ApplicationCredential.reseller.m.stackplane.io Namespaced',
      'ClusterProviderConfig.m.stackplane.io Cluster',
      'ComputeService.compute.m.stackplane.io Namespaced',
      'Credential.storage.m.stackplane.io Namespaced',
      'Project.reseller.m.stackplane.io Namespaced',
      'Project.storage.m.stackplane.io Namespaced',
      'ProjectMembership.reseller.m.stackplane.io Namespaced',
      'ProviderConfig.m.stackplane.io Namespaced',
      'ProviderConfigUsage.m.stackplane.io Namespaced',
      'Token.storage.m.stackplane.io Namespaced',
      'User.reseller.m.stackplane.io Namespaced',
      'WebhookNotification.notification.m.stackplane.io Namespaced',
    ]);
  });
});
