import { describe, expect, it } from 'vitest';
import type { LiveInstance, LiveSelectorMatch, LiveState } from '../../src/live/types.js';
import type { LiveRuleDetail } from '../../src/live/types.js';
import { desiredHash, liveFingerprint } from '../../src/plan/fingerprint.js';
import type { DesiredSelector, DesiredState } from '../../src/policy/types.js';
import { P1, REGION, at, desired, instance, live, liveState, liveTask, rule, task } from './builders.js';

/**
 * Every piece of live state the planner reads must be in the live fingerprint, or a saved plan
 * made before it drifted would still be applied; and nothing whose order carries no meaning may
 * be, or an unchanged estate read in another order would refuse every saved plan.
 */

const a = instance('a', { riskRules: [rule('r1'), rule('r2')] });
const b = instance('b');
const content = {
  actions: ['GRANT', 'REVOKE'],
  dbIds: ['db1', 'db2'],
  clientIps: ['10.0.0.0/8', '2001:db8::1'],
  schemas: [{ schema: 'finance', table: 'ledger', column: 'pan' }, { schema: 'hr' }],
  affectRows: { symbol: 'GREATER' as const, value: 10 },
  executionTime: { symbol: 'LESS' as const, value: 500 },
  ignoreCase: true,
};
const full = { id: 'id-r2', name: 'r2', ...content };
const sel: LiveSelectorMatch = {
  key: `${REGION}/${P1}/match:bi-*`,
  region: REGION,
  projectId: P1,
  matched: [{ name: 'bi-1', id: 'inst-bi-1' }],
  skipped: [],
};
const base = (): LiveState => ({
  ...liveState([live(a, [{ id: 'id-r1', name: 'r1' }, full]), live(b)], [liveTask('risk', true), liveTask('audit', false)], [{ key: `${REGION}/${P1}/c`, message: 'x' }]),
  selectors: [sel],
});

const onInstance = (key: string, f: (i: LiveInstance) => LiveInstance) => (s: LiveState): LiveState => ({
  ...s,
  instances: s.instances.map((i) => (i.key === `${REGION}/${P1}/${key}` ? f(i) : i)),
});
const onRule = (name: string, f: (r: LiveInstance['rules'][number]) => LiveInstance['rules'][number]) =>
  onInstance('a', (i) => ({ ...i, rules: i.rules.map((r) => (r.name === name ? f(r) : r)) }));
const onDetail = (id: string, over: Partial<LiveRuleDetail>) =>
  onInstance('a', (i) => ({ ...i, details: { ...i.details, [id]: { ...i.details[id]!, ...over } } }));
const withoutDetailField = (id: string, field: keyof LiveRuleDetail) =>
  onInstance('a', (i) => {
    const { [field]: _gone, ...rest } = i.details[id]!;
    return { ...i, details: { ...i.details, [id]: rest as LiveRuleDetail } };
  });

const fp = (s: LiveState, d?: DesiredState): string => liveFingerprint(s, d);

