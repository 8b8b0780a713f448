import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import unitConfig from '../../vitest.config.js';
import systemConfig from '../../vitest.system.config.js';

/**
 * `npm test` runs on a machine with only Node and npm: a test that needs a system tool
 * (shellcheck) lives in a `*.system-test.ts` file, which `npm run test:system` runs and
 * `npm test` does not.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat();
}

describe('tests that need a system tool', () => {
  it('are only in *.system-test.ts files, which npm test leaves to npm run test:system', async () => {
    const all = (await files(join(root, 'test'))).filter((f) => f.endsWith('.ts'));
    const usesShellcheck: string[] = [];
    for (const file of all) {
      if (file.includes('/helpers/')) continue;
      if (/helpers\/shellcheck\.js/.test(await readFile(file, 'utf8'))) usesShellcheck.push(relative(root, file));
    }
    expect(usesShellcheck).toEqual(['test/gitops/workflow-shellcheck.system-test.ts']);
    expect(unitConfig.test?.include).toEqual(['test/**/*.test.ts']);
    expect(systemConfig.test?.include).toEqual(['test/**/*.system-test.ts']);
  });
});
