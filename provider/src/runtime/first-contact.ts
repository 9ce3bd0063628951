/**
 * The provider's first request to its API server. A server that is still starting answers 429
 * ("storage is (re)initializing") or 5xx for a few seconds: those are waited out, within a bound, as
 * controller-runtime's caches wait for their first sync. Anything else (no connection, refused
 * credentials, a missing kind) is fatal at once: restarting will not change it.
 */
import { KubeApiError } from './kube.js';

/** How long a starting API server is waited for, and the first pause between tries. */
export interface FirstContactOptions {
  boundMs: number;
  firstPauseMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const FIRST_CONTACT: FirstContactOptions = { boundMs: 60_000, firstPauseMs: 250 };

/** Whether the API server is up but not ready to answer yet. */
export function isStarting(error: unknown): boolean {
  return error instanceof KubeApiError && (error.code === 429 || error.code >= 500);
}

/** Runs request until it answers, waiting out a starting server; rethrows the last failure. */
export async function firstContact<T>(
  request: () => Promise<T>,
  options: FirstContactOptions = FIRST_CONTACT,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.boundMs;
  let pause = options.firstPauseMs;
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (!isStarting(error) || now() + pause > deadline) throw error;
      await sleep(pause);
      pause = Math.min(pause * 2, 5_000);
    }
  }
}
