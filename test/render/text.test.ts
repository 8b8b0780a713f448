import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { desired, instance, live, liveState, rule } from '../plan/builders.js';
import { demoPlan } from '../plan/demo-plan.js';

const lines = (plan: Plan): string[] => renderText(plan).split('\n');
const plan = (d: ReturnType<typeof instance>, customs: Parameters<typeof live>[1], opts: Parameters<typeof live>[2] = {}): Plan =>
  computePlan(desired([d]), liveState([live(d, customs, opts)]), { toolVersion: 't' });

describe('renderText', () => {
  it('shows every kind of change of the demo plan, Terraform-like, with provenance', () => {
    const out = lines(demoPlan());
    const P = 'cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    expect(out).toEqual(
      expect.arrayContaining([
        `${P}  summary tasks`,
        '  ~ summary task risk: off → on  (policies/payments/cn-north-4.yaml:60)',
        `${P}/prod-audit  instance prod-audit (5f2b7c0e9a1d4e3f8b6c2d1a0e9f8b7c)`,
        '  ~ update drop-table-in-prod  (policies/payments/cn-north-4.yaml:12)',
        '      risk_level: MEDIUM → HIGH',
        '      exception_ips: (write-only, not verifiable) → [10.0.0.5]',
        '  ± switch ON [Slow_SQL_detection (system)]',
        '  + create truncate-in-prod  (policies/payments/cn-north-4.yaml:36)',
        '      actions: [DROP_TABLE]',
        '      execution_time: GREATER 5000',
        '  ↕ reorder [drop-table-in-prod, bulk-delete-prod, grant-outside-dba, truncate-in-prod] (moving bulk-delete-prod)',
        '  - delete legacy-export  (weakening: rule deleted)',
        '  ! refused: prod-audit: 2 of 4 rules deleted or updated (1 deleted, 1 updated; 50% > 30%)',
        '  ± switch ON [drop-table-staging]',
        '  # temp-debug-select: not declared; left alone (prune: false)',
        'Not planned:',
        `  ! ${P}/gone-audit: no instance named gone-audit in the project`,
        'Plan: 1 to create, 1 to update, 1 to delete, 2 switches, 1 reorder, 1 task change.',
        '1 of 4 targets could not be read; nothing was planned for it.',
        'Refused: 1 safety limit exceeded; apply needs --force.',
      ]),
    );
    expect(out.indexOf('  ~ update drop-table-in-prod  (policies/payments/cn-north-4.yaml:12)')).toBeLessThan(out.indexOf('  - delete legacy-export  (weakening: rule deleted)'));
    expect(renderText(demoPlan())).not.toMatch(/\u001b\[/);
  });

  it('says "No changes." for an empty plan', () => {
    const d = instance('prod-audit', { riskRules: [rule('a')] });
    expect(renderText(plan(d, [{ id: 'id-a', name: 'a' }]))).toBe('No changes.\n');
  });

  it('never ends with "No changes." when targets could not be read or --instance matched nothing', () => {
    const d = instance('prod-audit', { riskRules: [rule('a')] });
    const e = instance('staging-audit', { riskRules: [rule('a')] });
    const state = liveState([live(d, [{ id: 'id-a', name: 'a' }])], [], [{ key: `${d.region}/${d.projectId}/staging-audit`, message: '403 forbidden' }]);
    const some = renderText(computePlan(desired([d, e]), state, { toolVersion: 't' }));
    expect(some).not.toContain('No changes.');
    expect(some.trimEnd().split('\n').at(-1)).toBe('1 of 2 targets could not be read; nothing was planned for it.');
    const all = liveState([], [], [d, e].map((x) => ({ key: `${x.region}/${x.projectId}/${x.ref.kind === 'name' ? x.ref.name : ''}`, message: 'HTTP 502' })));
    expect(renderText(computePlan(desired([d, e]), all, { toolVersion: 't' })).trimEnd().split('\n').at(-1)).toBe(
      '2 of 2 targets could not be read; nothing was planned for them.',
    );
    const none = renderText(computePlan(desired([d]), state, { toolVersion: 't', instances: ['nope', 'nada'] }));
    expect(none).not.toContain('No changes.');
    expect(none.trimEnd().split('\n').at(-1)).toBe('--instance "nada", "nope" matched no declared instance; nothing was planned for them.');
  });

  it('escapes an --instance argument in the closing line, in text and in the markdown heading', () => {
    const d = instance('prod-audit', { riskRules: [rule('a')] });
    const state = liveState([live(d, [{ id: 'id-a', name: 'a' }])]);
    const hostile = 'x\n## No changes. Safe to merge ![i](http://e/x)';
    const p = computePlan(desired([d]), state, { toolVersion: 't', instances: [hostile] });
    const text = renderText(p);
    expect(text).not.toMatch(/^## /m);
    expect(text.trimEnd().split('\n').at(-1)).toContain('x\\n## No changes.');
    const md = renderMarkdown(p);
    expect(md).not.toMatch(/^## No changes/m);
    // The heading escapes it; elsewhere it stands only inside inline code, where nothing renders.
    expect(md.split('\n')[2]).toContain('Safe to merge \\!\\[i\\]\\(http://e/x\\)');
    expect(md.split('\n').filter((l) => l.includes('![i](http')).every((l) => /`[^`]*!\[i\]\(http[^`]*`/.test(l))).toBe(true);
  });

  it('counts like Terraform: rules switched, plural forms', () => {
    const d = instance('prod-audit', {
      prune: true,
      riskRules: [rule('n1'), rule('n2'), rule('n3'), rule('u1', { riskLevel: 'LOW' }), rule('u2', { riskLevel: 'LOW' }), rule('s1'), rule('s2')],
      systemRules: [
        { name: 'Slow_SQL_detection', status: 'OFF', source: rule('x').source },
        { name: 'Database_drag_detection', status: 'OFF', source: rule('x').source },
      ],
    });
    const customs = ['u1', 'u2', 's1', 's2', 'gone'].map((n) => ({ id: `id-${n}`, name: n, status: n.startsWith('s') ? ('OFF' as const) : ('ON' as const) }));
    expect(lines(plan(d, customs)).at(-2)).toBe('Plan: 3 to create, 2 to update, 1 to delete, 4 switches, 1 reorder.');
  });

  it('marks weakening updates with their reasons', () => {
    const d = instance('prod-audit', { riskRules: [rule('r', { riskLevel: 'LOW', affectRows: { symbol: 'GREATER', value: 5000 } })] });
    const out = lines(plan(d, [{ id: 'id-r', name: 'r', affectRows: { symbol: 'GREATER', value: 1000 } }]));
    expect(out[1]).toBe('  ~ update r  (policies/payments/cn-north-4.yaml:10)  (weakening: risk_level HIGH → LOW; affect_rows GREATER 1000 → GREATER 5000)');
    expect(out.slice(2, 4)).toEqual(['      risk_level: HIGH → LOW', '      affect_rows: GREATER 1000 → GREATER 5000']);
  });

  it('shows long lists as a unified diff of their sorted entries', () => {
    const ips = (n: number[]): string[] => n.map((i) => `10.0.0.${i}`);
    const d = instance('prod-audit', { riskRules: [rule('r', { clientIps: ips([7, 1, 2, 3, 4, 5]) })] });
    const out = lines(plan(d, [{ id: 'id-r', name: 'r', clientIps: ips([1, 2, 3, 4, 5, 6]) }]));
    expect(out.slice(2, 9)).toEqual([
      '      client_ips:',
      '        @@ -4,3 +4,3 @@',
      '         10.0.0.4',
      '         10.0.0.5',
      '        -10.0.0.6',
      '        +10.0.0.7',
      '',
    ]);
    const short = instance('prod-audit', { riskRules: [rule('r', { clientIps: ips([1, 3]) })] });
    expect(lines(plan(short, [{ id: 'id-r', name: 'r', clientIps: ips([1, 2]) }]))[2]).toBe('      client_ips: [10.0.0.1, 10.0.0.2] → [10.0.0.1, 10.0.0.3]');
  });

  it('colours with ANSI only when asked, without changing the text', () => {
    const coloured = renderText(demoPlan(), { color: true });
    expect(coloured).toMatch(/\u001b\[32m\+ create truncate-in-prod\u001b\[0m/);
    expect(coloured).toMatch(/\u001b\[1;31m {2}\(weakening: rule deleted\)\u001b\[0m/);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderText(demoPlan()));
  });
});
