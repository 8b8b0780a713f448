import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import type { Change, UpdateRuleChange } from '../../src/plan/types.js';
import { at, desired, instance, live, liveState, liveTask, P1, REGION, rule, task } from './builders.js';

const opts = { toolVersion: '0.1.0' };
const KEY = `${REGION}/${P1}/prod-audit`;
const kinds = (changes: readonly Change[]): string[] => changes.map((c) => `${c.kind}:${'rule' in c ? c.rule : ''}`);

describe('computePlan: rule changes', () => {
  it('plans nothing when live matches the policy', () => {
    const d = instance('prod-audit', { riskRules: [rule('a'), rule('b')] });
    const plan = computePlan(desired([d]), liveState([live(d, [{ id: 'id-a', name: 'a' }, { id: 'id-b', name: 'b' }])]), opts);
    expect(plan.changes).toEqual([]);
    expect(plan.errors).toEqual([]);
    expect(plan.targets).toEqual([
      { key: KEY, region: REGION, projectId: P1, instanceId: 'inst-prod-audit', instanceName: 'prod-audit' },
    ]);
  });

  it('creates a declared rule that is absent, with its full content and provenance', () => {
    const r = rule('truncate-in-prod', { actions: ['DROP_TABLE'], exceptionIps: ['10.0.0.5'], source: at(30) });
    const d = instance('prod-audit', { riskRules: [r] });
    const plan = computePlan(desired([d]), liveState([live(d)]), opts);
    expect(plan.changes).toHaveLength(1);
    const c = plan.changes[0]!;
    expect(c).toMatchObject({ kind: 'create', id: `${KEY}#create:truncate-in-prod`, target: KEY, rule: 'truncate-in-prod', source: at(30) });
    if (c.kind !== 'create') throw new Error('expected a create');
    const { source: _source, ...spec } = r;
    expect(c.after).toEqual(spec);
    expect(c.review.weakening).toBe(false);
  });

  it('updates a rule whose content differs, listing only the differing fields, desired lists in desired order', () => {
    const d = instance('prod-audit', {
      riskRules: [rule('drop', { riskLevel: 'HIGH', actions: ['DROP_TABLESPACE', 'DROP_TABLE'], dbIds: ['db2', 'db1'] })],
    });
    const l = live(d, [{ id: 'id-drop', name: 'drop', riskLevel: 'MEDIUM', actions: ['DROP_TABLE', 'DROP_TABLESPACE'], dbIds: ['db1', 'db2'] }]);
    const plan = computePlan(desired([d]), liveState([l]), opts);
    expect(kinds(plan.changes)).toEqual(['update:drop']);
    const u = plan.changes[0] as UpdateRuleChange;
    expect(u.ruleId).toBe('id-drop');
    expect(u.fields).toEqual([{ field: 'riskLevel', before: 'MEDIUM', after: 'HIGH' }]);
    expect(u.after.actions).toEqual(['DROP_TABLESPACE', 'DROP_TABLE']);
    expect(u.after.dbIds).toEqual(['db2', 'db1']);
    expect(u.before.riskLevel).toBe('MEDIUM');
    expect(u.review.weakening).toBe(false);
  });

  it('carries a status change inside an update instead of also switching the rule', () => {
    const d = instance('prod-audit', { riskRules: [rule('r', { riskLevel: 'LOW', status: 'OFF' })] });
    const l = live(d, [{ id: 'id-r', name: 'r', riskLevel: 'HIGH', status: 'ON' }]);
    const plan = computePlan(desired([d]), liveState([l]), opts);
    expect(kinds(plan.changes)).toEqual(['update:r']);
    const u = plan.changes[0] as UpdateRuleChange;
    expect(u.fields.map((f) => f.field)).toEqual(['riskLevel', 'status']);
    expect(u.after.status).toBe('OFF');
    expect(u.review).toEqual({ weakening: true, reasons: ['status ON → OFF', 'risk_level HIGH → LOW'] });
  });

  it('batches status-only differences into one ON and one OFF switch, system rules included, in name order', () => {
    const d = instance('prod-audit', {
      riskRules: [rule('z-on'), rule('a-on'), rule('m-off', { status: 'OFF' })],
      systemRules: [
        { name: 'Slow_SQL_detection', status: 'ON', source: at(3) },
        { name: 'Database_drag_detection', status: 'OFF', source: at(4) },
        { name: 'Batch_data_deletion_detection', status: 'ON', source: at(5) },
      ],
    });
    const l = live(
      d,
      [
        { id: 'id-z', name: 'z-on', status: 'OFF' },
        { id: 'id-a', name: 'a-on', status: 'OFF' },
        { id: 'id-m', name: 'm-off', status: 'ON' },
      ],
      { systemOff: ['Slow_SQL_detection'] },
    );
    const plan = computePlan(desired([d]), liveState([l]), opts);
    const switches = plan.changes.filter((c) => c.kind === 'switch');
    expect(switches).toHaveLength(2);
    const [on, off] = switches;
    expect(on).toMatchObject({ status: 'ON', id: `${KEY}#switch:ON`, review: { weakening: false } });
    expect(on?.kind === 'switch' && on.rules.map((r) => [r.name, r.system])).toEqual([
      ['Slow_SQL_detection', true],
      ['a-on', false],
      ['z-on', false],
    ]);
    expect(off).toMatchObject({ status: 'OFF' });
    expect(off?.kind === 'switch' && off.rules.map((r) => r.name)).toEqual(['Database_drag_detection', 'm-off']);
    expect(off?.review).toEqual({ weakening: true, reasons: ['Database_drag_detection turned OFF', 'm-off turned OFF'] });
    expect(plan.changes.filter((c) => c.kind !== 'switch')).toEqual([]);
  });

  it('deletes undeclared custom rules only with prune, never system rules; without prune it only notes them', () => {
    const pruned = instance('prod-audit', { prune: true, riskRules: [rule('keep')] });
    const kept = instance('staging-audit', { prune: false, riskRules: [rule('keep')] });
    const customs = [
      { id: 'id-keep', name: 'keep' },
      { id: 'id-old', name: 'legacy-export' },
    ];
    const plan = computePlan(desired([pruned, kept]), liveState([live(pruned, customs), live(kept, customs)]), opts);
    expect(plan.changes).toEqual([
      {
        id: `${KEY}#delete:legacy-export`,
        target: KEY,
        kind: 'delete',
        rule: 'legacy-export',
        ruleId: 'id-old',
        review: { weakening: true, reasons: ['rule deleted'] },
      },
    ]);
    expect(plan.notes).toEqual([
      { target: `${REGION}/${P1}/staging-audit`, rule: 'legacy-export', message: 'not declared; left alone (prune: false)' },
    ]);
  });

  it('reorders with the fewest moves, keeping the longest already-ordered run', () => {
    const d = instance('prod-audit', { riskRules: ['d', 'a', 'b', 'c'].map((n) => rule(n)) });
    const l = live(d, ['a', 'b', 'c', 'd'].map((n) => ({ id: `id-${n}`, name: n })));
    const plan = computePlan(desired([d]), liveState([l]), opts);
    expect(plan.changes).toEqual([
      {
        id: `${KEY}#reorder`,
        target: KEY,
        kind: 'reorder',
        order: ['d', 'a', 'b', 'c'],
        moves: ['d'],
        // Without creates the ranks read at plan time hold: apply issues exactly these calls.
        rankCalls: [{ id: 'id-d', newRank: 5 }], // after the four system rules
        review: { weakening: false, reasons: [] },
      },
    ]);
  });

  it('predicts moves with creates appended in declaration order, and re-checks order after any create', () => {
    const atEnd = instance('prod-audit', { riskRules: [rule('a'), rule('b'), rule('new')] });
    const atTop = instance('prod-audit', { riskRules: [rule('new'), rule('a'), rule('b')] });
    const alone = instance('prod-audit', { riskRules: [rule('new')] });
    const customs = [
      { id: 'id-a', name: 'a' },
      { id: 'id-b', name: 'b' },
    ];
    const end = computePlan(desired([atEnd]), liveState([live(atEnd, customs)]), opts).changes;
    expect(kinds(end)).toEqual(['create:new', 'reorder:']);
    expect(end[1]).toMatchObject({ order: ['a', 'b', 'new'], moves: [] });
    const top = computePlan(desired([atTop]), liveState([live(atTop, customs)]), opts).changes;
    expect(kinds(top)).toEqual(['create:new', 'reorder:']);
    expect(top[1]).toMatchObject({ moves: ['new'] });
    expect(kinds(computePlan(desired([alone]), liveState([live(alone, customs)]), opts).changes)).toEqual(['create:new']);
  });

  it('orders one instance\'s changes as apply runs them: update, switch, create, reorder, delete', () => {
    const d = instance('prod-audit', {
      prune: true,
      riskRules: [rule('b', { riskLevel: 'LOW' }), rule('new'), rule('a', { status: 'OFF' })],
    });
    const l = live(d, [
      { id: 'id-a', name: 'a' },
      { id: 'id-b', name: 'b' },
      { id: 'id-x', name: 'x' },
    ]);
    const plan = computePlan(desired([d]), liveState([l]), opts);
    expect(kinds(plan.changes)).toEqual(['update:b', 'switch:', 'create:new', 'reorder:', 'delete:x']);
  });
});

