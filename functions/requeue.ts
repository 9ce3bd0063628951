import type { StepResponse } from './types.js';

/**
 * How soon Crossplane runs a pipeline again while a step waits on something outside its own
 * composed resources: another composite (a User, a Project, a snapshot's source) or a resource it
 * reads as a required resource (a Secret a provider writes, the pods of a Deployment). Real-time
 * compositions re-run an XR when its composed resources change, never when another XR does, so
 * without it such a wait lasts the function's normal TTL (60 s) per link of a chain.
 */
export const WAITING_TTL_SECONDS = 5;

/**
 * The response fields for a step that is, or is not, waiting on something it does not compose:
 * the short TTL while waiting, nothing (the function's normal TTL) once settled.
 */
export function requeueWhile(waiting: boolean): Pick<StepResponse, 'ttlSeconds'> {
  return waiting ? { ttlSeconds: WAITING_TTL_SECONDS } : {};
}
