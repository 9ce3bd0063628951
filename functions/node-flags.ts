/**
 * Node.js flags function-stackplane runs with: the runtime image's entrypoint passes them, and
 * bench:function starts the function with them too.
 *
 * --max-semi-space-size=8: V8's young generation grows to two semi-spaces of 16 MiB each by default,
 * all of it resident under load (a request of a hundred StorageClasses makes about a megabyte of
 * short-lived objects). Capped at 8 MiB each, the highest peak RSS seen under 16 concurrent such
 * requests was 152 MiB against 174 MiB, with no measurable change in CPU per request; at 4 MiB it drops
 * a few MiB more, but the extra scavenges cost 10 to 20 % more CPU per request (see BENCHMARKS.md).
 */
export const FUNCTION_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
