import type { z } from 'zod';

/** A column `kubectl get` shows for a kind, besides the SYNCED, READY and AGE columns Crossplane adds. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/**
 * A user-facing composite resource kind. Its zod schemas are the single source of truth: the XRD is
 * generated from them and the function validates `spec` with the same objects.
 */
export interface CompositeKind<Spec extends z.ZodType = z.ZodType, Status extends z.ZodType = z.ZodType> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  description: string;
  spec: Spec;
  status: Status;
  printerColumns: PrinterColumn[];
  /**
   * Only the platform's operators create it: it reaches beyond a namespace (nodes, the region's
   * services, cluster-scoped objects). Stackplane's roles for namespace users leave it out.
   */
  operatorOnly?: true;
}

/** The `input` of a function pipeline step: its `kind` selects the step's logic. */
export interface InputKind<Schema extends z.ZodType = z.ZodType> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  description: string;
  /** The fields of the input besides apiVersion and kind. */
  schema: Schema;
}

/** `group/version` of a kind. */
export function apiVersionOf(kind: { group: string; version: string }): string {
  return `${kind.group}/${kind.version}`;
}
