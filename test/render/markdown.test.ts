import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import { parsePlan } from '../../src/plan/plan-json.js';
import type { Plan } from '../../src/plan/types.js';
import { renderJson } from '../../src/render/json.js';
import { MARKDOWN_MAX_CHARS, renderMarkdown } from '../../src/render/markdown.js';
import { desired, instance, live, liveState, rule } from '../plan/builders.js';
import { demoPlan } from '../plan/demo-plan.js';

const P = 'cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** `instances` instances with `rules` rules to create each (long names, many lists: a big plan). */
function hugePlan(instances: number, rules: number): Plan {
  const ds = Array.from({ length: instances }, (_, i) =>
    instance(`instance-${String(i).padStart(3, '0')}`, {
      riskRules: Array.from({ length: rules }, (_, k) =>
        rule(`a-rather-long-rule-name-for-size-${String(k).padStart(4, '0')}`, { actions: ['SELECT', 'UPDATE', 'DELETE'], clientIps: ['10.0.0.0/8', '192.168.0.0/16'] }),
      ),
    }),
  );
  return computePlan(desired(ds), liveState(ds.map((d) => live(d))), { toolVersion: 't' });
}

/** Every opened <details> is closed and every fence is paired. */
function wellFormed(md: string): void {
  expect(md.split('<details>').length).toBe(md.split('</details>').length);
  expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
}

describe('renderMarkdown', () => {
  it('calls out weakening changes and refusals first, then a table, then collapsible details', () => {
    const md = renderMarkdown(demoPlan());
    expect(md.startsWith('### dbss-policy plan\n\n**Plan: 1 to create, 1 to update, 1 to delete, 2 switches, 1 reorder, 1 task change. 1 of 4 targets could not be read; nothing was planned for it.**\n')).toBe(true);
    expect(md).toContain(`> [!CAUTION]\n> **1 change weakens auditing**\n>\n> - \`${P}/prod-audit\`: delete \`legacy-export\`: rule deleted\n`);
    expect(md).toContain('> - prod-audit: 2 of 4 rules deleted or updated \\(1 deleted, 1 updated; 50% &gt; 30%\\)');
    expect(md).toContain(`- \`${P}/gone-audit\`: no instance named gone-audit in the project`);
    expect(md).toContain(`| \`${P}/prod-audit\` | 1 | 1 | 1 | 1 | 1 | 0 | 1 |`);
    expect(md).toContain(`<details><summary><code>${P}/staging-audit</code> instance staging-audit (6a3c8d1f0b2e5f4a9c7d3e2b1f0a9c8d): 1 switch</summary>`);
    expect(md).toContain('```diff\n~ update drop-table-in-prod  (policies/payments/cn-north-4.yaml:12)\n    risk_level: MEDIUM → HIGH\n');
    expect(md.indexOf('[!CAUTION]')).toBeLessThan(md.indexOf('| Target |'));
    expect(md.indexOf('| Target |')).toBeLessThan(md.indexOf('<details>'));
    expect((md.match(/<details>/g) ?? []).length).toBe(3);
    wellFormed(md);
  });

  it('stays under 60,000 characters for a huge plan, with a notice pointing to the full plan', () => {
    const plan = hugePlan(40, 60);
    expect(renderMarkdown(plan, { maxChars: 10_000_000 }).length).toBeGreaterThan(MARKDOWN_MAX_CHARS * 3);
    const md = renderMarkdown(plan, { artifact: 'the `dbss-plan` workflow artifact' });
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(md).toContain('**Plan: 2400 to create, 0 to update, 0 to delete, 0 switches, 40 reorders.**');
    expect(md).toMatch(/> \*\*Truncated\*\* to stay under 60000 characters: \d+ more entries are not shown\. The full plan is in the plan artifact: the `dbss-plan` workflow artifact\.\n$/);
    expect(md).toContain(`| \`${P}/instance-039\` | 60 | 0 | 0 | 0 | 1 | 0 | 0 |`);
    wellFormed(md);
  });

  it('cuts a single oversized section at a line instead of dropping it', () => {
    const md = renderMarkdown(hugePlan(1, 1500));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(md).toMatch(/\n… \d+ more lines in the full plan\n```\n\n<\/details>/);
    expect(md).toContain('+ create a-rather-long-rule-name-for-size-0000');
    wellFormed(md);
  });

  it('fences content that itself contains backticks', () => {
    const d = instance('prod-audit', { riskRules: [rule('odd```name')] });
    const md = renderMarkdown(computePlan(desired([d]), liveState([live(d)]), { toolVersion: 't' }));
    expect(md).toContain('````diff\n+ create odd```name');
  });

  it('says there are no changes', () => {
    const d = instance('prod-audit');
    const md = renderMarkdown(computePlan(desired([d]), liveState([live(d)]), { toolVersion: 't' }));
    expect(md).toContain('**No changes.**');
    expect(md).not.toContain('<details>');
  });
});

describe('renderJson', () => {
  it('is the versioned plan JSON that apply reads back', () => {
    const plan = demoPlan();
    expect(parsePlan(renderJson(plan))).toEqual(plan);
  });

  it('heads a plan whose reads all failed with that, not "No changes."', () => {
    const d = instance('prod-audit', { riskRules: [rule('a')] });
    const failed = liveState([], [], [{ key: `${P}/prod-audit`, message: 'HTTP 502' }]);
    const md = renderMarkdown(computePlan(desired([d]), failed, { toolVersion: 't' }));
    expect(md).toContain('**1 of 1 target could not be read; nothing was planned for it.**');
    expect(md).not.toContain('No changes.');
  });
});
