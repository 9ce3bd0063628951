// What `crossplane xpkg install` users and package registries read from each package's metadata.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readSingleManifest } from '../../../render/manifests.js';
import { CONFIGURATIONS, PACKAGE_NAMES, PACKAGES, packageContents } from '../../../scripts/packages.js';

const meta = async (name: (typeof PACKAGE_NAMES)[number]) => readSingleManifest(PACKAGES[name].meta);
const annotations = (m: Record<string, unknown>) =>
  (m['metadata'] as { annotations?: Record<string, string> }).annotations ?? {};
const spec = (m: Record<string, unknown>) => m['spec'] as Record<string, unknown>;

describe('package metadata', () => {
  it.each(PACKAGE_NAMES)(
    '%s: is named as its file in _output and carries the annotations users read',
    async (name) => {
      const m = await meta(name);
      expect(m['apiVersion']).toBe('meta.pkg.crossplane.io/v1');
      expect(m['kind']).toBe(PACKAGES[name].kind);
      expect((m['metadata'] as { name: string }).name).toBe(name);
      const a = annotations(m);
      for (const key of [
        'meta.crossplane.io/maintainer',
        'meta.crossplane.io/source',
        'meta.crossplane.io/description',
        'meta.crossplane.io/readme',
        'friendly-name.meta.crossplane.io',
      ]) {
        expect(a[key], key).toMatch(/\S/);
      }
      // ">=v2.0.0" refuses release candidates and dev builds of Crossplane v2; "-0" admits them.
      expect(spec(m)['crossplane']).toEqual({ version: '>=v2.0.0-0' });
    },
  );

  it.each(PACKAGE_NAMES)('%s: its license is the LICENSE file', async (name) => {
    expect(annotations(await meta(name))['meta.crossplane.io/license']).toBe('Apache-2.0');
    const license = await readFile('LICENSE', 'utf8');
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(JSON.parse(await readFile('package.json', 'utf8'))).toMatchObject({ license: 'Apache-2.0' });
  });

  it('declares the capabilities of the package kinds that have them', async () => {
    expect(spec(await meta('function-stackplane'))['capabilities']).toEqual(['composition']);
    // safe-start promises to start controllers only for activated managed resource definitions;
    // provider-stackplane ships CRDs and starts every controller, so it must not claim it.
    expect(spec(await meta('provider-stackplane'))['capabilities']).toBeUndefined();
  });

  it('keeps no field Crossplane v2 ignores', async () => {
    // meta.pkg.crossplane.io/v1 Provider has no spec.controller: `xpkg build` drops it silently.
    expect(Object.keys(spec(await meta('provider-stackplane'))).sort()).toEqual(['crossplane']);
    expect(Object.keys(spec(await meta('function-stackplane'))).sort()).toEqual([
      'capabilities',
      'crossplane',
    ]);
  });

  it.each(CONFIGURATIONS)('%s: every dependency names its package kind and a version', async (name) => {
    const deps = spec(await meta(name))['dependsOn'] as Array<Record<string, string>>;
    expect(deps.length).toBeGreaterThan(0);
    for (const dep of deps) {
      expect(Object.keys(dep).sort()).toEqual(['apiVersion', 'kind', 'package', 'version']);
      expect(dep['apiVersion']).toBe('pkg.crossplane.io/v1');
      // Capped below the next major, which may break what the Compositions compose.
      const range = /^>=v(\d+)\.\d+\.\d+ <v(\d+)\.0\.0$/.exec(dep['version'] ?? '');
      expect({ package: dep['package'], next: range && Number(range[2]) - Number(range[1]) }).toEqual({
        package: dep['package'],
        next: 1,
      });
    }
    expect(deps.map((d) => d['package'])).toContain('ghcr.io/stackplane/function-stackplane');
  });

  it.each(PACKAGE_NAMES)('%s: its readme names every kind the package carries', async (name) => {
    const readme = annotations(await meta(name))['meta.crossplane.io/readme'] ?? '';
    const kinds = new Set<string>();
    for (const file of await packageContents(name)) {
      const object = await readSingleManifest(file);
      if (object['kind'] === 'CompositeResourceDefinition' || object['kind'] === 'CustomResourceDefinition') {
        kinds.add((object['spec'] as { names: { kind: string } }).names.kind);
      }
    }
    expect(kinds.size).toBeGreaterThan(0);
    expect([...kinds].filter((kind) => !new RegExp(`\\b${kind}\\b`).test(readme)).sort()).toEqual([]);
  });

  it('puts every XRD and Composition into exactly one Configuration', async () => {
    const carried = (await Promise.all(CONFIGURATIONS.map((c) => packageContents(c)))).flat().sort();
    const all = [
      ...(await readdir('apis/xrds')).map((f) => `apis/xrds/${f}`),
      ...(await readdir('compositions')).map((f) => `compositions/${f}`),
    ].sort();
    expect(carried).toEqual(all);
  });
});
