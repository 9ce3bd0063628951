import type { KubeObject, Requirement } from '../../types.js';
import { secretData, secretRequirement } from './secrets.js';

/** Requirement name of the connection Secret as it exists, read while a service on AWS only observes. */
export const KEPT_CONNECTION = 'kept-connection';

/** What an observe-only composer knows of the connection Secret that exists already. */
export interface KeptConnection {
  /** The Secret to read, by name in the composite's namespace; none unless the service only observes. */
  requirements: Record<string, Requirement>;
  /** Its decoded values; undefined until it is read, or when it does not exist. */
  values: Record<string, string> | undefined;
}

/**
 * The connection Secret that exists already, for a data service on AWS that only observes
 * (`skipCreate`). An adopted RDS instance or ElastiCache group never shows back the master password
 * or AUTH token it was created with, so the values its original operator wrote to the Secret the
 * composite now composes (the migration keeps its name) are what the connection keeps. Read by the
 * composite's own Secret name in its own namespace only; a service that manages its cloud object
 * reads nothing.
 */
export function keptConnection(options: {
  skipCreate: boolean;
  secretName: string;
  namespace: string;
  required: Readonly<Record<string, KubeObject[]>>;
}): KeptConnection {
  if (!options.skipCreate) return { requirements: {}, values: undefined };
  return {
    requirements: { [KEPT_CONNECTION]: secretRequirement(options.secretName, options.namespace) },
    values: secretData(options.required[KEPT_CONNECTION]?.[0]),
  };
}

/** A value of the kept Secret, unless it is missing or empty. */
export function keptValue(kept: KeptConnection, key: string): string | undefined {
  const value = kept.values?.[key];
  return value !== undefined && value !== '' ? value : undefined;
}
