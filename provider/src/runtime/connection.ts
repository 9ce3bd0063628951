/**
 * The ConnectionPublisher port: writes a managed resource's connection details to the Secret named
 * by spec.writeConnectionSecretToRef, in the resource's namespace and controlled by the resource.
 */
import type { ConnectionDetails } from './external.js';
import type { KubeClient, OwnerReference } from './kube.js';
import type { ManagedResource } from './resource.js';
import { secretDataOf, secretType, type SecretObject } from './secrets.js';

/** Publishes and removes connection details. Both must be idempotent. */
export interface ConnectionPublisher {
  publish(mr: ManagedResource, details: ConnectionDetails): Promise<void>;
  unpublish(mr: ManagedResource): Promise<void>;
  /** What is published now; undefined when the Secret does not exist or is not the resource's. */
  read(mr: ManagedResource): Promise<ConnectionDetails | undefined>;
}

/** Publishes nothing: for resources without connection details, and for tests. */
export const noopConnectionPublisher: ConnectionPublisher = {
  publish: async () => {},
  unpublish: async () => {},
  read: async () => undefined,
};

/** The type of connection Secrets, as Crossplane writes them. */
const CONNECTION_SECRET_TYPE = 'connection.crossplane.io/v1alpha1';

const secrets = secretType;
type Secret = SecretObject;

/** Thrown when the Secret exists and another object controls it. */
export class SecretNotControlledError extends Error {
  override name = 'SecretNotControlledError';
}

/** The ConnectionPublisher that writes Kubernetes Secrets. */
export class SecretConnectionPublisher implements ConnectionPublisher {
  constructor(private readonly kube: KubeClient) {}

  async publish(mr: ManagedResource, details: ConnectionDetails): Promise<void> {
    const ref = mr.spec.writeConnectionSecretToRef;
    const namespace = mr.metadata.namespace;
    if (!ref || namespace === undefined) return;
    const data = Object.fromEntries(
      Object.entries(details)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => [key, value.toString('base64')]),
    );
    const existing = await this.kube.get<Secret>(secrets, ref.name, namespace);
    if (existing === undefined) {
      // A concurrent create fails with a conflict; the reconcile then backs off and compares.
      await this.kube.create<Secret>(secrets, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: ref.name, namespace, ownerReferences: [ownerReferenceOf(mr)] },
        type: CONNECTION_SECRET_TYPE,
        data,
      });
      return;
    }
    if (!isControlledBy(existing, mr)) {
      throw new SecretNotControlledError(`secret ${namespace}/${ref.name} is controlled by another object`);
    }
    if (sameData(existing.data ?? {}, data)) return;
    // Replace data wholesale: keys the external system no longer reports must go.
    await this.kube.mergePatch(secrets, ref.name, namespace, {
      metadata: { resourceVersion: existing.metadata.resourceVersion },
      data: { ...Object.fromEntries(Object.keys(existing.data ?? {}).map((k) => [k, null])), ...data },
    });
  }

  async read(mr: ManagedResource): Promise<ConnectionDetails | undefined> {
    const ref = mr.spec.writeConnectionSecretToRef;
    const namespace = mr.metadata.namespace;
    if (!ref || namespace === undefined) return undefined;
    const existing = await this.kube.get<Secret>(secrets, ref.name, namespace);
    if (existing === undefined || !isControlledBy(existing, mr)) return undefined;
    return secretDataOf(existing);
  }

  async unpublish(mr: ManagedResource): Promise<void> {
    const ref = mr.spec.writeConnectionSecretToRef;
    const namespace = mr.metadata.namespace;
    if (!ref || namespace === undefined) return;
    const existing = await this.kube.get<Secret>(secrets, ref.name, namespace);
    // Never delete a Secret the resource does not control.
    if (existing === undefined || !isControlledBy(existing, mr)) return;
    await this.kube.delete(secrets, ref.name, namespace);
  }
}

/** The controller owner reference to a managed resource. */
export function ownerReferenceOf(mr: ManagedResource): OwnerReference {
  return {
    apiVersion: mr.apiVersion,
    kind: mr.kind,
    name: mr.metadata.name,
    uid: mr.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function isControlledBy(object: Secret, mr: ManagedResource): boolean {
  return (object.metadata.ownerReferences ?? []).some(
    (ref) => ref.controller === true && ref.uid === mr.metadata.uid,
  );
}

function sameData(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
