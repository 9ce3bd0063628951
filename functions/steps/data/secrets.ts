import type { KubeObject, Requirement } from '../../types.js';

/** The decoded `data` of a Secret, or undefined when it has none. Values never leave the function. */
export function secretData(secret: KubeObject | undefined): Record<string, string> | undefined {
  const data = secret?.['data'];
  if (typeof data !== 'object' || data === null) return undefined;
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>).flatMap(([key, value]) =>
      typeof value === 'string' ? [[key, Buffer.from(value, 'base64').toString('utf8')]] : [],
    ),
  );
}

/** `data` for a Secret: every value base64-encoded, as the API server returns it. */
export function encodeData(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
  );
}

/** A Secret in the composite's namespace. */
export function secret(options: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  values: Record<string, string>;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    type: 'Opaque',
    data: encodeData(options.values),
  };
}

/** Asks Crossplane for a Secret, for example one a provider writes connection details to. */
export function secretRequirement(name: string, namespace: string): Requirement {
  return { apiVersion: 'v1', kind: 'Secret', matchName: name, namespace };
}

/** Characters of a generated password: 24 random bytes as base64url (URL- and shell-safe). */
const PASSWORD_BYTES = 24;

/**
 * The password kept in `key` of an observed Secret, or a new one from `random` when there is none.
 * Once the Secret exists the password is read back, never generated again.
 */
export function keptPassword(
  observed: KubeObject | undefined,
  key: string,
  random: (bytes: number) => Buffer,
): string {
  const kept = secretData(observed)?.[key];
  return kept !== undefined && kept !== '' ? kept : random(PASSWORD_BYTES).toString('base64url');
}
