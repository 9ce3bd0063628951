import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests start a whole control plane: npm run e2e runs them (vitest.e2e.config.ts).
    exclude: ['test/e2e/**', '**/node_modules/**'],
    // gRPC and render tests start servers; two cores are plenty when files run in parallel.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
