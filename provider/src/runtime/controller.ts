/**
 * The controller of one managed kind: an informer turns watch events into keys, a rate-limited work
 * queue hands them to a bounded number of workers, and each worker runs the reconciler.
 */
import {
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { ObjectStore } from './cache.js';
import { trimForCache } from './cache-transform.js';
import { noopControllerMetrics, type ControllerMetrics } from './metrics.js';
import type { Logger } from 'pino';
import { messageOf } from './conditions.js';
import { jsonEqual } from './json.js';
import { pathOf, type KubeClient, type KubeObject, type ResourceType } from './kube.js';
import type { ReconcileResult } from './reconciler.js';
import type { OwnWrites } from './own-writes.js';
import { keyOf, type ObjectMeta } from './resource.js';
import { WorkQueue, type WorkQueueOptions } from './workqueue.js';

/** Reconciles one key; the Reconciler satisfies it. */
export interface KeyReconciler {
  reconcile(namespace: string, name: string): Promise<ReconcileResult>;
}

/** An object as a watch delivers it: its metadata, and the rest unvalidated. */
export interface WatchedObject {
  metadata: ObjectMeta;
}

/**
 * Delivers watch events of a kind to every handler added; start() resolves once the initial list is
 * delivered. Several controllers may share one watch: start and stop are idempotent.
 */
export interface ResourceWatch {
  onChange(handler: (previous: WatchedObject | undefined, current: WatchedObject) => void): void;
  onDelete(handler: (object: WatchedObject) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The keys ("namespace/name") of every object the watch knows now. */
  keys(): string[];
}

/**
 * Whether an update should be reconciled: crossplane-runtime reconciles desired-state changes
 * (generation, annotations, labels, deletion) and leaves status-only updates, its own writes, to
 * the poll.
 */
export function desiredStateChanged(previous: WatchedObject | undefined, current: WatchedObject): boolean {
  if (previous === undefined) return true;
  const a = previous.metadata;
  const b = current.metadata;
  return (
    a.generation !== b.generation ||
    !jsonEqual(a.annotations ?? {}, b.annotations ?? {}) ||
    !jsonEqual(a.labels ?? {}, b.labels ?? {}) ||
    // Another controller removing its finalizer may release a delayed external deletion.
    !jsonEqual(a.finalizers ?? [], b.finalizers ?? []) ||
    (a.deletionTimestamp === undefined) !== (b.deletionTimestamp === undefined)
  );
}

/** What the controller keeps of a watch event. */
interface WatchEvent {
  resourceVersion: string | undefined;
  /** Whether it changed desired state (desiredStateChanged). */
  changed: boolean;
}

/** Options of a Controller. */
export interface ControllerOptions {
  /** Reconciles running at once. Default 10. */
  concurrency?: number;
  queue?: WorkQueueOptions;
  metrics?: ControllerMetrics;
  /**
   * Reconcile every known object this often even if nothing happened to it, as a Go provider's
   * --sync period does. Default: never.
   */
  resyncMs?: number;
  /** Writes of this process to the watched kind, whose own watch events are not reconciled. */
  ownWrites?: OwnWrites;
}

/** Runs reconciles of one kind until stopped. */
export class Controller {
  private readonly queue: WorkQueue;
  private readonly concurrency: number;
  private workers: Array<Promise<void>> = [];
  private readonly related: ResourceWatch[] = [];
  private readonly resyncMs: number | undefined;
  private readonly ownWrites: OwnWrites | undefined;
  /** Watch events of keys being reconciled, with ownWrites: decided when the reconcile ends. */
  private readonly inFlight = new Map<string, WatchEvent[]>();
  private readonly metrics: ControllerMetrics;
  private active = 0;
  private cancelResync: () => void = () => {};

  constructor(
    private readonly name: string,
    private readonly watch: ResourceWatch,
    private readonly reconciler: KeyReconciler,
    private readonly log: Logger,
    options: ControllerOptions = {},
  ) {
    this.metrics = options.metrics ?? noopControllerMetrics;
    const metrics = this.metrics;
    this.queue = new WorkQueue({
      ...options.queue,
      hooks: {
        added: () => metrics.queueAdded(name),
        depth: (depth) => metrics.queueDepth(name, depth),
        waited: (seconds) => metrics.queueWaited(name, seconds),
      },
    });
    this.concurrency = options.concurrency ?? 10;
    this.resyncMs = options.resyncMs;
    this.ownWrites = options.ownWrites;
  }

  /**
   * Also reconciles the keys keysOf maps a related object to, whenever one changes or goes (for
   * example a provider config when one of its usages does). Call before start().
   */
  watchRelated(watch: ResourceWatch, keysOf: (object: WatchedObject) => string[]): this {
    const enqueue = (object: WatchedObject): void => {
      for (const key of keysOf(object)) this.queue.add(key);
    };
    watch.onChange((_, current) => enqueue(current));
    watch.onDelete(enqueue);
    this.related.push(watch);
    return this;
  }

  /** Starts watching and the workers. */
  async start(): Promise<void> {
    this.watch.onChange((previous, current) => {
      const key = keyOf(current.metadata);
      const event = {
        resourceVersion: current.metadata.resourceVersion,
        changed: desiredStateChanged(previous, current),
      };
      // A write's event may come before its response: decided once the reconcile has recorded it.
      const deferred = this.inFlight.get(key);
      if (deferred !== undefined) deferred.push(event);
      else this.onEvent(key, event);
    });
    this.watch.onDelete((object) => this.ownWrites?.forget(keyOf(object.metadata)));
    await this.watch.start();
    for (const watch of this.related) await watch.start();
    this.workers = Array.from({ length: this.concurrency }, () => this.work());
    this.metrics.workers(this.name, this.concurrency, 0);
    if (this.resyncMs !== undefined) this.scheduleResync(this.resyncMs);
    this.log.info({ controller: this.name, concurrency: this.concurrency }, 'controller started');
  }

  private scheduleResync(ms: number): void {
    const timer = setTimeout(() => {
      for (const key of this.watch.keys()) this.queue.add(key);
      this.scheduleResync(ms);
    }, ms);
    timer.unref();
    this.cancelResync = () => clearTimeout(timer);
  }

  /** Stops taking new work and waits for running reconciles to finish. */
  async stop(): Promise<void> {
    this.cancelResync();
    await this.watch.stop();
    for (const watch of this.related) await watch.stop();
    this.queue.shutDown();
    await Promise.all(this.workers);
    this.log.info({ controller: this.name }, 'controller stopped');
  }

  /** Queues the key unless the event is of this process's own write or changes no desired state. */
  private onEvent(key: string, event: WatchEvent): void {
    if (this.ownWrites?.consume(key, event.resourceVersion)) return;
    if (event.changed) this.queue.add(key);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (this.ownWrites !== undefined) this.inFlight.set(key, []);
      const start = performance.now();
      this.metrics.workers(this.name, this.concurrency, ++this.active);
      try {
        // Keys are "namespace/name", or "name" for cluster-scoped objects.
        const slash = key.indexOf('/');
        const namespace = slash < 0 ? '' : key.slice(0, slash);
        const name = key.slice(slash + 1);
        const result = await this.reconciler
          .reconcile(namespace, name)
          .catch((err: unknown): ReconcileResult => ({
            action: 'backoff',
            error: err instanceof Error ? err : new Error(String(err)),
          }));
        this.handle(key, result);
        const seconds = (performance.now() - start) / 1000;
        this.metrics.reconcileFinished(this.name, resultLabel(result), seconds);
        this.metrics.queueWorked(this.name, seconds);
      } finally {
        this.metrics.workers(this.name, this.concurrency, --this.active);
        const events = this.inFlight.get(key) ?? [];
        this.inFlight.delete(key);
        for (const event of events) this.onEvent(key, event);
        this.queue.done(key);
      }
    }
  }

  private handle(key: string, result: ReconcileResult): void {
    switch (result.action) {
      case 'done':
        // The reconciler waits for a change of the resource: the watch queues it then.
        this.queue.forget(key);
        return;
      case 'requeueAfter':
        // A poll or a confirmation the reconciler asked for; it ran, so its back-off starts over.
        this.queue.forget(key);
        this.queue.addAfter(key, result.ms);
        return;
      case 'requeue':
        // A conflict or a wait: try again after the key's back-off, nothing to report.
        this.queue.addRateLimited(key);
        this.metrics.queueRetried(this.name);
        return;
      case 'backoff': {
        // A failure: retry after the key's exponential back-off.
        const delay = this.queue.addRateLimited(key);
        this.metrics.queueRetried(this.name);
        this.log.debug(
          { resource: key, err: messageOf(result.error), delayMs: delay },
          'requeued after error',
        );
      }
    }
  }
}

/**
 * A ResourceWatch over a @kubernetes/client-node informer of one or all namespaces, whose object cache
 * is also an ObjectStore the CachingKubeClient reads from; it holds objects trimmed by trimForCache.
 * client-node's informer stops on a watch error, so it restarts after restartDelayMs.
 */
export class InformerWatch implements ResourceWatch, ObjectStore {
  private informer: (Informer<KubernetesObject> & ObjectCache<KubernetesObject>) | undefined;
  private readonly changeHandlers: Array<
    (previous: WatchedObject | undefined, current: WatchedObject) => void
  > = [];
  private readonly deleteHandlers: Array<(object: WatchedObject) => void> = [];
  private readonly known = new Map<string, WatchedObject>();
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private isSynced = false;
  /** The list succeeded once; synced once the informer has also stored what it listed. */
  private listed = false;
  private stopped = false;
  /** When the watch began failing without a list or watch succeeding since (ms since the epoch). */
  private failingFrom: number | undefined;
  private failures = 0;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly kube: KubeClient,
    private readonly type: ResourceType,
    private readonly log: Logger,
    /** Watch one namespace only; all namespaces when undefined. */
    readonly namespace?: string,
    private readonly restartDelayMs = 1_000,
  ) {}

  onChange(handler: (previous: WatchedObject | undefined, current: WatchedObject) => void): void {
    this.changeHandlers.push(handler);
  }

  onDelete(handler: (object: WatchedObject) => void): void {
    this.deleteHandlers.push(handler);
  }

  keys(): string[] {
    return [...this.known.keys()];
  }

  /** Whether the informer has listed its objects once (and is not stopped). */
  synced(): boolean {
    return this.isSynced && !this.stopped;
  }

  /** Since when every attempt to list or watch has failed (ms since the epoch); undefined while it works. */
  failingSince(): number | undefined {
    return this.failingFrom;
  }

  /** Every cached object (the informer's own: do not change them). */
  list(): ReadonlyArray<KubeObject> {
    return (this.informer?.list() ?? []) as ReadonlyArray<KubeObject>;
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    return this.informer?.get(name, namespace) as KubeObject | undefined;
  }

  start(): Promise<void> {
    this.starting ??= this.run();
    return this.starting;
  }

  private async run(): Promise<void> {
    const informer = makeInformer<KubernetesObject>(
      this.kubeConfig,
      pathOf(this.type, this.namespace),
      async () => {
        const list = await this.kube.list(this.type, this.namespace);
        this.listed = true;
        this.failingFrom = undefined;
        return { metadata: list.metadata, items: list.items.map((o) => asKubernetesObject(trimForCache(o))) };
      },
    );
    const changed = (object: KubernetesObject): void => {
      // The informer has stored this very object: trimming it here trims what the cache holds.
      const current = asWatched(trimForCache(object));
      const key = keyOf(current.metadata);
      const previous = this.known.get(key);
      this.known.set(key, current);
      for (const handler of this.changeHandlers) handler(previous, current);
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', (object) => {
      const gone = asWatched(object);
      this.known.delete(keyOf(gone.metadata));
      for (const handler of this.deleteHandlers) handler(gone);
    });
    informer.on('error', (err: unknown) => {
      if (this.stopped) return;
      // client-node's informer stops on errors (an expired watch, a restarted API server): restart it.
      this.log.warn({ err: messageOf(err), plural: this.type.plural }, 'watch failed; restarting');
      this.failures++;
      this.failingFrom ??= Date.now();
      setTimeout(() => {
        if (this.stopped) return;
        const failures = this.failures;
        // start() resolves once it watches again, or after reporting an error: only the first works.
        informer.start().then(
          () => {
            if (this.listed) this.isSynced = true;
            if (this.failures === failures) this.failingFrom = undefined;
          },
          () => {},
        );
      }, this.restartDelayMs).unref();
    });
    this.informer = informer;
    // Resolves after the first list, or after its error (then the informer restarts itself above).
    await informer.start();
    if (this.listed) this.isSynced = true;
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.stopping ??= (async () => {
      await this.starting?.catch(() => {});
      await this.informer?.stop();
    })();
    return this.stopping;
  }
}

/**
 * The informer's objects are the API server's JSON, typed by client-node as its own metadata model;
 * the watch only needs the metadata fields ObjectMeta names, and the cache hands them out as they came.
 */
function asWatched(object: KubernetesObject): WatchedObject {
  return object as unknown as WatchedObject;
}

function asKubernetesObject(object: KubeObject): KubernetesObject {
  return object as unknown as KubernetesObject;
}

/** controller-runtime's result label: an error, an explicit requeue, a requeue after a delay, or success. */
function resultLabel(result: ReconcileResult): 'success' | 'error' | 'requeue' | 'requeue_after' {
  if (result.error !== undefined) return 'error';
  if (result.action === 'requeue') return 'requeue';
  if (result.action === 'requeueAfter') return 'requeue_after';
  return 'success';
}
