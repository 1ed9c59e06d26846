import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    globalSetup: ['test/setup/console-build.ts', 'test/worker/build-bundle.ts'],
    pool: 'forks',
    // Most suites wait on sockets, child processes and databases rather than the CPU: one fork more
    // than the cores keeps them busy (on 2 cores: 3 min instead of 5 for the whole suite).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 15_000,
    hookTimeout: 15_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: 'test-results.json' } : undefined,
    projects: [
      { extends: true, test: { name: 'all', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      {
        // The proxy suite again on the lean upstream client (docs/decisions.md, "Upstream transport").
        extends: true,
        test: {
          name: 'proxy on lean',
          include: ['test/proxy/**/*.test.ts'],
          env: { SWITCHYARD_TRANSPORT: 'lean' },
        },
      },
    ],
  },
});
