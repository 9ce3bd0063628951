/**
 * The provider config reconciler, after crossplane-runtime's providerconfig package: counts the
 * ProviderConfigUsages of a ProviderConfig or ClusterProviderConfig into status.users and holds the
 * in-use finalizer while any resource uses it, so a config in use cannot disappear. Kinds may add
 * status fields they learn from their external API (ProviderConfigStatusObserver).
 */
import { jsonEqual } from './json.js';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import {
  messageOf,
  Reason,
  setConditions,
  TypeSynced,
  type Condition,
  type ConditionSpec,
} from './conditions.js';
import type { ProviderConfigStatusObserver } from './kind.js';
import type { KubeClient, KubeObject, ResourceType } from './kube.js';
import { PROVIDER_CONFIG_LABEL, providerConfigSourceOf, providerConfigTypes } from './providerconfig.js';
import { wrap, type ReconcileResult } from './reconciler.js';
import type { ObjectMeta, Reference } from './resource.js';

/** The finalizer that keeps a provider config while resources use it. */
export const IN_USE_FINALIZER = 'in-use.crossplane.io';

interface ProviderConfigObject extends KubeObject {
  metadata: KubeObject['metadata'] & Pick<ObjectMeta, 'finalizers' | 'deletionTimestamp' | 'generation'>;
  spec?: unknown;
  status?: { users?: number; conditions?: Condition[] } & Record<string, unknown>;
}

interface Usage extends KubeObject {
  providerConfigRef?: Reference;
}

/** Options of a ProviderConfigReconciler. */
export interface ProviderConfigReconcilerOptions {
  kind: 'ProviderConfig' | 'ClusterProviderConfig';
  kube: KubeClient;
  logger: Logger;
  /** How often usages are counted again; usages are not watched. Default 1 minute. */
  pollIntervalMs?: number;
  /** How often a config being deleted checks whether its last user is gone. Default 2 seconds. */
  deletingPollIntervalMs?: number;
  /** Status fields from external APIs, observed at most once per poll interval or spec change. */
  statusObservers?: readonly ProviderConfigStatusObserver<unknown>[];
  /** Where a ClusterProviderConfig's Secrets are by default. Default crossplane-system. */
  providerNamespace?: string;
  clock?: Clock;
}

/** When a config's status was last observed, and for which generation of its spec. */
interface Observed {
  at: number;
  generation: number | undefined;
}

/** Reconciles provider configs of one kind. */
export class ProviderConfigReconciler {
  private readonly type: ResourceType;
  private readonly observed = new Map<string, Observed>();

  constructor(private readonly options: ProviderConfigReconcilerOptions) {
    this.type = providerConfigTypes[options.kind];
  }

