/**
 * Helpers for provider tests against a real API server: the generated CRDs of package/provider/crds,
 * installed and Established, and a provider process with every managed kind registered.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { PROVIDER_CRD_DIR } from '../../provider/src/crd-files.js';
import { providerKinds, registerProviderKinds, type ProviderKindsOptions } from '../../provider/src/kinds.js';
import { adoptionGrantsFrom, adoptionGrantType } from '../../provider/src/reseller/adoption-grants.js';
import {
  RestKubeClient,
  type KubeClient,
  type KubeObject,
  type ResourceType,
} from '../../provider/src/runtime/kube.js';
import type { Manager, ManagerOptions } from '../../provider/src/runtime/manager.js';
import { providerConfigTypes } from '../../provider/src/runtime/providerconfig.js';
import { Annotation, type ManagedResource } from '../../provider/src/runtime/resource.js';
import { kubeSecretReader } from '../../provider/src/secret-key.js';
import {
  startKubeApiServer,
  type KubeApiServer,
  type KubeApiServerBinaries,
} from '../../testing/kube-apiserver.js';
import { createNamespace, crdType, eventually, secretType, testManager } from './runtime-cluster.js';

/** A CRD as the API server reports it. */
export type Crd = KubeObject & {
  spec: { group: string; names: { plural: string } };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
};

/** The committed CRDs of the provider package. */
export async function providerCrds(): Promise<Crd[]> {
  const files = (await readdir(PROVIDER_CRD_DIR)).filter((f) => f.endsWith('.yaml')).sort();
  return Promise.all(files.map(async (f) => parse(await readFile(join(PROVIDER_CRD_DIR, f), 'utf8')) as Crd));
}

/** Creates the provider's CRDs and waits until each is Established; returns their names. */
export async function installProviderCrds(kube: KubeClient): Promise<string[]> {
  const crds = await providerCrds();
  for (const crd of crds) await kube.create(crdType, crd);
  for (const crd of crds) {
    await eventually(`${crd.metadata.name} Established`, async () => {
      const got = await kube.get<Crd>(crdType, crd.metadata.name);
      return got?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
        ? true
        : undefined;
    });
  }
  return crds.map((crd) => crd.metadata.name);
}

/** A real kube-apiserver with the provider's CRDs Established, and a client of it. */
export interface ProviderCluster {
  server: KubeApiServer;
  kube: RestKubeClient;
  /** Closes the client and stops the API server. */
  stop(): Promise<void>;
}

/**
 * Starts a kube-apiserver, installs the provider's CRDs and creates crossplane-system and
 * `namespaces`: what every provider integration test stands on.
 */
export async function startProviderCluster(
  binaries: KubeApiServerBinaries,
  namespaces: string[] = [],
): Promise<ProviderCluster> {
  const server = await startKubeApiServer(binaries);
  const kube = new RestKubeClient(server.kubeConfig);
  const stop = async (): Promise<void> => {
    kube.close();
    await server.stop();
  };
  try {
    await installProviderCrds(kube);
    for (const ns of ['crossplane-system', ...namespaces]) await createNamespace(kube, ns);
  } catch (error) {
    await stop();
    throw error;
  }
  return { server, kube, stop };
}

/** Starts a provider process with every kind, test-sized timings, and no metrics port. */
export async function startStackplaneProvider(
  kubeConfig: KubeConfig,
  kube: KubeClient,
  options: Partial<ManagerOptions> = {},
  kinds: Partial<ProviderKindsOptions> = {},
): Promise<Manager> {
  const manager = testManager(kubeConfig, { concurrency: 20, queueRatePerSecond: 1_000 }, options);
  // Grants from the manager's cache of AdoptionGrants, as main.ts wires them.
  const ownership = { grants: adoptionGrantsFrom(manager.cache(adoptionGrantType)) };
  registerProviderKinds(manager, providerKinds({ readSecret: kubeSecretReader(kube), ownership, ...kinds }));
  await manager.start();
  return manager;
}

/** The REST location of a reseller managed kind. */
export const resellerType = (plural: string): ResourceType => ({
  group: 'reseller.m.stackplane.io',
  version: 'v1alpha1',
  plural,
  namespaced: true,
});

/** A reseller managed resource modifier. */
export type MRModifier = (mr: ManagedResource) => void;

/** A reseller managed resource of kind with forProvider, changed by modifiers. */
export function resellerMR(
  kind: string,
  namespace: string,
  name: string,
  forProvider: Record<string, unknown>,
  ...modifiers: MRModifier[]
): ManagedResource {
  const mr: ManagedResource = {
    apiVersion: 'reseller.m.stackplane.io/v1alpha1',
    kind,
    metadata: { name, namespace },
    spec: { forProvider },
  };
  for (const modify of modifiers) modify(mr);
  return mr;
}

/** Sets the managed resource's external name. */
export const withExternalName =
  (name: string): MRModifier =>
  (mr) => {
    mr.metadata.annotations = { ...mr.metadata.annotations, [Annotation.ExternalName]: name };
  };

/**
 * A Region as the original operator had it: a Secret with endpoint, username and password in the
 * provider's namespace, and the ClusterProviderConfig naming it.
 */
export async function createRegion(
  kube: KubeClient,
  name: string,
  secretData: Record<string, string>,
  spec: Record<string, unknown> = {},
): Promise<void> {
  await kube.create(secretType, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'crossplane-system' },
    data: Object.fromEntries(
      Object.entries(secretData).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
  } as KubeObject);
  await kube.create(providerConfigTypes.ClusterProviderConfig, {
    apiVersion: 'm.stackplane.io/v1alpha1',
    kind: 'ClusterProviderConfig',
    metadata: { name },
    // The fakes serve plain HTTP on loopback, which a provider config must allow explicitly.
    spec: { credentials: { source: 'Secret', secretRef: { name } }, allowInsecureHTTP: true, ...spec },
  } as KubeObject);
}
