import type { KubeObject } from './types.js';

/**
 * An observed object as a desired one, to keep it exactly as it is: its content without status and
 * without the metadata the API server sets. Composing it again changes nothing, and leaving it out
 * would make Crossplane delete it.
 */
export function asObserved(object: KubeObject): KubeObject {
  const { status: _status, metadata, ...content } = object;
  const { name, namespace, labels, annotations } = (metadata ?? {}) as Record<string, unknown>;
  return {
    ...content,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
  };
}
