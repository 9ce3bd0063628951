/**
 * A real kube-apiserver for the migrate tests: the originals' vendored CRDs, Stackplane's XRDs as the
 * CRDs Crossplane would serve for them (spec schema from the XRD, status open), the provider's
 * ClusterProviderConfig and AdoptionGrant CRDs and Crossplane's EnvironmentConfig.
 */
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import type { RestKubeClient } from '../../../provider/src/runtime/kube.js';
import { type KubeObject, type ResourceType } from '../../../provider/src/runtime/kube.js';
import { crdType, eventually } from '../../support/runtime-cluster.js';

type Crd = KubeObject & {
  spec: { group: string; names: { plural: string }; scope: string; versions: Array<{ name: string }> };
  status?: { conditions?: Array<{ type: string; status: string }> };
};
type Xrd = {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string };
    versions: Array<{ name: string; schema: { openAPIV3Schema: { properties: { spec: unknown } } } }>;
  };
};

/** The CRD Crossplane serves for an XRD: its spec schema, an open status, the status subresource. */
export function crdOfXrd(path: string): Crd {
  const xrd = parse(readFileSync(path, 'utf8')) as Xrd;
  const { group, scope, names } = xrd.spec;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}` },
    spec: {
      group,
      scope,
      names: { ...names, listKind: `${names.kind}List`, singular: names.kind.toLowerCase() },
      versions: xrd.spec.versions.map((v) => ({
        name: v.name,
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: v.schema.openAPIV3Schema.properties.spec,
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      })),
    },
  } as unknown as Crd;
}

/** Crossplane's EnvironmentConfig, as far as the migration writes it. */
export const environmentConfigCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'environmentconfigs.apiextensions.crossplane.io' },
  spec: {
    group: 'apiextensions.crossplane.io',
    scope: 'Cluster',
    names: {
      kind: 'EnvironmentConfig',
      plural: 'environmentconfigs',
      listKind: 'EnvironmentConfigList',
      singular: 'environmentconfig',
    },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
} as unknown as Crd;

/** The CRDs of a YAML file (the vendored ones start with a comment naming their upstream). */
export function crdsIn(path: string): Crd[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as Crd | null)
    .filter((c): c is Crd => c?.kind === 'CustomResourceDefinition');
}

/** Creates the CRDs and waits until each is Established and its objects can be listed. */
export async function installCrds(kube: RestKubeClient, crds: Crd[]): Promise<void> {
  for (const crd of crds) await kube.create(crdType, crd);
  for (const crd of crds) {
    await eventually(`${crd.metadata.name} Established`, async () => {
      const got = await kube.get<Crd>(crdType, crd.metadata.name);
      return got?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
        ? true
        : undefined;
    });
    const { group, names, scope, versions } = crd.spec;
    const type = typeOf(`${group}/${versions[0]?.name ?? ''}`, names.plural, scope === 'Namespaced');
    // Established comes before the storage of the new kind answers lists (429 while it initializes).
    await eventually(`${names.plural}.${group} served`, async () =>
      (await kube.list(type)).items ? true : undefined,
    );
  }
}

/** The ResourceType of a kind a CRD (or the core API) serves. */
export function typeOf(apiVersion: string, plural: string, namespaced: boolean): ResourceType {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { group: group ?? '', version: version ?? '', plural, namespaced };
}
