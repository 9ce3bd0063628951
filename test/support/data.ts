// Builders for data service requests: composites, the shipped Composition input, platform resources.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeObject } from '../../functions/types.js';
import type { Modifier } from './requests.js';

export type DataXR = KubeObject & {
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
};

/** A data service composite of `kind` in namespace team-a, as the API server hands it over. */
export function dataXR(
  kind: string,
  spec: Record<string, unknown>,
  ...modifiers: Modifier<DataXR>[]
): DataXR {
  const xr: DataXR = {
    apiVersion: 'data.stackplane.io/v1alpha1',
    kind,
    metadata: { name: 'orders', namespace: 'team-a' },
    spec: { ...spec },
  };
  for (const modify of modifiers) modify(xr);
  return xr;
}

export const withStatus =
  (status: Record<string, unknown>): Modifier<DataXR> =>
  (xr) => {
    xr.status = { ...xr.status, ...status };
  };

/** The step input exactly as compositions/<file> ships it. */
export function shippedInput(file: string): KubeObject {
  const composition = parse(readFileSync(`compositions/${file}`, 'utf8')) as {
    spec: { pipeline: Array<{ input: KubeObject }> };
  };
  return structuredClone(composition.spec.pipeline[0]!.input);
}

/** The platform EnvironmentConfig: controller id qwerty and, optionally, overrides of the tables. */
export const environmentConfig = (dataServices?: unknown): KubeObject => ({
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'EnvironmentConfig',
  metadata: { name: 'stackplane-data' },
  data: { controllerID: 'qwerty', ...(dataServices === undefined ? {} : { dataServices }) },
});

export const kubeSystem = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'kube-system', uid: '3c4f7a52-8d1e-4f0a-9b6c-2e5d7f8a9b01' },
});

/** The required resources once Crossplane fetched them. */
export const platformFetched = (
  dataServices?: unknown,
  extra: Record<string, KubeObject[]> = {},
): Record<string, KubeObject[]> => ({
  'controller-id-config': [environmentConfig(dataServices)],
  'kube-system-namespace': [kubeSystem()],
  ...extra,
});

/** A deterministic entropy source: byte i is (seed + i) mod 256. */
export const fakeRandom =
  (seed = 1) =>
  (bytes: number): Buffer =>
    Buffer.from(Array.from({ length: bytes }, (_, i) => (seed + i) % 256));

/** The decoded data of a Secret. */
export function decoded(secret: KubeObject | undefined): Record<string, string> {
  const data = (secret?.['data'] ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
}

/** An observed managed resource with condition Ready=True. */
export function readyManaged(object: KubeObject, atProvider: Record<string, unknown> = {}): KubeObject {
  return {
    ...object,
    status: {
      atProvider,
      conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
    },
  };
}
