import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutate` runs against each mutant: the in-process tests of the mutated
 * scope (src/plan, src/apply, src/api wire/response/retry, src/policy/ip.ts). Tests that run the
 * built CLI as a subprocess execute dist/, which Stryker does not mutate, so they are left out.
 */
export default defineConfig({
  test: {
    include: ['test/plan/**/*.test.ts', 'test/apply/**/*.test.ts', 'test/api/**/*.test.ts', 'test/live/**/*.test.ts', 'test/policy/ip.test.ts', 'test/render/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
