/**
 * Fault injection for the fake APIs: scripted faults for exact tests, and seeded random faults
 * (error answers, latency, dropped connections, crashes after a write) that repeat for the same seed.
 */

/** A fault applied to one request. */
export type Fault =
  /** Answer normally; lets scripted faults skip requests. */
  | { kind: 'pass' }
  /** Answer with this status (the API's error envelope) without performing the request. */
  | { kind: 'status'; status: number }
  /** Close the connection without answering and without performing the request. */
  | { kind: 'drop' }
  /** Perform the request (for writes: create, update, delete), then close the connection unanswered. */
  | { kind: 'crash-after-perform' };

/** Random faults; every rate is a probability per request between 0 and 1. */
export interface FaultRates {
  /** Seed of the random sequence: the same seed and requests give the same faults. */
  seed?: number;
  /** Rate of error answers; the status is picked from `errorStatuses` (default 500 and 429). */
  errorRate?: number;
  errorStatuses?: number[];
  /** Rate of connections closed before the request is performed. */
  dropRate?: number;
  /** Rate of writes performed and then left unanswered. */
  crashAfterPerformRate?: number;
  /** Latency added to every answer, in milliseconds. */
  latencyMs?: number;
}

/** A small deterministic PRNG (mulberry32), so faults repeat for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides the fault of each request: scripted ones first, in order, then random ones. */
export class FaultPlan {
  private readonly scripted: Fault[] = [];
  private random: () => number;
  private rates: FaultRates;

  constructor(rates: FaultRates = {}) {
    this.rates = rates;
    this.random = seededRandom(rates.seed ?? 1);
  }

  /** Replaces the random faults (and restarts their sequence from the seed). */
  configure(rates: FaultRates): void {
    this.rates = rates;
    this.random = seededRandom(rates.seed ?? 1);
  }

  /** Queues faults for the next requests, one each. */
  script(...faults: Fault[]): void {
    this.scripted.push(...faults);
  }

  /** Milliseconds to wait before answering. */
  get latencyMs(): number {
    return this.rates.latencyMs ?? 0;
  }

  /** The fault for the next request, if any; `write` says whether the request changes state. */
  next(write: boolean): Fault | undefined {
    const scripted = this.scripted.shift();
    if (scripted !== undefined) return scripted.kind === 'pass' ? undefined : scripted;
    const { errorRate = 0, dropRate = 0, crashAfterPerformRate = 0 } = this.rates;
    if (errorRate > 0 && this.random() < errorRate) {
      const statuses = this.rates.errorStatuses ?? [500, 429];
      const status = statuses[Math.floor(this.random() * statuses.length)] ?? 500;
      return { kind: 'status', status };
    }
    if (dropRate > 0 && this.random() < dropRate) return { kind: 'drop' };
    if (write && crashAfterPerformRate > 0 && this.random() < crashAfterPerformRate) {
      return { kind: 'crash-after-perform' };
    }
    return undefined;
  }
}
