/**
 * Node.js flags provider-stackplane runs with. Its runtime image sets them in NODE_OPTIONS, not on
 * the command line, so a platform replaces them with its own through a DeploymentRuntimeConfig's
 * env (command-line flags would win over NODE_OPTIONS); the scale scenario of bench:provider starts
 * the provider with them too.
 *
 * --max-old-space-size=256: left to itself, V8 grows the old generation during a burst of creates
 * and keeps it: at 9,996 managed resources the peak RSS was 509-544 MiB with 268-284 MiB of heap used,
 * against 92-96 MiB live after a full GC. Capped at 256 MiB (2.7 times that live heap), the peak
 * was 337 MiB. --max-semi-space-size=8 as the function: with both, 311 MiB, and the steady CPU
 * unchanged (0.36 against 0.39 cores at one poll a minute). BENCHMARKS.md has the runs. The live
 * heap grows by about 5 KiB per resource: past about 25,000 resources in one replica, raise the cap.
 */
export const PROVIDER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=256', '--max-semi-space-size=8'];
