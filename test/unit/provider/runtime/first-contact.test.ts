import { describe, expect, it } from 'vitest';
import { firstContact } from '../../../../provider/src/runtime/first-contact.js';
import { KubeApiError } from '../../../../provider/src/runtime/kube.js';

/** A request that fails with each of failures in turn, then answers "listed". */
function failing(failures: Error[]) {
  let calls = 0;
  return {
    calls: () => calls,
    request: () => {
      const failure = failures[calls++];
      return failure === undefined ? Promise.resolve('listed') : Promise.reject(failure);
    },
  };
}

/** A clock that only moves when slept on. */
function clock() {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    options: (boundMs: number) => ({
      boundMs,
      firstPauseMs: 250,
      now: () => t,
      sleep: (ms: number) => {
        slept.push(ms);
        t += ms;
        return Promise.resolve();
      },
    }),
  };
}

const initializing = () => new KubeApiError(429, 'TooManyRequests', 'storage is (re)initializing');
const unavailable = () => new KubeApiError(503, 'ServiceUnavailable', 'not ready');

describe('firstContact', () => {
  it.each([
    { reason: 'answers at once', failures: [], want: { result: 'listed', slept: [] } },
    {
      reason: 'a starting server (429, then 503) is waited out, with growing pauses',
      failures: [initializing(), unavailable(), initializing()],
      want: { result: 'listed', slept: [250, 500, 1000] },
    },
  ])('$reason', async ({ failures, want }) => {
    const c = clock();
    const { request } = failing(failures);
    expect({ result: await firstContact(request, c.options(60_000)), slept: c.slept }).toEqual(want);
  });

  it.each([
    { reason: 'refused credentials', failure: new KubeApiError(403, 'Forbidden', 'forbidden') },
    { reason: 'no connection', failure: new Error('connect ECONNREFUSED 127.0.0.1:1') },
  ])('fails at once on $reason', async ({ failure }) => {
    const c = clock();
    const { request, calls } = failing([failure]);
    await expect(firstContact(request, c.options(60_000))).rejects.toBe(failure);
    expect({ calls: calls(), slept: c.slept }).toEqual({ calls: 1, slept: [] });
  });

  it('gives up on a server that keeps starting once the bound has passed', async () => {
    const c = clock();
    const third = initializing();
    const { request, calls } = failing([initializing(), initializing(), third, initializing()]);
    await expect(firstContact(request, c.options(1_000))).rejects.toBe(third);
    expect({ calls: calls(), slept: c.slept }).toEqual({ calls: 3, slept: [250, 500] });
  });
});
