/**
 * The shape of a migration from an original operator onto Stackplane. A source (one per original
 * operator, in sources/) reads that operator's resources and plans, per original resource, what it
 * becomes; the command prints the plan, writes its manifests, or applies it in a safe order.
 */

/** A Kubernetes object as read from a cluster or a file; sources narrow what they read with zod. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    ownerReferences?: Array<{
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
    }>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Written on a composite whose status the apply seeds (through the status subresource) before
 * Crossplane may reconcile it: how a composite adopts by a recorded external name.
 */
export const PAUSED = 'crossplane.io/paused';

/** Which original resource a plan entry is about. */
export interface OriginalRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** An external object the new resources take over instead of creating: the fakes must see no create of it. */
export interface Adopted {
  /** What it is, in the external API's words: `reseller project`, `RDS instance`, `storage project`. */
  what: string;
  /** The name or id the external API knows it by. */
  externalName: string;
}

/**
 * How the original resource is let go once its replacement is Ready: its operator's finalizers are
 * removed (so they cannot delete the cloud object), then it is deleted with orphan propagation when it
 * owns Kubernetes objects the replacement now composes or reads (Secrets, Deployments, Services).
 */
export interface Release {
  finalizers: string[];
  orphanDependents: boolean;
  /**
   * Release once the new resources are applied, before they are Ready: the original is the
   * controller (ownerReferences) of Kubernetes objects the XR composes, which Crossplane refuses to
   * take from another controller, so the XR cannot become Ready before. Safe because the
   * finalizers go first and the delete orphans. A paused XR stays paused until the original is
   * gone: Crossplane would otherwise record a composed object it cannot apply, and never let go.
   */
  beforeReady?: boolean;
  /**
   * Dependents that hold state, let go by the command itself before the original is deleted: the
   * operator's finalizers for this original come off them (its delete path would take them off, and
   * a release never runs it), or nothing could delete them once the XR composes them; and so does
   * their owner reference to the original, so that they never depend on the garbage collector
   * orphaning them (a collector that does not know their kind yet would delete them instead once the
   * owner is gone).
   */
  dependents?: Array<{ object: OriginalRef; finalizers: string[]; ownerUID: string }>;
}

/**
 * An object of the original operator that the new resources compose anew under the same name, such
 * as a user's immutable credentials Secret that Crossplane cannot take over. The command deletes it
 * only once `keptIn` holds its value, so the object composed in its place carries the same values.
 */
export interface Replacement {
  object: OriginalRef;
  /** The Secret (in the object's namespace) whose `key` must equal the object's `sourceKey` first. */
  keptIn: { name: string; key: string; sourceKey: string };
}

/** One original resource that moves: the manifests that replace it and what they adopt. */
export interface Migration {
  outcome: 'migrate';
  original: OriginalRef;
  /**
   * Platform-owned objects, applied first: ClusterProviderConfigs, EnvironmentConfigs, AdoptionGrants,
   * Usages that guard an orphaned original object (and the ClusterRole Crossplane needs for them).
   */
  platform: KubeObject[];
  /** The tenant's new resources (XRs), applied after the platform objects and observed Ready. */
  resources: KubeObject[];
  adopted: Adopted[];
  release: Release;
  /** Objects of the original composed anew by the new resources; absent when there are none. */
  replaced?: Replacement[];
  /** What a reviewer should know: defaults chosen, fields dropped on purpose. */
  notes: string[];
}

/** One original resource that does not move, and why; the command never touches it. */
export interface Refusal {
  outcome: 'refuse';
  original: OriginalRef;
  /** Each names the field and what to do, like every error of Stackplane. */
  reasons: string[];
}

export type PlanEntry = Migration | Refusal;

/** The originals and what sits beside them, as read from a cluster or from files. */
export interface Inventory {
  /** Every object read: the originals' custom resources, their ConfigMaps, Secrets and Namespaces. */
  objects: KubeObject[];
}

/**
 * An object a source's plan reads beside the originals and their Secrets, by name: cluster-scoped, or
 * in the operator's own namespace (never a tenant's, where anyone could write one of that name).
 */
export interface Alongside {
  apiVersion: string;
  kind: string;
  name: string;
  /** In the operator's namespace (its Deployment's, as `--operator` may set it); else cluster-scoped. */
  inOperatorNamespace?: boolean;
}

/** One original operator: the kinds it owns and how each of its resources moves. */
export interface MigrationSource {
  /** The operator's name, as the command's `--from` accepts it: `pco-reseller-operator`. */
  name: string;
  /** The original kinds it reads (group and kind), so the reader knows what to list. */
  kinds: Array<{
    group: string;
    version: string;
    kind: string;
    plural: string;
    /**
     * Read beside the originals (what their operator made for them): where one sits is no reason
     * to read that namespace's Secrets.
     */
    companion?: boolean;
  }>;
  /**
   * The operator's Deployment as its install names it, scaled to 0 before its originals are
   * released; `--operator <name>=<namespace>/<deployment>` overrides it.
   */
  operator?: { namespace: string; name: string };
  /**
   * Set for an operator that keeps rewriting objects the new resources compose: `--apply` scales it
   * to 0 before anything is applied, so the two never reconcile the same objects, and says why with
   * this. Unset, the operator runs until its originals are released, so a failed hand-over leaves it
   * as it was. Either way its originals are released only as their `release` says.
   */
  stopsFirst?: string;
  /** What its plan reads besides originals and Secrets: configuration of the operator or the platform. */
  alongside?: Alongside[];
  /** Plans every original of this operator in the inventory; pure: reads nothing else. */
  plan(inventory: Inventory): PlanEntry[];
}
