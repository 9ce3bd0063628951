/** Time as the runtime sees it: injected, so tests can control it. */
export interface Clock {
  now(): Date;
  /** Calls fn after ms milliseconds; the returned function cancels the call. */
  after(ms: number, fn: () => void): () => void;
}

/** The system clock. Timers do not keep the process alive: shutdown never waits for a requeue. */
export const systemClock: Clock = {
  now: () => new Date(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
