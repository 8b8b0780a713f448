import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { desired, instance, live, liveState, liveTask, rule, task } from '../plan/builders.js';

/**
 * The pull-request comment and the job summary list only the targets with changes or problems,
 * then count the unchanged ones: a 2-change plan on a 420-instance estate is two rows, not a
 * 420-row table of zeros.
 */

const P = 'cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const name = (i: number) => `audit-${String(i).padStart(3, '0')}`;

/** `total` instances with no rules; `changed` of them get one rule to create. */
function estate(total: number, changed: readonly number[]) {
  const ds = Array.from({ length: total }, (_, i) => instance(name(i), { riskRules: changed.includes(i) ? [rule('block-drop')] : [] }));
  return { ds, lives: ds.map((d) => live(d)) };
}

const rows = (md: string) => md.split('\n').filter((l) => l.startsWith('| `'));

describe('renderMarkdown: the target table', () => {
  it('a 2-change plan on 420 instances: two rows and "418 unchanged instances not shown"', () => {
    const { ds, lives } = estate(420, [17, 300]);
    const md = renderMarkdown(computePlan(desired(ds), liveState(lives), { toolVersion: 't' }));
    expect(rows(md)).toEqual([`| \`${P}/audit-017\` | 1 | 0 | 0 | 0 | 0 | 0 | 0 |`, `| \`${P}/audit-300\` | 1 | 0 | 0 | 0 | 0 | 0 | 0 |`]);
    expect(md).toContain('|---|--:|--:|--:|--:|--:|--:|--:|\n| `');
    expect(md).toContain('\n\n<sub>418 unchanged instances not shown.</sub>\n');
    expect(md).not.toContain('audit-018');
    expect(md.length).toBeLessThan(3_000);
  });

  it('a target that could not be read is listed as not planned, not counted as unchanged; unchanged summary-task projects are counted apart', () => {
    const { ds, lives } = estate(3, [0]);
    const plan = computePlan(
      desired(ds, [task('risk', true)]),
      liveState(lives.slice(0, 2), [liveTask('risk', true)], [{ key: `${P}/audit-002`, message: 'instance is SHUTOFF' }]),
      { toolVersion: 't' },
    );
    const md = renderMarkdown(plan);
    expect(rows(md).map((r) => r.split(' | ')[0])).toEqual([`| \`${P}/audit-000\``]);
    // Not counted as unchanged: it is listed with its reason above the table.
    expect(md).toContain(`**Not planned:**\n\n- \`${P}/audit-002\`: instance is SHUTOFF`);
    expect(md).toMatch(/<sub>1 unchanged instance and 1 project with unchanged summary tasks not shown\.<\/sub>/);
  });

  it('no changes at all: no table, one line with the count', () => {
    const { ds, lives } = estate(5, []);
    const md = renderMarkdown(computePlan(desired(ds), liveState(lives), { toolVersion: 't' }));
    expect(md).not.toContain('| Target |');
    expect(md).toContain('**No changes.**\n\n5 unchanged instances not shown.\n');
  });
});
