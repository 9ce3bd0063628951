/** Kubernetes Secrets as the runtime reads them: one place that decodes their data. */
import type { KubeClient, KubeObject, ResourceType } from './kube.js';

/** core/v1 Secrets. */
export const secretType: ResourceType = { group: '', version: 'v1', plural: 'secrets', namespaced: true };

/** A Secret as the API server returns it: data values base64-encoded. */
export interface SecretObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

/** The decoded data of a Secret. Never log it. */
export function secretDataOf(secret: SecretObject): Record<string, Buffer> {
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  );
}

/** The decoded data of the Secret namespace/name; undefined when it does not exist. */
export async function readSecretData(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<Record<string, Buffer> | undefined> {
  const secret = await kube.get<SecretObject>(secretType, name, namespace);
  return secret === undefined ? undefined : secretDataOf(secret);
}
