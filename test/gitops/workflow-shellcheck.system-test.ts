import { describe, expect, it } from 'vitest';
import { shellcheckScripts, shellcheckVersion } from './helpers/shellcheck.js';
import { allWorkflowSources, runScripts } from './helpers/workflow-sources.js';

/**
 * shellcheck over every `run:` script of the workflows, action.yml and the documented workflow
 * examples. shellcheck is a system tool (Debian package `shellcheck`), not an npm package, so
 * these tests are not part of `npm test` (which needs only Node and npm): `npm run test:system`
 * runs them, and `bash .ci/run` installs shellcheck and runs both.
 */

describe('the workflow sources', () => {
  it('pass shellcheck in every run: script', async () => {
    shellcheckVersion();
    const sources = await allWorkflowSources();
    expect(sources.length).toBeGreaterThan(3);
    expect(await shellcheckScripts(sources.flatMap(runScripts))).toEqual([]);
  });
});

describe('the check itself', () => {
  it('shellcheck reports an unquoted variable and a cd without a fallback, with the step and line', async () => {
    shellcheckVersion();
    const problems = await shellcheckScripts([{ where: 'x.yml: jobs.a.steps[0] (Bad)', run: 'echo ok\ncd $DIR\n' }]);
    expect(problems.join('\n')).toMatch(/^x\.yml: jobs\.a\.steps\[0\] \(Bad\): run line 2: .*\[SC2164\]/m);
    expect(problems.join('\n')).toContain('[SC2086]');
  });
});
