import { defineConfig } from 'vitest/config';

/**
 * The tests that need a system tool beyond Node and npm (today: shellcheck, the Debian package
 * `shellcheck`). `npm run test:system` runs them; `npm test` does not, so it passes on a machine
 * with only Node and npm. `bash .ci/run` installs the tools and runs both.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.system-test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
