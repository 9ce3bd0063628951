/**
 * A rate-limited work queue with client-go's semantics: a key is queued at most once, a key being
 * processed is never handed to a second worker (an add while processing queues it again when the
 * first worker is done), and failures are retried with per-key exponential back-off.
 */
import { systemClock, type Clock } from './clock.js';

/** Per-key exponential back-off: base, 2×base, 4×base … capped at max, until forget(key). */
export class ExponentialBackoff {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  /** The delay before the next retry of key, counting this failure. */
  when(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    return Math.min(this.maxMs, this.baseMs * 2 ** failures);
  }

  /** Resets key after a success. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** How often key failed since its last success. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/** A token bucket shared by all keys: at most burst at once, then ratePerSecond. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = burst;
    this.last = clock.now().getTime();
  }

  /** Reserves a token and returns how long to wait for it. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
  }

  /**
   * Reserves a token only when no earlier reservation is still waiting (the next token is at most
   * one token's time away) and returns the wait; undefined, reserving nothing, otherwise.
   */
  reserveUnlessBacklogged(): number | undefined {
    this.refill();
    return this.tokens < 0 ? undefined : this.reserve();
  }

  private refill(): void {
    const now = this.clock.now().getTime();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }
}

/** A token bucket per key, e.g. per provider config, created on first use. */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Reserves the next token of key and returns how long until it is due (0: now). Each reservation
   * gets its own slot, so callers that wait never all wake together.
   */
  reserve(key: string): number {
    return this.bucketOf(key).reserve();
  }

  /** As TokenBucket.reserveUnlessBacklogged, for key. */
  reserveUnlessBacklogged(key: string): number | undefined {
    return this.bucketOf(key).reserveUnlessBacklogged();
  }

  private bucketOf(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.ratePerSecond, this.burst, this.clock);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** Options of a WorkQueue; defaults follow crossplane-runtime's controllers. */
export interface WorkQueueOptions {
  /** First retry delay after a failure. Default 1s. */
  baseDelayMs?: number;
  /** Longest retry delay. Default 60s. */
  maxDelayMs?: number;
  /** Overall retry rate across keys. Default 10/s with a burst of 100. */
  ratePerSecond?: number;
  burst?: number;
  clock?: Clock;
  /** Reports adds, depth and time spent queued, as client-go's work queue metrics do. */
  hooks?: QueueHooks;
}

/** What a WorkQueue reports. */
export interface QueueHooks {
  added(): void;
  depth(depth: number): void;
  waited(seconds: number): void;
}

const noHooks: QueueHooks = { added: () => {}, depth: () => {}, waited: () => {} };

/** A de-duplicating queue of keys with delayed and rate-limited adds. */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiting = new Map<string, { at: number; cancel: () => void }>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private readonly backoff: ExponentialBackoff;
  private readonly bucket: TokenBucket;
  private readonly clock: Clock;
  private readonly hooks: QueueHooks;
  /** When each queued key was added, for the time it waited. */
  private readonly addedAt = new Map<string, number>();
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.hooks = options.hooks ?? noHooks;
    this.backoff = new ExponentialBackoff(options.baseDelayMs ?? 1_000, options.maxDelayMs ?? 60_000);
    this.bucket = new TokenBucket(options.ratePerSecond ?? 10, options.burst ?? 100, this.clock);
  }

  /** Queues key now, unless it is already queued. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.hooks.added();
    this.addedAt.set(key, this.clock.now().getTime());
    // A key being processed is queued again by done(), so that two workers never share a key.
    if (this.processing.has(key)) return;
    const getter = this.getters.shift();
    if (getter) {
      this.dirty.delete(key);
      this.processing.add(key);
      this.handedOut(key);
      getter(key);
    } else {
      this.queue.push(key);
      this.hooks.depth(this.queue.length);
    }
  }

  /** Queues key after ms; of several delayed adds of one key, the earliest wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now().getTime() + ms;
    const existing = this.waiting.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.clock.after(ms, () => {
      this.waiting.delete(key);
      this.add(key);
    });
    this.waiting.set(key, { at, cancel });
  }

  /** Queues key after its back-off (and the shared rate limit), counting one more failure. */
  addRateLimited(key: string): number {
    const delay = Math.max(this.backoff.when(key), this.bucket.reserve());
    this.addAfter(key, delay);
    return delay;
  }

  /** Resets key's back-off after a success. */
  forget(key: string): void {
    this.backoff.forget(key);
  }

  /** The next key to process; undefined once the queue shuts down. */
  async get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      this.hooks.depth(this.queue.length);
      this.handedOut(key);
      return key;
    }
    if (this.shuttingDown) return undefined;
    return new Promise((resolve) => this.getters.push(resolve));
  }

  private handedOut(key: string): void {
    const at = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (at !== undefined) this.hooks.waited((this.clock.now().getTime() - at) / 1000);
  }

  /** Marks key processed; re-queues it if it was added meanwhile. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys queued now (not delayed, not processing). */
  get length(): number {
    return this.queue.length;
  }

  /** Stops handing out keys: pending delayed adds are dropped, waiting workers get undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { cancel } of this.waiting.values()) cancel();
    this.waiting.clear();
    this.queue.length = 0;
    this.dirty.clear();
    for (const getter of this.getters.splice(0)) getter(undefined);
  }
}
