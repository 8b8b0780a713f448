import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards only, far above any honest run on a loaded machine: no test races the clock
    // (see docs/testing.md), so a slow machine makes the suite slower, never red.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two test files at a time, each starting at most two CLI processes at once
    // (test/helpers/run-cli.ts): the suite does not oversubscribe a 2-core CI machine.
    maxWorkers: 2,
  },
});
