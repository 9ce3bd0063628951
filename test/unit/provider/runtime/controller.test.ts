import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  Controller,
  desiredStateChanged,
  type ResourceWatch,
  type WatchedObject,
} from '../../../../provider/src/runtime/controller.js';
import type { ReconcileResult } from '../../../../provider/src/runtime/reconciler.js';

/** A watch the test drives by hand. */
class FakeWatch implements ResourceWatch {
  private handler: (previous: WatchedObject | undefined, current: WatchedObject) => void = () => {};
  onChange(handler: (previous: WatchedObject | undefined, current: WatchedObject) => void): void {
    this.handler = handler;
  }
  onDelete(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  readonly known: string[] = [];
  keys(): string[] {
    return this.known.map((name) => `ns/${name}`);
  }
  add(name: string, generation = 1): void {
    this.handler(undefined, { metadata: { name, namespace: 'ns', generation } });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A reconciler that records calls and concurrency and returns scripted results. */
function recorder(results: (name: string, call: number) => ReconcileResult, durationMs = 20) {
  const calls: string[] = [];
  let running = 0;
  let maxRunning = 0;
  let finished = 0;
  return {
    calls,
    stats: () => ({ maxRunning, finished }),
    async reconcile(_namespace: string, name: string): Promise<ReconcileResult> {
      calls.push(name);
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(durationMs);
      running--;
      finished++;
      return results(name, calls.filter((c) => c === name).length);
    },
  };
}

const options = { queue: { baseDelayMs: 20, maxDelayMs: 200, ratePerSecond: 1_000, burst: 1_000 } };

describe('Controller', () => {
  it('runs at most concurrency reconciles at once, each key by one worker', async () => {
    const watch = new FakeWatch();
    const reconciler = recorder(() => ({ action: 'done' }));
    const controller = new Controller('test', watch, reconciler, pino({ level: 'silent' }), {
      ...options,
      concurrency: 3,
    });
    await controller.start();
    for (let i = 0; i < 12; i++) watch.add(`w${i}`);
    await sleep(500);
    await controller.stop();
    expect({ ...reconciler.stats(), calls: reconciler.calls.length }).toEqual({
      maxRunning: 3,
      finished: 12,
      calls: 12,
    });
  });

  it('reconciles every known object again each --sync period, even when nothing happened', async () => {
    const watch = new FakeWatch();
    watch.known.push('a', 'b');
    const reconciler = recorder(() => ({ action: 'done' }), 1);
    const controller = new Controller('test', watch, reconciler, pino({ level: 'silent' }), {
      ...options,
      resyncMs: 100,
    });
    await controller.start();
    // Counted in periods passed, not in time: each key is reconciled once per period that ended.
    while (reconciler.calls.filter((c) => c === 'a').length < 2) await sleep(20);
    await controller.stop();
    expect(new Set(reconciler.calls)).toEqual(new Set(['a', 'b']));
  });

  it('retries failures with growing back-off and requeues after the requested delay', async () => {
    const watch = new FakeWatch();
    const reconciler = recorder(
      (name, call) =>
        name === 'failing' && call < 4
          ? { action: 'backoff', error: new Error('cannot observe external resource: boom') }
          : name === 'polled' && call < 3
            ? { action: 'requeueAfter', ms: 30 }
            : { action: 'done' },
      1,
    );
    const controller = new Controller('test', watch, reconciler, pino({ level: 'silent' }), {
      ...options,
      concurrency: 2,
    });
    await controller.start();
    watch.add('failing');
    watch.add('polled');
    await sleep(400);
    await controller.stop();
    expect({
      failing: reconciler.calls.filter((c) => c === 'failing').length,
      polled: reconciler.calls.filter((c) => c === 'polled').length,
    }).toEqual({ failing: 4, polled: 3 });
  });

  it('lets running reconciles finish on stop and starts no new ones', async () => {
    const watch = new FakeWatch();
    const reconciler = recorder(() => ({ action: 'requeueAfter', ms: 1 }), 100);
    const controller = new Controller('test', watch, reconciler, pino({ level: 'silent' }), {
      ...options,
      concurrency: 2,
    });
    await controller.start();
    watch.add('a');
    watch.add('b');
    await sleep(20);
    await controller.stop();
    const atStop = reconciler.stats();
    await sleep(150);
    expect({ atStop, later: reconciler.stats() }).toEqual({
      atStop: { maxRunning: 2, finished: 2 },
      later: { maxRunning: 2, finished: 2 },
    });
  });
});

describe('desiredStateChanged', () => {
  const meta = { name: 'w', namespace: 'ns', generation: 1, annotations: { a: '1', b: '2' } };
  it.each<{ reason: string; current: WatchedObject['metadata']; want: boolean }>([
    {
      reason: 'a status write (only the resource version moves) is left to the poll',
      current: { ...meta, resourceVersion: '9' },
      want: false,
    },
    {
      reason: 'annotations in another key order are the same annotations',
      current: { ...meta, annotations: { b: '2', a: '1' } },
      want: false,
    },
    { reason: 'a spec edit moves the generation', current: { ...meta, generation: 2 }, want: true },
    {
      reason: 'another controller removing its finalizer may release a delayed deletion',
      current: { ...meta, finalizers: ['finalizer.managedresource.crossplane.io'] },
      want: true,
    },
  ])('$reason', ({ current, want }) => {
    expect(
      desiredStateChanged(
        {
          metadata: { ...meta, finalizers: ['finalizer.managedresource.crossplane.io', 'example.org/keep'] },
        },
        {
          metadata: {
            finalizers: ['finalizer.managedresource.crossplane.io', 'example.org/keep'],
            ...current,
          },
        },
      ),
    ).toBe(want);
  });
});
