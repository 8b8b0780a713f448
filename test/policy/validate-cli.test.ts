import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH } from '../../src/policy/parse-documents.js';
import { runCli } from '../helpers/run-cli.js';
import { header, P1, useTempTrees } from './policy-fixtures.js';

/** `dbss-policy validate` as a user runs it: the built CLI in a subprocess, on trees on disk. */
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const tree = useTempTrees();

const broken = {
  'policies/a.yaml': `${header()}instances:\n  - name: prod\n    risk_rules: [{name: r1, risk_level: SEVERE, client_ips: [10.0.0.300]}]\n`,
  'policies/b.yaml': `${header()}instances:\n  - name: prod\n`,
};

describe('dbss-policy validate (subprocess)', () => {
  it('accepts the shipped policies/ with the guardrails line and a one-line summary, no warning, and exit 0', async () => {
    const r = await runCli(['validate'], { cwd: REPO });
    expect(r).toEqual({
      code: 0,
      stdout: 'Guardrails: 1 checked, all hold.\npolicies/: 6 files, 3 instances, 1 selector, 9 rules, 4 summary tasks, 15 other objects and settings: valid\n',
      stderr: '',
    });
  });

  it('lists every problem by file and line, then fails with exit 1', async () => {
    const cwd = await tree(broken);
    const r = await runCli(['validate'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'policies/a.yaml:6:41 $.instances[0].risk_rules[0].risk_level: must be one of NO_RISK, LOW, MEDIUM, HIGH (got "SEVERE")',
      'policies/a.yaml:6:62 $.instances[0].risk_rules[0].client_ips[0]: "10.0.0.300" is not a valid IPv4 or IPv6 address',
      `policies/b.yaml:5:11 $.instances[0].name: instance cn-north-4/${P1}/prod declared twice (also declared at policies/a.yaml:5:11)`,
      'policies/: 2 files, 3 errors, 0 warnings: invalid',
      '',
    ]);
  });

  it('prints one JSON report with --format json', async () => {
    const cwd = await tree(broken);
    const r = await runCli(['validate', '--policies', 'policies', '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { valid: boolean; counts: Record<string, number>; diagnostics: { file: string; line: number; col: number; path: string }[] };
    expect(report.valid).toBe(false);
    // counts cover the schema-valid documents (b.yaml)
    expect(report.counts).toEqual({ files: 2, instances: 1, selectors: 0, riskRules: 0, summaryTasks: 0, kindObjects: 0, errors: 3, warnings: 0 });
    expect(report.diagnostics[0]).toMatchObject({ file: 'policies/a.yaml', line: 6, col: 41, path: '$.instances[0].risk_rules[0].risk_level', severity: 'error' });
  });

  it('prints GitHub annotations with --format github', async () => {
    const cwd = await tree(broken);
    const r = await runCli(['validate', '--format', 'github'], { cwd });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(3);
    expect(annotations[0]).toBe(
      '::error file=policies/a.yaml,line=6,col=41::$.instances[0].risk_rules[0].risk_level: must be one of NO_RISK, LOW, MEDIUM, HIGH (got "SEVERE")',
    );
  });

  it('passes with warnings only, and shows them', async () => {
    const cwd = await tree({ 'pol/p.yaml': `${header()}summary_tasks: {risk: on}\n---\n${header()}` });
    const r = await runCli(['validate', '--policies', 'pol'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'pol/p.yaml:6:1 $: warning: the document declares no instances, summary_tasks, rule_sets or guardrails\npol/: 1 file, 0 instances, 0 rules, 1 summary task: valid (1 warning)\n',
    );
  });

  it('fails on an empty policies directory and on a missing one', async () => {
    const cwd = await tree({ 'empty/.keep': '' });
    const empty = await runCli(['validate', '--policies', 'empty'], { cwd });
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe('empty/: no policy files (*.yaml, *.yml) found\nempty/: 0 files, 1 error, 0 warnings: invalid\n');
    const missing = await runCli(['validate'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('policies/: cannot open the policies directory: it does not exist (pass --policies DIR');
  });

  it('reports an undefined alias, a list as a key and deep nesting at their lines, with nothing on stderr', async () => {
    const cwd = await tree({
      'policies/alias.yaml': 'version: *nope\n',
      'policies/key.yaml': `${header()}? [a, b]\n: 1\n`,
      'policies/deep.yaml': `x: ${'['.repeat(1000)}${']'.repeat(1000)}\n`,
    });
    const r = await runCli(['validate'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'policies/alias.yaml:1:10: undefined alias *nope: no anchor &nope comes before it',
      `policies/deep.yaml:1:${3 + MAX_NESTING_DEPTH}: nesting deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings: the document is not read`,
      'policies/key.yaml:4:3: a key must be a plain name, not a list',
      'policies/: 3 files, 3 errors, 0 warnings: invalid',
      '',
    ]);
  });

  it('rejects unknown flags and formats as usage errors, without a stack trace', async () => {
    const flag = await runCli(['validate', '--polices', 'x'], { cwd: REPO });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toBe('dbss-policy validate: unknown option --polices (did you mean --policies?) (see dbss-policy validate --help)\n');
    const format = await runCli(['validate', '--format', 'xml'], { cwd: REPO });
    expect(format.code).toBe(1);
    expect(format.stderr).toBe('dbss-policy validate: --format must be text, json, github; got "xml"\n');
    const help = await runCli(['validate', '--help'], { cwd: REPO });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: dbss-policy validate [--policies DIR] [--format text|json|github]');
  });
});
