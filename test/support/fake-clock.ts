import type { Clock } from '../../provider/src/runtime/clock.js';

/** A Clock that moves only when told to; timers fire in order of their due time. */
export class FakeClock implements Clock {
  private ms: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 0;

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.ms = start;
  }

  now(): Date {
    return new Date(this.ms);
  }

  after(ms: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.ms + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  /** Moves time forward by ms, firing every timer that comes due. */
  advance(ms: number): void {
    const end = this.ms + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      this.ms = due.at;
      due.fn();
    }
    this.ms = end;
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }
}