describe('liveFingerprint: what makes a saved plan stale', () => {
  it.each<[string, (s: LiveState) => LiveState]>([
    ['the instance id (recreated under the same name)', onInstance('a', (i) => ({ ...i, id: 'inst-a2' }))],
    ['the instance name', onInstance('b', (i) => ({ ...i, name: 'b-renamed' }))],
    ['the instance status', onInstance('a', (i) => ({ ...i, status: 'SHUTOFF' }))],
    ['a rule id', onRule('r1', (r) => ({ ...r, id: 'id-r1-new' }))],
    ['a rule name', onRule('r1', (r) => ({ ...r, name: 'r1-renamed' }))],
    ['a rule type', onRule('r1', (r) => ({ ...r, ruleType: 'UNKNOWN' }))],
    ['a listed status', onRule('r1', (r) => ({ ...r, status: 'OFF' }))],
    ['a listed risk level', onRule('r1', (r) => ({ ...r, riskLevel: 'LOW' }))],
    ['a detail no longer read', onInstance('a', (i) => ({ ...i, details: { 'id-r1': i.details['id-r1']! } }))],
    ['the risk level shown', onDetail('id-r2', { riskLevel: 'MEDIUM' })],
    ['the status shown', onDetail('id-r2', { status: 'OFF' })],
    ['the affect_rows symbol', onDetail('id-r2', { affectRows: { symbol: 'GREATER_EQUAL', value: 10 } })],
    ['the affect_rows value', onDetail('id-r2', { affectRows: { symbol: 'GREATER', value: 11 } })],
    ['the execution_time symbol', onDetail('id-r2', { executionTime: { symbol: 'LESS_EQUAL', value: 500 } })],
    ['the execution_time value', onDetail('id-r2', { executionTime: { symbol: 'LESS', value: 501 } })],
    ['ignore_case', onDetail('id-r2', { ignoreCase: false })],
    ['an action', onDetail('id-r2', { actions: ['GRANT'] })],
    ['a database id', onDetail('id-r2', { dbIds: ['db1', 'db3'] })],
    ['a client IP', onDetail('id-r2', { clientIps: ['10.0.0.0/8', '2001:db8::2'] })],
    ['a schema target schema', onDetail('id-r2', { schemas: [{ schema: 'finance2', table: 'ledger', column: 'pan' }, { schema: 'hr' }] })],
    ['a schema target table', onDetail('id-r2', { schemas: [{ schema: 'finance', table: 'ledger2', column: 'pan' }, { schema: 'hr' }] })],
    ['a schema target column', onDetail('id-r2', { schemas: [{ schema: 'finance', table: 'ledger', column: 'iban' }, { schema: 'hr' }] })],
    ['a schema target narrowed', onDetail('id-r2', { schemas: [{ schema: 'finance', table: 'ledger', column: 'pan' }, { schema: 'hr', table: 'staff' }] })],
    ['a schema target dropped', onDetail('id-r2', { schemas: [{ schema: 'hr' }] })],
    ['a schema part moved to another part', onDetail('id-r2', { schemas: [{ schema: 'financeledger', column: 'pan' }, { schema: 'hr' }] })],
    ['a threshold no longer shown', withoutDetailField('id-r2', 'affectRows')],
    ['a task switched', (s) => ({ ...s, summaryTasks: [liveTask('risk', true), liveTask('audit', true)] })],
    ['a task switch no longer readable', (s) => ({ ...s, summaryTasks: [liveTask('risk', true), { ...liveTask('audit', false), enabled: undefined }] })],
    ['a task switch read again', (s) => ({ ...s, summaryTasks: [{ ...liveTask('risk', true), enabled: undefined }, liveTask('audit', false)] })],
    ['a task read for another project', (s) => ({ ...s, summaryTasks: [...s.summaryTasks, { ...liveTask('risk', true), projectId: 'p2' }] })],
    ['another key unreadable', (s) => ({ ...s, errors: [...s.errors, { key: `${REGION}/${P1}`, message: 'y' }] })],
    ['a key readable again', (s) => ({ ...s, errors: [] })],
    ['an instance a selector matched', (s) => ({ ...s, selectors: [{ ...sel, matched: [{ name: 'bi-1', id: 'inst-bi-1' }, { name: 'bi-2', id: 'inst-bi-2' }] }] })],
    ['the id of a matched instance', (s) => ({ ...s, selectors: [{ ...sel, matched: [{ name: 'bi-1', id: 'inst-bi-1b' }] }] })],
    ['the name of a matched instance', (s) => ({ ...s, selectors: [{ ...sel, matched: [{ name: 'bi-1b', id: 'inst-bi-1' }] }] })],
    ['a selector whose project cannot be listed', (s) => ({ ...s, selectors: [{ ...sel, error: '403' }] })],
    ['a selector that matches nothing', (s) => ({ ...s, selectors: [{ ...sel, matched: [] }] })],
    ['another selector', (s) => ({ ...s, selectors: [sel, { ...sel, key: `${REGION}/${P1}/match:x-*`, matched: [] }] })],
    ['no selectors at all', (s) => ({ ...s, selectors: undefined })],
  ])('changes with %s', (_what, change) => {
    expect(fp(change(base()))).not.toBe(fp(base()));
  });

  it.each<[string, (s: LiveState) => LiveState]>([
    ['instances, rules and details read in another order', (s) => ({
      ...s,
      instances: [...s.instances].reverse().map((i) => ({ ...i, rules: [...i.rules].reverse(), details: Object.fromEntries(Object.entries(i.details).reverse()) })),
    })],
    ['set-like lists of a detail in another order', onDetail('id-r2', { actions: ['REVOKE', 'GRANT'], dbIds: ['db2', 'db1'], schemas: [{ schema: 'hr' }, { schema: 'finance', table: 'ledger', column: 'pan' }] })],
    ['client IPs spelled another way', onDetail('id-r2', { clientIps: ['2001:DB8:0::1', '10.0.0.0/8'] })],
    ['tasks, errors and selectors in another order, an error reported twice', (s) => ({
      ...s,
      summaryTasks: [...s.summaryTasks].reverse(),
      errors: [{ key: `${REGION}/${P1}`, message: 'y' }, ...s.errors, { key: `${REGION}/${P1}/c`, message: 'again' }],
      selectors: [{ ...sel, key: `${REGION}/${P1}/match:x-*`, matched: [] }, sel],
    })],
  ])('does not change with %s', (_what, change) => {
    const withProjectError = (s: LiveState): LiveState => ({ ...s, errors: [{ key: `${REGION}/${P1}/c`, message: 'x' }, { key: `${REGION}/${P1}`, message: 'y' }] });
    const withTwoSelectors = (s: LiveState): LiveState => ({ ...s, selectors: [sel, { ...sel, key: `${REGION}/${P1}/match:x-*`, matched: [] }] });
    const reference = withTwoSelectors(withProjectError(base()));
    expect(fp(change(reference))).toBe(fp(reference));
  });

  it('reads lists a show answer left out as empty, and tells absent thresholds from the default', () => {
    let bare = base();
    for (const f of ['affectRows', 'executionTime', 'actions', 'dbIds', 'clientIps', 'schemas'] as const) bare = withoutDetailField('id-r2', f)(bare);
    const empty = onDetail('id-r2', { actions: [], dbIds: [], clientIps: [], schemas: [] });
    expect(fp(bare)).toBe(fp(empty(withoutDetailField('id-r2', 'executionTime')(withoutDetailField('id-r2', 'affectRows')(base())))));
    const defaults = onDetail('id-r2', { affectRows: { symbol: 'GREATER_EQUAL', value: 0 }, executionTime: { symbol: 'GREATER_EQUAL', value: 0 } });
    expect(fp(bare)).not.toBe(fp(defaults(bare)));
  });

  it('reads an absent schema part as empty, as the planner does', () => {
    const parts = (schemas: LiveRuleDetail['schemas']) => fp(onDetail('id-r2', { schemas })(base()));
    expect(parts([{ table: 't' }, { schema: 'f', column: 'c' }])).toBe(parts([{ schema: '', table: 't', column: '' }, { schema: 'f', table: '', column: 'c' }]));
    expect(parts([{ table: 't' }])).not.toBe(parts([{ schema: 't' }]));
  });

  it('with the desired state, counts the declared scope only', () => {
    const scope = desired([a], [task('risk', true)]);
    const inScope: [string, (s: LiveState) => LiveState][] = [
      ['the declared instance', onInstance('a', (i) => ({ ...i, status: 'SHUTOFF' }))],
      ['the declared task', (s) => ({ ...s, summaryTasks: [liveTask('risk', false), liveTask('audit', false)] })],
      ['the declared instance unreadable', (s) => ({ ...s, errors: [...s.errors, { key: a.region + '/' + a.projectId + '/a', message: 'z' }] })],
      ['its project unreadable', (s) => ({ ...s, errors: [...s.errors, { key: `${REGION}/${P1}`, message: 'z' }] })],
      ['a selector', (s) => ({ ...s, selectors: [{ ...sel, error: '403' }] })],
    ];
    for (const [what, change] of inScope) expect(fp(change(base()), scope), what).not.toBe(fp(base(), scope));
    const outOfScope: [string, (s: LiveState) => LiveState][] = [
      ['an undeclared instance', onInstance('b', (i) => ({ ...i, status: 'SHUTOFF' }))],
      ['an undeclared task', (s) => ({ ...s, summaryTasks: [liveTask('risk', true), liveTask('audit', true)] })],
      ['an undeclared instance unreadable', (s) => ({ ...s, errors: [] })],
      ['another project unreadable', (s) => ({ ...s, errors: [...s.errors, { key: `${REGION}/p2`, message: 'z' }] })],
      ['a selector match that is not planned', (s) => ({ ...s, selectors: [{ ...sel, matched: [...sel.matched, { name: 'bi-2', id: 'i2' }] }] })],
    ];
    for (const [what, change] of outOfScope) expect(fp(change(base()), scope), what).toBe(fp(base(), scope));
  });

  it('with the desired state, counts what a selector matched that is planned', () => {
    const bi = { ...instance('bi-1'), selector: 'bi-*' };
    const scope = desired([a, bi]);
    const rematched = (s: LiveState): LiveState => ({ ...s, selectors: [{ ...sel, matched: [{ name: 'bi-1', id: 'inst-bi-1-new' }] }] });
    expect(fp(rematched(base()), scope)).not.toBe(fp(base(), scope));
  });

  it('with a desired state of tasks only, counts the tasks\' project as in scope', () => {
    const scope = desired([], [task('risk', true)]);
    const unreadable = (s: LiveState): LiveState => ({ ...s, errors: [{ key: `${REGION}/${P1}`, message: 'z' }] });
    expect(fp(unreadable(base()), scope)).not.toBe(fp(base(), scope));
    expect(fp({ ...base(), errors: [] }, scope)).toBe(fp(base(), scope));
  });

  it('is the same on every machine and in every version that reads saved plans (pinned format)', () => {
    // A plan saved in CI is applied elsewhere, maybe by another build: the fingerprint must come
    // from the documented data alone. A deliberate format change updates these values.
    expect(fp(base())).toBe(PINNED_LIVE);
    expect(fp({ ...base(), selectors: undefined, summaryTasks: [{ ...liveTask('risk', true), enabled: undefined }] })).toBe(PINNED_LIVE_NO_SELECTORS);
  });
});

