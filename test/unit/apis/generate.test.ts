import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generatedFiles } from '../../../apis/generate.js';

describe('npm run generate', () => {
  it('writes byte-identical output for the same schemas', () => {
    expect([...generatedFiles()]).toEqual([...generatedFiles()]);
  });

  it('matches the committed XRDs and CRDs (run `npm run generate` when this fails)', async () => {
    for (const [path, content] of generatedFiles()) {
      expect(await readFile(path, 'utf8'), path).toBe(content);
    }
  });

  it('documents every StorageTenant field for kubectl explain and keeps the API server rules', () => {
    const xrd = parse(generatedFiles().get('apis/xrds/storagetenants.storage.stackplane.io.yaml')!);
    expect(xrd.apiVersion).toBe('apiextensions.crossplane.io/v2');
    expect(xrd.spec.scope).toBe('Cluster');
    const version = xrd.spec.versions[0];
    expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual([
      'PROJECT',
      'DEFAULT',
      'TARGET',
      'CLASSES',
    ]);
    const spec = version.schema.openAPIV3Schema.properties.spec;
    // projectID or its former name metalProjectID: a CEL rule requires exactly one.
    expect(spec.required).toEqual(['storageClasses']);
    const classes = spec.properties.storageClasses;
    expect(classes['x-kubernetes-list-type']).toBe('map');
    expect(classes['x-kubernetes-validations'].map((v: { message: string }) => v.message)).toEqual([
      'at most one storage class can be the default',
      'compression cannot be true when encryption is on',
    ]);
    const entry = classes.items.properties;
    expect(entry.replicas).toMatchObject({ type: 'integer', minimum: 1, maximum: 3 });
    expect(entry.reclaimPolicy).toMatchObject({ enum: ['Delete', 'Retain'], default: 'Retain' });
    // compression has no schema default: whether the user said true matters when encryption is on.
    expect(entry.compression.default).toBeUndefined();
    const undocumented: string[] = [];
    const visit = (node: Record<string, unknown>, path: string) => {
      for (const [name, child] of Object.entries(
        (node['properties'] ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        if (!child['description']) undocumented.push(`${path}.${name}`);
        visit(child, `${path}.${name}`);
        if (child['items']) visit(child['items'] as Record<string, unknown>, `${path}.${name}[]`);
      }
    };
    visit(version.schema.openAPIV3Schema, '');
    expect(undocumented).toEqual([]);
  });

  it('marks every map and object below each XR status atomic, so an emptied one never becomes null', () => {
    // Crossplane core applies XR status with server-side apply: a granular map that loses its last
    // key is merged into null, which the schema refuses, and the status stops updating.
    const granular: string[] = [];
    const visit = (node: Record<string, unknown>, path: string, root: boolean) => {
      if (node['type'] === 'object' && !root && node['x-kubernetes-map-type'] !== 'atomic')
        granular.push(path);
      for (const [name, child] of Object.entries((node['properties'] ?? {}) as Record<string, object>)) {
        visit(child as Record<string, unknown>, `${path}.${name}`, false);
      }
      if (node['items']) visit(node['items'] as Record<string, unknown>, `${path}[]`, false);
      const values = node['additionalProperties'];
      if (values && typeof values === 'object') visit(values as Record<string, unknown>, `${path}{}`, false);
    };
    let maps = 0;
    for (const [path, content] of generatedFiles()) {
      if (!path.startsWith('apis/xrds/')) continue;
      const status = parse(content).spec.versions[0].schema.openAPIV3Schema.properties.status;
      expect(status['x-kubernetes-map-type'], `${path} status root`).toBeUndefined();
      visit(status, `${path}: status`, true);
      maps += (content.match(/x-kubernetes-map-type: atomic/g) ?? []).length;
    }
    expect(granular).toEqual([]);
    expect(maps).toBeGreaterThanOrEqual(4); // User userIDs; PlacementAPI endpoints, networkAttachments, hash
  });

  it('writes a CRD for the StorageClasses step input', () => {
    const crd = parse(generatedFiles().get('package/function/input/storageclasses.fn.stackplane.io.yaml')!);
    expect(crd.spec.names.kind).toBe('StorageClasses');
    const properties = crd.spec.versions[0].schema.openAPIV3Schema.properties;
    expect(properties.kind).toEqual({ type: 'string', enum: ['StorageClasses'] });
    expect(properties.credentialsSecret.default).toEqual({ name: 'lb-csi-creds', namespace: 'kube-system' });
  });
});
