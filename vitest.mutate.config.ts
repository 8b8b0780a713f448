import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutate` runs against each mutant: the in-process tests of the mutated
 * scope (src/plan, src/apply, src/api wire/response/retry, src/policy/ip.ts, src/kinds). Tests that run the
 * built CLI as a subprocess execute dist/, which Stryker does not mutate, so they are left out.
 *
 * MUTATE_TESTS (comma-separated globs) narrows the tests while working on one file, e.g.
 * `MUTATE_TESTS=test/plan/fingerprint.test.ts npx stryker run -m src/plan/fingerprint.ts`;
 * a score measured that way is a lower bound of the full run's.
 *
 * Test files stay isolated (vitest's default): with `isolate: false` a run is about a third
 * faster, but a module evaluated while a static mutant is active would stay cached for the
 * next mutants of that runner, so a score could no longer be trusted.
 */
const DEFAULT_TESTS = ['test/plan/**/*.test.ts', 'test/apply/**/*.test.ts', 'test/api/**/*.test.ts', 'test/live/**/*.test.ts', 'test/policy/ip.test.ts', 'test/render/**/*.test.ts', 'test/kinds/**/*.test.ts'];

export default defineConfig({
  test: {
    include: process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',') : DEFAULT_TESTS,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
