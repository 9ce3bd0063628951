import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  managedCustomResourceDefinition,
  providerConfigCustomResourceDefinitions,
} from '../../../../provider/src/runtime/crds.js';
import { widgetForProvider } from '../../../support/widgets.js';

interface Crd {
  metadata: { name: string };
  spec: {
    scope: string;
    names: { kind: string; categories: string[] };
    versions: Array<{
      subresources?: unknown;
      additionalPrinterColumns?: Array<{ name: string }>;
      schema: { openAPIV3Schema: { properties: Record<string, { properties: Record<string, unknown> }> } };
    }>;
  };
}

describe('managedCustomResourceDefinition', () => {
  it('derives a namespaced CRD with the managed-resource fields from the zod schemas', () => {
    const crd = managedCustomResourceDefinition({
      group: 'test.m.stackplane.io',
      version: 'v1alpha1',
      kind: 'Widget',
      plural: 'widgets',
      description: 'A widget.',
      forProvider: widgetForProvider,
      atProvider: z.object({ id: z.string() }),
    }) as unknown as Crd;
    const version = crd.spec.versions[0]!;
    const { spec, status } = version.schema.openAPIV3Schema.properties;
    expect({
      name: crd.metadata.name,
      scope: crd.spec.scope,
      categories: crd.spec.names.categories,
      status: version.subresources,
      columns: version.additionalPrinterColumns?.map((c) => c.name),
      spec: Object.keys(spec!.properties),
      forProvider: spec!.properties['forProvider'],
      statusFields: Object.keys(status!.properties),
      atProvider: status!.properties['atProvider'],
    }).toEqual({
      name: 'widgets.test.m.stackplane.io',
      scope: 'Namespaced',
      categories: ['crossplane', 'managed', 'stackplane'],
      status: { status: {} },
      columns: ['READY', 'SYNCED', 'EXTERNAL-NAME', 'AGE'],
      spec: ['forProvider', 'managementPolicies', 'providerConfigRef', 'writeConnectionSecretToRef'],
      forProvider: {
        type: 'object',
        properties: {
          size: {
            type: 'integer',
            minimum: 1,
            maximum: 9007199254740991,
            description: 'How big the widget is.',
          },
          color: { type: 'string', description: 'Its color; the external system defaults it to "blue".' },
        },
        required: ['size'],
      },
      statusFields: ['conditions', 'atProvider', 'observedGeneration'],
      atProvider: {
        type: 'object',
        properties: { id: { type: 'string' } },
        required: ['id'],
      },
    });
  });
});

describe('providerConfigCustomResourceDefinitions', () => {
  it('defines ProviderConfig, ClusterProviderConfig and ProviderConfigUsage in m.stackplane.io', () => {
    const crds = providerConfigCustomResourceDefinitions(
      z.object({ endpoint: z.string() }),
    ) as unknown as Crd[];
    expect(crds.map((c) => [c.metadata.name, c.spec.scope])).toEqual([
      ['providerconfigs.m.stackplane.io', 'Namespaced'],
      ['clusterproviderconfigs.m.stackplane.io', 'Cluster'],
      ['providerconfigusages.m.stackplane.io', 'Namespaced'],
    ]);
  });

  it('puts provider configs in category provider, not managed, with the columns Go providers show', () => {
    const crds = providerConfigCustomResourceDefinitions(z.object({})) as unknown as Array<
      Crd & { spec: { versions: Array<{ additionalPrinterColumns?: Array<{ name: string }> }> } }
    >;
    expect(
      crds.map((c) => [
        c.spec.names.kind,
        c.spec.names.categories,
        c.spec.versions[0]?.additionalPrinterColumns?.map((col) => col.name),
      ]),
    ).toEqual([
      ['ProviderConfig', ['crossplane', 'provider', 'stackplane'], ['AGE', 'SECRET-NAME']],
      ['ClusterProviderConfig', ['crossplane', 'provider', 'stackplane'], ['AGE', 'SECRET-NAME']],
      [
        'ProviderConfigUsage',
        ['crossplane', 'provider', 'stackplane'],
        ['AGE', 'CONFIG-NAME', 'RESOURCE-KIND', 'RESOURCE-NAME'],
      ],
    ]);
  });

  it('adds the fields of a status schema beside users and conditions', () => {
    const crds = providerConfigCustomResourceDefinitions(
      z.object({ endpoint: z.string() }),
      z.object({ projectPrefix: z.string().optional() }),
    ) as unknown as Crd[];
    const status = (crd: Crd) =>
      crd.spec.versions[0]?.schema.openAPIV3Schema.properties['status']?.properties;
    expect(crds.slice(0, 2).map((crd) => Object.keys(status(crd) ?? {}))).toEqual([
      ['users', 'projectPrefix', 'conditions'],
      ['users', 'projectPrefix', 'conditions'],
    ]);
  });
});
