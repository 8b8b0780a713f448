import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composePlanComment, runPlanComment } from '../../src/gitops/plan-comment.js';
import { planFlags } from '../../src/gitops/plan-flags.js';
import { captureIO, tempDir, writePullRequestEvent } from './helpers/io.js';
import { change, plan } from './helpers/plan-samples.js';

const MARKDOWN = '### Plan\n\n| instance | create | delete |\n|---|---|---|\n| prod-audit | 1 | 1 |\n';

describe('composePlanComment', () => {
  it('puts a destructive heading with the summary above the plan', () => {
    const flags = planFlags(plan([change('create'), change('delete')]));
    const text = composePlanComment({
      markdown: MARKDOWN,
      exitCode: 2,
      flags,
      runUrl: 'https://github.com/acme/policies/actions/runs/99',
      artifactUrl: 'https://github.com/acme/policies/actions/runs/99/artifacts/5',
      headSha: 'abcdef0123456789',
    });
    expect(text.split('\n\n')[0]).toBe('## ⚠️ This plan deletes or weakens audit rules');
    expect(text).toContain('**2 changes (1 create, 1 delete); 1 weakens auditing.** Review every change');
    expect(text).toContain(MARKDOWN.trim());
    expect(text.endsWith(
      '---\n\n<sub>dbss-policy plan for abcdef0 · [workflow run](https://github.com/acme/policies/actions/runs/99) · [JSON plan](https://github.com/acme/policies/actions/runs/99/artifacts/5)</sub>\n',
    )).toBe(true);
  });

  it('shows a plan that weakens nothing as it is, with no heading', () => {
    const text = composePlanComment({ markdown: MARKDOWN, exitCode: 2, flags: planFlags(plan([change('create')])) });
    expect(text).toBe(`${MARKDOWN.trim()}\n\n---\n\n<sub>dbss-policy plan</sub>\n`);
  });

  it('replaces a stale plan with the failure and the end of the error output', () => {
    const errors = [
      ...Array.from({ length: 80 }, (_, i) => `\u001b[2mprogress line ${i}\u001b[0m`),
      'dbss-policy plan: prod-audit: 4 of 10 rules deleted (40% > 30%)',
      'a line with ``` fences ````',
    ].join('\n');
    const text = composePlanComment({ markdown: '', exitCode: 1, errors });
    expect(text).toMatch(/^## ❌ dbss-policy plan failed \(exit code 1\)\n\nNo plan could be computed/);
    expect(text).toContain('`````text\n');
    expect(text).toContain('4 of 10 rules deleted (40% > 30%)\na line with ``` fences ````\n`````');
    expect(text).not.toContain('progress line 21\n');
    expect(text).toContain('progress line 22\n');
    expect(text).not.toContain('\u001b[');
    expect(text).not.toContain('This plan deletes');
  });
});

describe('plan-comment script', () => {
  it('reads the files and the run context, and never prints the token', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plan.md'), MARKDOWN);
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan([change('switch', { status: 'OFF' })])));
    const env = {
      GITHUB_TOKEN: 'ghs_PlanCommentSecret000111',
      GITHUB_EVENT_PATH: await writePullRequestEvent(dir, 3, 'feedbeef00112233'),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/policies',
      GITHUB_RUN_ID: '4242',
    };
    const io = captureIO(env, dir);
    const code = await runPlanComment(['--exit-code', '2', '--markdown', 'plan.md', '--plan', 'plan.json', '--artifact-url', ''], io);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^## ⚠️ This plan deletes or weakens audit rules\n\n\*\*1 change \(1 switch\); 1 weakens auditing\.\*\*/);
    expect(io.out()).toContain('<sub>dbss-policy plan for feedbee · [workflow run](https://github.com/acme/policies/actions/runs/4242)</sub>');

    await writeFile(join(dir, 'plan.err'), `request with ${env.GITHUB_TOKEN} failed`);
    const failed = captureIO(env, dir);
    expect(await runPlanComment(['--exit-code', '1', '--markdown', 'plan.md', '--plan', 'absent.json', '--errors', 'plan.err'], failed)).toBe(0);
    expect(failed.out()).toContain('request with *** failed');
    expect(failed.out()).not.toContain(env.GITHUB_TOKEN);
  });

  it('needs the saved plan when the plan step succeeded', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plan.md'), MARKDOWN);
    const io = captureIO({}, dir);
    expect(await runPlanComment(['--exit-code', '0', '--markdown', 'plan.md', '--plan', 'plan.json'], io)).toBe(1);
    expect(io.err()).toMatch(/cannot read the plan .*plan\.json/);
    expect(await runPlanComment(['--exit-code', 'two', '--markdown', 'plan.md'], io)).toBe(1);
    expect(io.err()).toContain('--exit-code must be a number');
    expect(io.out()).toBe('');
  });
});
