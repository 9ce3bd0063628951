import type { KubeObject } from '../../types.js';

/** A ClusterIP Service in front of a data service's pods. */
export function clusterService(options: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ports: Array<{ name: string; port: number }>;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      type: 'ClusterIP',
      selector: options.labels,
      ports: options.ports.map(({ name, port }) => ({ name, port, targetPort: port, protocol: 'TCP' })),
    },
  };
}

/** A single-replica StatefulSet with one data volume claim template. */
export function singleStatefulSet(options: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  container: Record<string, unknown>;
  storageSize: string;
  storageClassName?: string | undefined;
  podSecurityContext?: Record<string, unknown>;
}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      replicas: 1,
      serviceName: options.name,
      selector: { matchLabels: options.labels },
      template: {
        metadata: { labels: options.labels },
        spec: {
          ...(options.podSecurityContext ? { securityContext: options.podSecurityContext } : {}),
          containers: [options.container],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: options.labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(options.storageClassName ? { storageClassName: options.storageClassName } : {}),
            resources: { requests: { storage: options.storageSize } },
          },
        },
      ],
    },
  };
}

/** An environment variable read from a key of a Secret. */
export function envFromSecret(name: string, secretName: string, key: string): Record<string, unknown> {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/** `<service>.<namespace>.svc`, the in-cluster host of a Service. */
export const serviceHost = (service: string, namespace: string) => `${service}.${namespace}.svc`;

/**
 * The claim of a single-replica StatefulSet's data volume: Kubernetes names it
 * `<template>-<statefulset>-<ordinal>`, here template "data" and ordinal 0.
 */
export const dataVolumeClaim = (statefulSet: string) => `data-${statefulSet}-0`;
