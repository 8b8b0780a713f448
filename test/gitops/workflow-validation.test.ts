import { validateAction, validateWorkflow } from '@action-validator/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadYaml, secretProblems, stepProblems } from './helpers/workflow-lint.js';
import type { WorkflowSource } from './helpers/workflow-sources.js';
import { allWorkflowSources, parseSource, pinProblems } from './helpers/workflow-sources.js';

/**
 * Every workflow, the composite action and every workflow example of the documentation pass the same checks:
 * `@action-validator/cli`'s validator (SchemaStore schemas; its engine is called in-process),
 * commit-SHA pins, and the project's own workflow rules. shellcheck on each `run:` script is in
 * workflow-shellcheck.system-test.ts (`npm run test:system`: it needs the system tool).
 */

type ValidatorError = ReturnType<typeof validateWorkflow>['errors'][number];

/** One line per finding; a oneOf failure also lists what each alternative lacked. */
function describeError(e: ValidatorError, indent = ''): string[] {
  const own = `${indent}${'path' in e ? e.path : ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`;
  const nested = 'states' in e ? (e.states ?? []).flatMap((s) => s.errors.flatMap((n) => describeError(n, `${indent}  `))) : [];
  return [own, ...nested];
}

/** The validator's findings as readable lines; [] when valid. */
function validatorProblems(source: WorkflowSource): string[] {
  const state = source.kind === 'action' ? validateAction(source.text) : validateWorkflow(source.text);
  return state.errors.flatMap((e) => describeError(e)).map((line) => `${source.name}: ${line}`);
}

let sources: WorkflowSource[];
beforeAll(async () => {
  sources = await allWorkflowSources();
});

describe('the workflow sources', () => {
  it('are the three workflows, action.yml and the docs/ci.md examples of a policies-only repository', () => {
    expect(sources.map((s) => s.name)).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/plan.yml',
      '.github/workflows/reconcile.yml',
      'action.yml',
      'docs/ci.md: .github/workflows/dbss-plan.yml',
      'docs/ci.md: .github/workflows/dbss-reconcile.yml',
    ]);
  });

  it('pass the action validator', () => {
    expect(sources.flatMap(validatorProblems)).toEqual([]);
  });

  it('pin every action to a commit SHA with a comment naming the version', () => {
    expect(sources.flatMap(pinProblems)).toEqual([]);
  });

  it('documentation examples pass the project rules too: secrets only in env, no expressions in scripts, a timeout on every job', () => {
    for (const source of sources.filter((s) => s.name.includes('.md: '))) {
      const doc = parseSource(source);
      expect(stepProblems(doc).filter((p) => !p.includes('<owner>/dbss-policy@<ref>')), source.name).toEqual([]);
      expect(secretProblems(doc), source.name).toEqual([]);
      for (const [id, job] of Object.entries(doc['jobs'] as Record<string, Record<string, unknown>>)) {
        expect(job['timeout-minutes'], `${source.name} jobs.${id}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('pull-request workflows a branch protection can require', () => {
  it('have no path or branch filter, which would leave the required check pending forever on a pull request it skips', () => {
    const planWorkflows = sources.filter((s) => s.kind === 'workflow' && /pull_request/.test(JSON.stringify(parseSource(s)['on'] ?? {})) && /plan/.test(s.name));
    expect(planWorkflows.map((s) => s.name)).toEqual(['.github/workflows/plan.yml', 'docs/ci.md: .github/workflows/dbss-plan.yml']);
    for (const source of planWorkflows) {
      const trigger = (parseSource(source)['on'] as Record<string, unknown>)['pull_request'];
      for (const filter of ['paths', 'paths-ignore', 'branches', 'branches-ignore']) {
        expect((trigger ?? {}) as Record<string, unknown>, `${source.name}: on.pull_request.${filter}`).not.toHaveProperty(filter);
      }
    }
  });
});

describe('docs/ci.md: the plan example for a policies-only repository', () => {
  it('plans even after a failed validation, so the sticky comment shows the errors instead of an old plan, then fails', () => {
    const source = sources.find((s) => s.name === 'docs/ci.md: .github/workflows/dbss-plan.yml')!;
    const steps = (parseSource(source)['jobs'] as Record<string, { steps: Record<string, unknown>[] }>)['plan']!.steps;
    const validate = steps.find((s) => s['name'] === 'Validate (annotations)')!;
    expect(validate).toMatchObject({ id: 'validate', 'continue-on-error': true, with: { command: 'validate' } });
    const plan = steps.find((s) => (s['with'] as Record<string, unknown> | undefined)?.['command'] === 'plan')!;
    expect(String(plan['if'])).not.toMatch(/validate|success\(\)/);
    const last = steps.at(-1)!;
    expect(last['if']).toBe("steps.validate.outcome == 'failure'");
    expect(String(last['run'])).toMatch(/exit 1\n$/);
  });
});

describe('.github/dependabot.yml', () => {
  it('updates the pinned actions and the npm dependencies every week', async () => {
    const doc = await loadYaml(fileURLToPath(new URL('../../.github/dependabot.yml', import.meta.url)));
    expect(doc['version']).toBe(2);
    const updates = doc['updates'] as { 'package-ecosystem': string; directory: string; schedule: { interval: string } }[];
    expect(updates.map((u) => [u['package-ecosystem'], u.directory, u.schedule.interval])).toEqual([
      ['github-actions', '/', 'weekly'],
      ['npm', '/', 'weekly'],
    ]);
  });
});

describe('the checks themselves', () => {
  it('the validator rejects what the documented example used to have: a dispatch input without a description', () => {
    const text = 'on:\n  workflow_dispatch:\n    inputs:\n      dry_run:\n        type: boolean\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n';
    expect(validatorProblems({ name: 'x.yml', kind: 'workflow', text }).join('\n')).toContain('/on/workflow_dispatch/inputs/dry_run/description This property is required');
  });

  it('pins: a major tag, a SHA without a version comment, a short SHA', () => {
    const text = [
      '    - uses: actions/checkout@v5',
      '    - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8',
      '      uses: actions/setup-node@a0853c2 # v5.0.0',
      '    - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
      '    - uses: ./',
    ].join('\n');
    expect(pinProblems({ name: 'x.yml', kind: 'workflow', text })).toEqual([
      'x.yml:1: actions/checkout@v5 is not pinned to a commit SHA',
      'x.yml:2: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 has no "# vX.Y.Z" comment naming its version',
      'x.yml:3: actions/setup-node@a0853c2 is not pinned to a commit SHA',
    ]);
  });
});