  async reconcile(namespace: string, name: string): Promise<ReconcileResult> {
    const { kube, kind, logger } = this.options;
    const ns = kind === 'ProviderConfig' ? namespace : undefined;
    let config: ProviderConfigObject | undefined;
    try {
      config = await kube.get<ProviderConfigObject>(this.type, name, ns);
    } catch (err) {
      // The API server refused or is unreachable: try again after back-off.
      return { action: 'backoff', error: wrap(`cannot get ${kind} ${name}`, err) };
    }
    // Deleted: nothing holds it any more.
    if (config === undefined) {
      this.observed.delete(`${ns ?? ''}/${name}`);
      return { action: 'done' };
    }
    const finalizers = config.metadata.finalizers ?? [];
    const deleting =
      config.metadata.deletionTimestamp !== undefined && config.metadata.deletionTimestamp !== null;
    try {
      // Hold the config before anything else, so it cannot go while its users are being counted.
      if (!deleting && !finalizers.includes(IN_USE_FINALIZER)) {
        config = await kube.mergePatch<ProviderConfigObject>(this.type, name, ns, {
          metadata: {
            resourceVersion: config.metadata.resourceVersion,
            finalizers: [...finalizers, IN_USE_FINALIZER],
          },
        });
      }
      const usages = await kube.list<Usage>(
        providerConfigTypes.ProviderConfigUsage,
        ns,
        `${PROVIDER_CONFIG_LABEL}=${name}`,
      );
      const users = usages.items.filter((u) => u.providerConfigRef?.kind === kind).length;
      const status = {
        ...(config.status?.users === users ? {} : { users }),
        ...(deleting ? {} : await this.observeStatus(config, name, ns)),
      };
      if (Object.keys(status).length > 0) {
        config = await kube.mergePatch<ProviderConfigObject>(this.type, name, ns, { status }, 'status');
      }
      if (deleting && users === 0 && finalizers.includes(IN_USE_FINALIZER)) {
        await kube.mergePatch(this.type, name, ns, {
          metadata: {
            resourceVersion: config.metadata.resourceVersion,
            finalizers: finalizers.filter((f) => f !== IN_USE_FINALIZER),
          },
        });
        logger.info({ resource: name, namespace: ns, kind }, 'provider config no longer in use; released');
        // Released: the API server deletes it.
        return { action: 'done' };
      }
    } catch (err) {
      // What was observed was not written: observe again on the next attempt.
      this.observed.delete(`${ns ?? ''}/${name}`);
      logger.debug(
        { resource: name, namespace: ns, kind, err: messageOf(err) },
        'cannot reconcile provider config',
      );
      // Often a conflict with a concurrent edit: reconcile the new version after back-off.
      return { action: 'backoff', error: wrap(`cannot track users of ${kind} ${name}`, err) };
    }
    // Usages are not watched: count again, sooner while a deletion waits for the last user to go.
    return {
      action: 'requeueAfter',
      ms: deleting ? (this.options.deletingPollIntervalMs ?? 2_000) : (this.options.pollIntervalMs ?? 60_000),
    };
  }

  /**
   * The status fields the observers report and a Synced condition, only what changed. Observed when
   * due: once per poll interval and when the spec changes, so a burst of usage changes never reaches
   * the external APIs. An observer that fails leaves its fields as they were and sets Synced=False.
   */
  private async observeStatus(
    config: ProviderConfigObject,
    name: string,
    ns: string | undefined,
  ): Promise<Record<string, unknown>> {
    const observers = this.options.statusObservers ?? [];
    if (observers.length === 0) return {};
    const key = `${ns ?? ''}/${name}`;
    const now = (this.options.clock ?? systemClock).now();
    const last = this.observed.get(key);
    const generation = config.metadata.generation;
    const due =
      last === undefined ||
      last.generation !== generation ||
      now.getTime() - last.at >= (this.options.pollIntervalMs ?? 60_000);
    if (!due) return {};
    this.observed.set(key, { at: now.getTime(), generation });
    const { kind, kube, logger } = this.options;
    const source = providerConfigSourceOf(
      kube,
      this.options.providerNamespace ?? 'crossplane-system',
      kind,
      name,
      ns,
      config.spec,
    );
    const fields: Record<string, unknown> = {};
    const errors: string[] = [];
    let observedAny = false;
    for (const observer of observers) {
      try {
        const loaded = await observer.providerConfig(source);
        if (loaded === undefined) continue;
        observedAny = true;
        Object.assign(fields, await observer.observeStatus(loaded));
      } catch (err) {
        observedAny = true;
        errors.push(`cannot observe ${observer.noun}: ${messageOf(err)}`);
      }
    }
    if (!observedAny) return {};
    if (errors.length > 0) {
      logger.debug({ resource: name, namespace: ns, kind, err: errors.join('; ') }, 'cannot observe status');
    }
    const synced: ConditionSpec =
      errors.length === 0
        ? { type: TypeSynced, status: 'True', reason: Reason.ReconcileSuccess }
        : { type: TypeSynced, status: 'False', reason: Reason.ReconcileError, message: errors.join('; ') };
    const existing = config.status?.conditions ?? [];
    const conditions = setConditions(existing, [synced], now);
    const changed = Object.fromEntries(
      Object.entries(fields).filter(([field, value]) => !jsonEqual(config.status?.[field], value)),
    );
    // The API server returns keys in its own order: compare values, not their serialization.
    return jsonEqual(conditions, existing) ? changed : { ...changed, conditions };
  }
}
