import { beforeEach, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { ruleSetPlan } from '../plan/rule-set-plan.js';

const P = 'cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const SET = 'from rule set baseline (policies/baseline.yaml:9), used at policies/payments/prod.yaml:14';

describe('provenance and selectors in the text plan', () => {
  // Rendered per test, not while collecting (code run outside a test counts for none in `npm run mutate`).
  let out: string[];
  beforeEach(() => {
    out = renderText(ruleSetPlan()).split('\n');
  });

  it('says which rule set each rule comes from, where it was applied and overridden', () => {
    expect(out).toEqual(
      expect.arrayContaining([
        `${P}/prod-a  instance prod-a (inst-prod-a), matched by "prod-*"`,
        `  ~ update drop-table  ${SET}`,
        '  ± switch ON [Slow_SQL_detection (system)]',
        '      Slow_SQL_detection from rule set baseline (policies/baseline.yaml:6), used at policies/payments/prod.yaml:14',
        '  + create bulk-delete  from rule set baseline (policies/baseline.yaml:12), used at policies/payments/prod.yaml:14, overridden at policies/payments/prod.yaml:17',
        `  + create drop-table  ${SET}`,
        '  + create own-rule  (policies/payments/prod.yaml:20)',
      ]),
    );
  });

  it('lists what each selector matched and skipped, with the warning of one that matches nothing', () => {
    const start = out.indexOf('Selectors:');
    expect(start).toBeGreaterThan(out.findIndex((l) => l.startsWith(`${P}/prod-b`)));
    expect(out.slice(start, start + 8)).toEqual([
      'Selectors:',
      `  match "canary-*" in ${P}  (policies/payments/prod.yaml:30)`,
      `      matched nothing: no ACTIVE instance named like "canary-*" in the instance list of project ${P.split('/')[1]} (cn-north-4)`,
      `      # warning: selector "canary-*" (policies/payments/prod.yaml:30:5) matches no ACTIVE instance of project ${P.split('/')[1]} (cn-north-4)`,
      `  match "prod-*" in ${P}  (policies/payments/prod.yaml:12)`,
      '      matched: prod-a, prod-b',
      '      skipped prod-main: declared at policies/payments/prod.yaml:5:5',
      '',
    ]);
  });

  it('shows a newly matched instance as a target of its own', () => {
    const before = renderText(ruleSetPlan(false));
    expect(before).not.toContain(`${P}/prod-b`);
    expect(before).toContain('      matched: prod-a\n');
    expect(out).toContain(`${P}/prod-b  instance prod-b (inst-prod-b), matched by "prod-*"`);
  });
});

describe('provenance and selectors in the markdown plan', () => {
  let md: string;
  beforeEach(() => {
    md = renderMarkdown(ruleSetPlan());
  });

  it('tables the selectors and calls out the one that matches nothing', () => {
    expect(md).toContain(
      '| Selector | Project | Declared at | Matched | Skipped |\n|---|---|---|---|---|\n' +
        `| \`canary-*\` | \`${P}\` | \`policies/payments/prod.yaml:30\` | — |  |\n` +
        `| \`prod-*\` | \`${P}\` | \`policies/payments/prod.yaml:12\` | \`prod-a\`, \`prod-b\` | \`prod-main\` (declared at policies/payments/prod.yaml:5:5) |`,
    );
    expect(md).toContain('> [!WARNING]\n> **Selectors that match no instance**\n>\n> - selector "canary-\\*" \\(policies/payments/prod.yaml:30:5\\) matches no ACTIVE instance');
  });

  it('keeps the provenance in the collapsible details of each instance', () => {
    expect(md).toContain(`<summary><code>${P}/prod-a</code> instance prod-a (inst-prod-a), matched by "prod-*": 1 to update, 1 switch</summary>`);
    expect(md).toContain(`~ update drop-table  ${SET}\n`);
    expect(md).toContain('    Slow_SQL_detection from rule set baseline (policies/baseline.yaml:6), used at policies/payments/prod.yaml:14\n');
  });

  it('escapes a pipe in a selector so that the table holds', () => {
    const plan = ruleSetPlan();
    const piped = { ...plan, selectors: plan.selectors.map((s) => ({ ...s, selector: 'a|b*' })) };
    expect(renderMarkdown(piped)).toContain('| `a\\|b*` |');
  });
});
