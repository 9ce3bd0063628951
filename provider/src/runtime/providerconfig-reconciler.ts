/**
 * The provider config reconciler, after crossplane-runtime's providerconfig package: counts the
 * ProviderConfigUsages of a ProviderConfig or ClusterProviderConfig into status.users and holds the
 * in-use finalizer while any resource uses it, so a config in use cannot disappear.
 */
import type { Logger } from 'pino';
import { messageOf } from './conditions.js';
import type { KubeClient, KubeObject, ResourceType } from './kube.js';
import { PROVIDER_CONFIG_LABEL, providerConfigTypes } from './providerconfig.js';
import { wrap, type ReconcileResult } from './reconciler.js';
import type { ObjectMeta, Reference } from './resource.js';

/** The finalizer that keeps a provider config while resources use it. */
export const IN_USE_FINALIZER = 'in-use.crossplane.io';

interface ProviderConfigObject extends KubeObject {
  metadata: KubeObject['metadata'] & Pick<ObjectMeta, 'finalizers' | 'deletionTimestamp'>;
  status?: { users?: number };
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
}

/** Reconciles provider configs of one kind. */
export class ProviderConfigReconciler {
  private readonly type: ResourceType;

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
    if (config === undefined) return { action: 'done' };
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
      if (config.status?.users !== users) {
        config = await kube.mergePatch<ProviderConfigObject>(
          this.type,
          name,
          ns,
          { status: { users } },
          'status',
        );
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
}
