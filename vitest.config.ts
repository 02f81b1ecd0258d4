import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/support/property-seed.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // No EMF lines in the test output; the metrics tests turn them on for themselves.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_METRICS_DISABLED: 'true' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: one worker per core keeps DynamoDB Local and the suites from starving each other.
    maxWorkers: 2,
  },
});
