import type { DesiredResource, KubeObject } from '../../types.js';
import { secret } from './secrets.js';

/** Composition resource name of the connection Secret. */
export const CONNECTION_SECRET = 'connection-secret';

/**
 * The connection Secret the user asked for. Crossplane v2 composites have no connection details, so
 * it is composed as a plain Secret. While some value is still unknown (the provider has not written
 * it yet) an already observed Secret is kept as it is, so it is never deleted and recreated.
 */
export function connectionSecret(options: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  values: Record<string, string> | undefined;
  observed: KubeObject | undefined;
}): DesiredResource | undefined {
  if (options.values) {
    const resource = secret({ ...options, values: options.values });
    return { resource, ready: options.observed !== undefined };
  }
  if (options.observed) {
    return {
      resource: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
        type: 'Opaque',
        data: options.observed['data'] ?? {},
      },
      ready: false,
    };
  }
  return undefined;
}
