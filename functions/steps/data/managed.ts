import type { KubeObject } from '../../types.js';

/** The management policies of every composed managed resource: all, or observe only (skipCreate). */
export function managementPolicies(skipCreate: boolean): string[] {
  return skipCreate ? ['Observe'] : ['*'];
}

/** What every provider-upjet-aws managed resource composed for a data service shares. */
export interface ManagedOptions {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** The name of the resource in AWS, set as crossplane.io/external-name. */
  externalName?: string;
  providerConfigName: string;
  policies: string[];
  forProvider: Record<string, unknown>;
  /** The Secret, in the composite's namespace, the provider writes connection details to. */
  connectionSecret?: string;
}

/** A namespaced managed resource of provider-upjet-aws (Crossplane v2: no deletionPolicy). */
export function managedResource(options: ManagedOptions): KubeObject {
  return {
    apiVersion: options.apiVersion,
    kind: options.kind,
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: options.labels,
      ...(options.externalName
        ? { annotations: { 'crossplane.io/external-name': options.externalName } }
        : {}),
    },
    spec: {
      managementPolicies: options.policies,
      providerConfigRef: { kind: 'ClusterProviderConfig', name: options.providerConfigName },
      forProvider: options.forProvider,
      ...(options.connectionSecret ? { writeConnectionSecretToRef: { name: options.connectionSecret } } : {}),
    },
  };
}

/** `status.atProvider` of an observed managed resource. */
export function atProvider(observed: KubeObject | undefined): Record<string, unknown> {
  const status = observed?.['status'] as { atProvider?: Record<string, unknown> } | undefined;
  return status?.atProvider ?? {};
}

/** Whether an observed StatefulSet or Deployment has all its replicas ready. */
export function workloadReady(observed: KubeObject | undefined): boolean {
  if (!observed) return false;
  const want = ((observed['spec'] as { replicas?: number } | undefined)?.replicas ?? 1) as number;
  const ready = (observed['status'] as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
  return ready >= want;
}
