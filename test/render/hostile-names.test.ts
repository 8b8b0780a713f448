import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Prng } from '../../src/emulator/prng.js';
import { customRule } from '../../src/emulator/seed-rules.js';
import { startEmulatorEnv } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * Output cannot be forged by data: rule names written in the console (here: in the emulator's
 * live state) go through the real renderers of every format and the job summary, and cannot
 * inject a line, close a fence, add markup or start a workflow command.
 */
const REPO = join(import.meta.dirname, '../..');
const PROJECT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const HOSTILE = [
  'legacy\n- delete x',
  '```\n## ✅ No changes. Safe to merge',
  '![x](http://evil)',
  '::error::x',
  '::stop-commands::tok',
  '\u001b[2J\u001b[31mred\u001b[0m',
  '<img src=x onerror=alert(1)>',
  'rtl\u202eexe.txt',
];

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
  const instances = e.emulator.state.projects[PROJECT]!.instances;
  const prng = new Prng(99);
  // prod-audit prunes: each hostile rule becomes a `- delete` change; staging-audit does not: a note each.
  for (const name of HOSTILE) {
    instances.find((i) => i.name === 'prod-audit')!.rules.push(customRule(prng, { name, riskLevel: 'LOW' }));
    instances.find((i) => i.name === 'staging-audit')!.rules.push(customRule(prng, { name, riskLevel: 'LOW' }));
  }
});
afterEach(() => e.close());

const cli = (args: string[], env: Record<string, string> = {}) =>
  runInProcess([...args, '--policies', join(REPO, 'policies'), '--max-change-ratio', '1'], { cwd: REPO, env: { ...e.env, ...env } });

/** Lines of markdown outside fenced code blocks, with inline code spans removed. */
function markdownProse(md: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    const run = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && run) fence = run;
    else if (fence !== undefined && run && run.length >= fence.length && line.trim() === run) fence = undefined;
    else if (fence === undefined) out.push(line.replace(/(`+)(?:(?!\1).)*?\1/g, '')); // drop inline code spans
  }
  expect(fence).toBeUndefined(); // every fence is closed by its own closing line
  return out;
}

function expectSafeMarkdown(md: string): void {
  const prose = markdownProse(md);
  expect(prose.filter((l) => /^#{1,6} /.test(l) && !/^### dbss-policy (plan|apply: \d+ applied, 0 failed, 0 skipped, 0 not-attempted)$/.test(l))).toEqual([]);
  expect(prose.join('\n')).not.toMatch(/!\[|<img|\u001b|\u202e/);
  expect(md).not.toMatch(/^\s*::/m);
}

function expectSafeText(text: string): void {
  expect(text).not.toMatch(/\u001b|\u202e/);
  expect(text).not.toMatch(/^\s*- delete x$/m);
  expect(text).not.toMatch(/^\s*## /m);
  expect(text).not.toMatch(/^\s*::/m);
}

describe('hostile rule names from the API', () => {
  it('text: one line per change, escaped', async () => {
    const r = await cli(['plan']);
    expect(r.code).toBe(0);
    expectSafeText(r.stdout);
    expect(r.stdout).toContain('- delete legacy\\n- delete x');
    expect(r.stdout).toMatch(/^ {2}- delete red {2}\(weakening/m); // ANSI removed
    expect(r.stdout).toContain('- delete rtl\\u202eexe.txt');
    expect(r.stdout).toContain('# ```\\n## ✅ No changes. Safe to merge: not declared');
  });

  it('markdown and the job summary: no fence break, heading, image, HTML or command', async () => {
    const summary = join(e.dir, 'summary.md');
    const r = await cli(['plan', '--format', 'markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(0);
    expectSafeMarkdown(r.stdout);
    expectSafeMarkdown(await readFile(summary, 'utf8'));
  });

  it('json: names round-trip exactly, no raw control characters, no line starts a command', async () => {
    const r = await cli(['plan', '--format', 'json']);
    const plan = JSON.parse(r.stdout) as { changes: { kind: string; rule?: string }[] };
    const deleted = plan.changes.filter((c) => c.kind === 'delete').map((c) => c.rule);
    expect(deleted).toEqual(expect.arrayContaining(HOSTILE));
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.stdout).not.toMatch(/^\s*::/m);
  });

  it('github: the only workflow commands are our own annotations', async () => {
    const r = await cli(['plan', '--format', 'github', '--fail-on-weakening']);
    const commands = r.stdout.split('\n').filter((l) => /^\s*::/.test(l));
    expect(commands.length).toBeGreaterThan(0);
    // Ours: the plan's annotations (some located in our own files) and any policy warning located there.
    for (const c of commands) expect(c).toMatch(/^::(warning|error|notice) (title=dbss-policy[^:]*|file=policies\/[^,:]+,line=\d+,col=\d+(,title=dbss-policy[^:]*)?)::[^\n]*$/);
    expect(r.stdout).not.toMatch(/^\s*::stop-commands/m);
    expect(r.stdout).not.toMatch(/\u001b/);
    expect(r.stdout).toContain('::warning title=dbss-policy weakening::cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0/prod-audit: delete legacy%0A- delete x weakens auditing');
  });

  it('the apply result, in text and in the job summary', async () => {
    const summary = join(e.dir, 'apply.md');
    const r = await cli(['reconcile'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(0);
    expectSafeText(r.stdout);
    expectSafeMarkdown(await readFile(summary, 'utf8'));
  });
});

describe('the PR comment of a failed plan', () => {
  it('keeps hostile stderr inside its fence: no heading, image, command or escape sequence gets out', async () => {
    const { composePlanComment } = await import('../../src/gitops/plan-comment.js');
    const errors = `dbss-policy plan: rule ${HOSTILE.join(' / ')}\n\`\`\`\`\n## ✅ No changes\n\u001b]8;;http://evil\u0007link\u001b]8;;\u0007\n::error::x`;
    const comment = composePlanComment({ markdown: '', exitCode: 1, errors });
    const prose = markdownProse(comment);
    expect(prose.filter((l) => /^#{1,6} /.test(l))).toEqual(['## ❌ dbss-policy plan failed (exit code 1)']);
    expect(comment).not.toMatch(/\u001b|\u0007/);
    expect(comment).not.toMatch(/^\s*::/m);
  });
});
