/**
 * There is no provider-upjet-aws on the end-to-end control plane (its CRDs are installed so the AWS
 * Compositions compose): while a test runs, this stands in for it, as kubelet.ts does for the
 * kubelet. It holds the AWS objects that exist (RDS instances and snapshots by identifier,
 * ElastiCache replication groups by id, each with the observed fields the function reads) and
 * treats every managed resource of those kinds in the given namespaces as crossplane-runtime's
 * managed reconciler does: its finalizer on; the object its external name names observed into
 * `status.atProvider` with Ready and Synced True; a missing one created only where the management
 * policies allow Create, and deleted with the resource only where they allow Delete. Every create
 * and delete is recorded: the log a test asserts, as the reseller fake's request log is for pco.
 * It publishes no connection details: the function reads an observed instance's address and port
 * from `status.atProvider` when the provider's connection Secret is absent.
 */
import type { KubeObject, Objects } from '../../scripts/control-plane/objects.js';

/** The managed reconciler's finalizer (crossplane-runtime). */
export const MANAGED_FINALIZER = 'finalizer.managedresource.crossplane.io';
const EXTERNAL_NAME = 'crossplane.io/external-name';

/** The provider-upjet-aws kinds the stand-in reconciles, with what AWS calls their objects. */
const KINDS = [
  { apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Instance', plural: 'instances', what: 'RDS instance' },
  { apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Snapshot', plural: 'snapshots', what: 'RDS snapshot' },
  {
    apiVersion: 'elasticache.aws.m.upbound.io/v1beta1',
    kind: 'ReplicationGroup',
    plural: 'replicationgroups',
    what: 'ElastiCache replication group',
  },
] as const;

/** What AWS calls an object of a stand-in kind. */
export type AwsObjectKind = (typeof KINDS)[number]['what'];

type Managed = KubeObject & {
  metadata: { deletionTimestamp?: string; finalizers?: string[]; resourceVersion?: string };
  spec?: { managementPolicies?: string[] };
  status?: { atProvider?: unknown; conditions?: Array<{ type: string; status: string; reason?: string }> };
};

/** The AWS objects that exist, and provider-upjet-aws's managed reconciler for them. */
export class AwsStandIn {
  /** Every create and delete of an AWS object, in order: `create RDS instance <identifier>`. */
  readonly log: string[] = [];
  /** The last error of a pass, for a test that fails to print. */
  lastError: string | undefined;
  private readonly held = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly cluster: Objects,
    private readonly namespaces: string[],
  ) {}

  /** Records that AWS holds the object, observed with `atProvider` (the provider's status fields). */
  hold(what: AwsObjectKind, name: string, atProvider: Record<string, unknown>): this {
    this.held.set(`${what}/${name}`, atProvider);
    return this;
  }

  /** Whether AWS holds the object. */
  holds(what: AwsObjectKind, name: string): boolean {
    return this.held.has(`${what}/${name}`);
  }

  /** Reconciles every second until the returned function is called. */
  start(): () => Promise<void> {
    let running = true;
    const loop = (async () => {
      while (running) {
        await this.pass().then(
          () => (this.lastError = undefined),
          (error: unknown) => (this.lastError = String(error)),
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    })();
    return async () => {
      running = false;
      await loop;
    };
  }

  /** One reconcile of every managed resource of the stand-in's kinds. */
  private async pass(): Promise<void> {
    for (const namespace of this.namespaces)
      for (const kind of KINDS)
        for (const mr of await this.cluster.list<Managed>(kind.apiVersion, kind.kind, namespace)) {
          const path = `/apis/${kind.apiVersion}/namespaces/${namespace}/${kind.plural}/${mr.metadata!.name}`;
          await this.reconcile(mr, path, kind.what);
        }
  }

  private async reconcile(mr: Managed, path: string, what: AwsObjectKind): Promise<void> {
    if (mr.metadata.annotations?.['crossplane.io/paused'] === 'true') return;
    const finalizers = mr.metadata.finalizers ?? [];
    const name = mr.metadata.annotations?.[EXTERNAL_NAME] ?? mr.metadata.name!;
    const key = `${what}/${name}`;
    const policies = mr.spec?.managementPolicies ?? ['*'];
    const allows = (policy: string) => policies.includes('*') || policies.includes(policy);
    // The resourceVersion makes each write conditional, as the reconciler's updates are.
    const resourceVersion = mr.metadata.resourceVersion;
    if (mr.metadata.deletionTimestamp) {
      if (!finalizers.includes(MANAGED_FINALIZER)) return;
      if (allows('Delete') && this.held.delete(key)) this.log.push(`delete ${what} ${name}`);
      await this.cluster.mergePatch(path, {
        metadata: { finalizers: finalizers.filter((f) => f !== MANAGED_FINALIZER), resourceVersion },
      });
      return;
    }
    if (!finalizers.includes(MANAGED_FINALIZER)) {
      await this.cluster.mergePatch(path, {
        metadata: { finalizers: [...finalizers, MANAGED_FINALIZER], resourceVersion },
      });
      return; // Observed on the next pass, at the resourceVersion this write made.
    }
    if (!this.held.has(key) && allows('Create')) {
      this.held.set(key, { id: name });
      this.log.push(`create ${what} ${name}`);
    }
    const observed = this.held.get(key);
    const conditions =
      observed === undefined
        ? [
            condition(
              'Synced',
              'False',
              'ReconcileError',
              `cannot observe ${what} ${name}: it does not exist`,
            ),
          ]
        : [condition('Ready', 'True', 'Available'), condition('Synced', 'True', 'ReconcileSuccess')];
    const current = mr.status?.conditions ?? [];
    const same =
      sameFields(mr.status?.atProvider, observed ?? {}) &&
      conditions.every((c) => current.some((o) => o.type === c.type && o.status === c.status));
    if (same) return;
    await this.cluster.patchStatus(path, { atProvider: observed ?? {}, conditions });
  }
}

/** Whether the observed fields are as written, whatever order the API server keeps them in. */
function sameFields(current: unknown, want: Record<string, unknown>): boolean {
  const have = (current ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(have), ...Object.keys(want)]);
  return [...keys].every((k) => JSON.stringify(have[k]) === JSON.stringify(want[k]));
}

function condition(type: string, status: string, reason: string, message?: string) {
  return {
    type,
    status,
    reason,
    lastTransitionTime: new Date().toISOString(),
    ...(message ? { message } : {}),
  };
}
