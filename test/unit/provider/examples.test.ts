// examples/provider/ holds one applyable file per managed kind of provider-stackplane, each valid
// against the schema the provider validates with (test/provider/crds.test.ts applies them to a real
// API server).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { providerManagedKinds } from '../../../apis/provider/kinds.js';
import { providerConfigSpecSchema } from '../../../apis/provider/providerconfig.js';

const DIR = 'examples/provider';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: { forProvider?: unknown };
}

const examples: Array<{ file: string; object: Manifest }> = readdirSync(DIR)
  .sort()
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => ({
      file,
      object: doc.toJS() as Manifest,
    })),
  );

describe('examples/provider', () => {
  it('has an example of every managed kind, ComputeService and WebhookNotification included', () => {
    const shown = new Set(examples.map((e) => `${e.object.apiVersion} ${e.object.kind}`));
    const missing = providerManagedKinds
      .map((k) => `${k.group}/${k.version} ${k.kind}`)
      .filter((k) => !shown.has(k));
    expect(missing).toEqual([]);
  });

  it.each(providerManagedKinds.map((k) => [`${k.kind}.${k.group}`, k] as const))(
    '%s: spec.forProvider of its example is valid',
    (_, kind) => {
      for (const { file, object } of examples) {
        if (object.apiVersion !== `${kind.group}/${kind.version}` || object.kind !== kind.kind) continue;
        const result = kind.forProvider.safeParse(object.spec?.forProvider);
        expect({ file, issues: result.success ? [] : result.error.issues }).toEqual({ file, issues: [] });
      }
    },
  );

  it.each(['ClusterProviderConfig', 'ProviderConfig'])('%s: its spec is valid', (kind) => {
    const configs = examples.filter((e) => e.object.kind === kind);
    expect(configs.length).toBeGreaterThan(0);
    for (const { file, object } of configs) {
      const result = providerConfigSpecSchema.safeParse(object.spec);
      expect({ file, issues: result.success ? [] : result.error.issues }).toEqual({ file, issues: [] });
    }
  });
});