describe('computePlan: errors, tasks, selection, determinism', () => {
  it('turns read errors and ambiguous live state into per-instance errors and still plans the rest', () => {
    const ok = instance('ok', { riskRules: [rule('new')] });
    const unread = instance('unread');
    const noDetail = instance('no-detail', { riskRules: [rule('r')] });
    const dup = instance('dup', { riskRules: [rule('r')] });
    const noSys = instance('no-sys', { systemRules: [{ name: 'Not_a_system_rule', status: 'ON', source: at(2) }] });
    const off = instance('off');
    const missing = instance('missing');
    const dupLive = live(dup, [
      { id: 'id-1', name: 'r' },
      { id: 'id-2', name: 'r' },
    ]);
    const plan = computePlan(
      desired([ok, unread, noDetail, dup, noSys, off, missing]),
      liveState(
        [
          live(ok),
          live(noDetail, [{ id: 'id-r', name: 'r' }], { withoutDetail: ['r'] }),
          dupLive,
          live(noSys),
          live(off, [], { status: 'SHUTOFF' }),
        ],
        [],
        [{ key: `${REGION}/${P1}/unread`, message: 'no instance named unread in project' }],
      ),
      opts,
    );
    expect(kinds(plan.changes)).toEqual(['create:new']);
    expect(plan.targets.map((t) => t.key)).toEqual([`${REGION}/${P1}/ok`]);
    const byTarget = Object.fromEntries(plan.errors.map((e) => [e.target.split('/').pop(), e.message]));
    expect(byTarget).toEqual({
      unread: 'no instance named unread in project',
      'no-detail': 'the detail of custom rule r (id id-r) was not read',
      dup: '2 live custom rules are named r (ids id-1, id-2); cannot tell which one the policy means',
      'no-sys': 'no system rule Not_a_system_rule on instance no-sys; it has: Batch_data_deletion_detection, Batch_data_tampering_detection, Database_drag_detection, Slow_SQL_detection',
      off: 'instance off is SHUTOFF, not ACTIVE',
      missing: 'the instance was not read',
    });
  });

  it('plans summary tasks per project and busi type, switching off as weakening', () => {
    const plan = computePlan(
      desired([], [task('risk', true), task('audit', false, { source: at(44) })]),
      liveState([], [liveTask('risk', false), liveTask('audit', true)]),
      opts,
    );
    const key = `${REGION}/${P1}`;
    expect(plan.targets).toEqual([{ key, region: REGION, projectId: P1 }]);
    expect(plan.changes).toEqual([
      { id: `${key}#set-task:audit`, target: key, kind: 'set-task', busiType: 'audit', before: true, after: false, source: at(44), review: { weakening: true, reasons: ['audit summary task switched off'] } },
      { id: `${key}#set-task:risk`, target: key, kind: 'set-task', busiType: 'risk', before: false, after: true, source: at(40), review: { weakening: false, reasons: [] } },
    ]);
  });

  it('reports summary tasks that could not be read', () => {
    const plan = computePlan(
      desired([], [task('risk', true)]),
      liveState([], [], [{ key: `${REGION}/${P1}`, message: 'reading risk summary task: 403 forbidden' }]),
      opts,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.errors).toEqual([{ target: `${REGION}/${P1}`, message: 'reading risk summary task: 403 forbidden' }]);
  });

  it('selects instances by declared name, live name, id or key; their projects\' tasks only with summaryTasks', () => {
    const a = instance('a', { riskRules: [rule('new')] });
    const b = instance('b', { id: 'inst-id-b', riskRules: [rule('new')] });
    const other = task('risk', true, { projectId: 'otherproject' });
    const state = liveState([live(a), live(b, [], { name: 'bi-audit' })], [liveTask('risk', false)]);
    const plan = (instances: string[], summaryTasks = false): string[] =>
      computePlan(desired([a, b], [task('risk', true), other]), state, { ...opts, instances, summaryTasks }).changes.map((c) => c.id);
    expect(plan(['a'])).toEqual([`${REGION}/${P1}/a#create:new`]);
    expect(plan(['a'], true)).toEqual([`${REGION}/${P1}#set-task:risk`, `${REGION}/${P1}/a#create:new`]);
    expect(plan(['bi-audit'])).toEqual(plan(['inst-id-b']));
    expect(plan([`${REGION}/${P1}/id:inst-id-b`], true)).toEqual([`${REGION}/${P1}#set-task:risk`, `${REGION}/${P1}/id:inst-id-b#create:new`]);
    expect(plan([])).toContain(`${REGION}/${P1}#set-task:risk`);
    const none = computePlan(desired([a]), state, { ...opts, instances: ['nope'] });
    expect(none.changes).toEqual([]);
    expect(none.errors).toEqual([{ target: 'nope', message: '--instance nope matches no declared instance' }]);
  });

  it('gives the same plan whatever the declaration and read order', () => {
    const x = instance('x', { prune: true, riskRules: [rule('n1'), rule('n2')] });
    const y = instance('y', { riskRules: [rule('m', { status: 'OFF' })] });
    const lx = live(x, [{ id: 'id-q', name: 'q' }]);
    const ly = live(y, [{ id: 'id-m', name: 'm' }]);
    const tasks = [task('risk', true), task('audit', true)];
    const one = computePlan(desired([x, y], tasks), liveState([lx, ly], [liveTask('risk', false), liveTask('audit', false)]), opts);
    const two = computePlan(desired([y, x], [...tasks].reverse()), liveState([ly, lx], [liveTask('audit', false), liveTask('risk', false)]), opts);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.changes.map((c) => c.id)).toEqual([
      `${REGION}/${P1}#set-task:audit`,
      `${REGION}/${P1}#set-task:risk`,
      `${REGION}/${P1}/x#create:n1`,
      `${REGION}/${P1}/x#create:n2`,
      `${REGION}/${P1}/x#reorder`,
      `${REGION}/${P1}/x#delete:q`,
      `${REGION}/${P1}/y#switch:OFF`,
    ]);
  });
});
