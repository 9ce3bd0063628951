/**
 * Node.js flags function-stackplane runs with: the runtime image's entrypoint passes them, and
 * bench:function starts the function with them too.
 *
 * --max-semi-space-size=8: left to itself, the V8 of the image's Node.js 24 grows the young
 * generation with the allocation rate, and all of it stays resident under load (a request of a
 * hundred StorageClasses makes about a megabyte of short-lived objects). Capped at 8 MiB a
 * semi-space, the peak RSS under 1,000 sequential and 2,000 concurrent such requests was 173-176 MiB
 * against 252-276 MiB without the cap, and CPU per request did not rise (2.3-2.6 against 2.9-3.1 ms
 * under the concurrent load, two alternating runs each; see BENCHMARKS.md). On Node.js 20 the cap
 * took the peak from 174 to 152 MiB; 4 MiB saves a few MiB more but costs 10 to 20 % more CPU.
 *
 * --initial-old-space-size=64: the function's old generation holds about 18 MiB once warm, and V8
 * sets its next limit so little above that that the room left is under the young generation's
 * capacity at once, which starts incremental marking again as soon as a full collection ends: under
 * 2,000 concurrent requests of a hundred StorageClasses, 32-34 full collections (170-200 ms of
 * pauses, and the concurrent marking on top). With 64 MiB as the initial old space, 8 full
 * collections (36-39 ms), CPU per request 2.3-2.8 against 2.5-3.4 ms in three alternating pairs,
 * and the same peak RSS (154-175 against 163-169 MiB): the collections were not what kept it low.
 */
export const FUNCTION_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=8',
  '--initial-old-space-size=64',
];
