import { defineConfig } from 'vitest/config';

// npm run e2e: the end-to-end tests on a real Crossplane control plane. One file at a time: each
// starts a whole control plane, and two would compete for two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