describe('desiredHash: what makes a saved plan stale', () => {
  const s: DesiredSelector = {
    region: REGION,
    projectId: P1,
    pattern: 'bi-*',
    prune: false,
    systemRules: [],
    riskRules: [rule('x')],
    source: at(30),
  };
  const a2 = instance('a', {
    systemRules: [
      { name: 'Slow_SQL_detection', status: 'ON', source: at(2) },
      { name: 'Database_drag_detection', status: 'OFF', source: at(3) },
    ],
    riskRules: [rule('r1', content), rule('r2')],
  });
  const d = (): DesiredState => ({ ...desired([a2, b], [task('risk', true)]), selectors: [s] });
  const onRisk = (over: object) => (x: DesiredState): DesiredState => ({
    ...x,
    instances: x.instances.map((i) => (i === a2 ? { ...i, riskRules: [{ ...i.riskRules[0]!, ...over }, i.riskRules[1]!] } : i)),
  });

  it.each<[string, (x: DesiredState) => DesiredState]>([
    ['a system rule switch', (x) => ({ ...x, instances: [{ ...a2, systemRules: [a2.systemRules[0]!, { ...a2.systemRules[1]!, status: 'ON' }] }, b] })],
    ['a system rule no longer declared', (x) => ({ ...x, instances: [{ ...a2, systemRules: [a2.systemRules[0]!] }, b] })],
    ['a rule name', onRisk({ name: 'r1b' })],
    ['a risk level', onRisk({ riskLevel: 'LOW' })],
    ['a status', onRisk({ status: 'OFF' })],
    ['an affect_rows symbol', onRisk({ affectRows: { symbol: 'GREATER_EQUAL', value: 10 } })],
    ['an affect_rows value', onRisk({ affectRows: { symbol: 'GREATER', value: 11 } })],
    ['an execution_time symbol', onRisk({ executionTime: { symbol: 'LESS_EQUAL', value: 500 } })],
    ['an execution_time value', onRisk({ executionTime: { symbol: 'LESS', value: 501 } })],
    ['ignore_case', onRisk({ ignoreCase: false })],
    ['actions', onRisk({ actions: ['GRANT'] })],
    ['db_ids', onRisk({ dbIds: ['db1'] })],
    ['client_ips', onRisk({ clientIps: ['10.0.0.0/8'] })],
    ['exception_ips', onRisk({ exceptionIps: ['10.1.0.0/16'] })],
    ['a schema column', onRisk({ schemas: [{ schema: 'finance', table: 'ledger' }, { schema: 'hr' }] })],
    ['a schema part moved', onRisk({ schemas: [{ schema: 'financeledger', column: 'pan' }, { schema: 'hr' }] })],
    ['an instance declared by another name', (x) => ({ ...x, instances: [a2, instance('b2')] })],
    ['a selector glob', (x) => ({ ...x, selectors: [{ ...s, pattern: 'bi-?' }] })],
    ['a selector\'s rules', (x) => ({ ...x, selectors: [{ ...s, riskRules: [rule('x', { riskLevel: 'LOW' })] }] })],
    ['a selector\'s prune', (x) => ({ ...x, selectors: [{ ...s, prune: true }] })],
    ['a selector that became an entry by name', (x) => ({ ...x, selectors: [], instances: [...x.instances, { ...instance('bi-*'), riskRules: [rule('x')] }] })],
    ['a task declared for another type', (x) => ({ ...x, summaryTasks: [task('audit', true)] })],
  ])('changes with %s', (_what, change) => {
    expect(desiredHash(change(d()))).not.toBe(desiredHash(d()));
  });

  it('ignores system rule order, instance order, task order and what selectors resolved to', () => {
    const reordered: DesiredState = {
      ...d(),
      instances: [b, { ...a2, systemRules: [...a2.systemRules].reverse() }, { ...instance('bi-1'), selector: 'bi-*', riskRules: [rule('x')] }],
      summaryTasks: [task('audit', false), task('risk', true)],
    };
    const withAudit: DesiredState = { ...d(), summaryTasks: [task('risk', true), task('audit', false)] };
    expect(desiredHash(reordered)).toBe(desiredHash(withAudit));
  });

  it('is pinned like the live fingerprint', () => {
    expect(desiredHash(d())).toBe(PINNED_DESIRED);
  });
});

const PINNED_LIVE = '6f880648fbbeed2d8019cbaf6406673c24fc60706c1970be065d5e775c9aff70';
const PINNED_LIVE_NO_SELECTORS = '43f2014b21ce4de7a99d8b76298a5af2d3062daee199092b5f3e3a667b7e9d2c';
const PINNED_DESIRED = 'f149aca72f228f4c45924153ffffd100411ed94efd17c80e7b6a09bc0dc21f9d';
