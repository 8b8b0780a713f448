import { describe, expect, it } from 'vitest';
import type { LiveKind, LiveObject } from '../../../src/kinds/kind.js';
import { masking } from '../../../src/kinds/masking/index.js';
import { declare } from './helpers.js';

/** Planning masking (pure): weakening, what is not judged, problems, export round trip, checks. */

const custom = (id: string, key: string, regex: string, maskValue: string, status: 'ON' | 'OFF' = 'ON'): LiveObject => ({ id, key, builtIn: false, spec: { regex, mask_value: maskValue, status } });
const builtIn = (id: string, key: string, status: 'ON' | 'OFF'): LiveObject => ({ id, key, builtIn: true, spec: { status } });

const LIVE: LiveKind = {
  settings: { masking: 'ON', result_set_storage: 'OFF' },
  objects: [builtIn('b000000000000001', 'Bank card number', 'ON'), custom('c000000000000001', 'phone', '1\\d{10}', '1**********'), custom('c000000000000002', 'email', '\\S+@\\S+', '***')],
  observations: [],
};

const weakenings = (p: ReturnType<typeof masking.plan>) => p.changes.flatMap((c) => c.weakening ?? []);

describe('what weakens masking', () => {
  it('masking OFF, result-set storage ON, a rule deleted or switched OFF (built in or custom) are weakenings', () => {
    const p = masking.plan(
      declare({ masking: 'OFF', result_set_storage: 'ON', mask_rules: [{ name: 'phone', regex: '1\\d{10}', mask_value: '1**********', status: 'OFF' }], system_mask_rules: { 'Bank card number': 'OFF' } }, true),
      LIVE,
    );
    expect(p.problems).toEqual([]);
    expect(weakenings(p).sort()).toEqual(
      [
        'privacy masking switched OFF (sensitive values are stored unmasked)',
        'result-set storage switched ON (PCI DSS and 3DS require it OFF)',
        'mask rule "Bank card number" switched OFF',
        'mask rule "phone" switched OFF',
        'mask rule "email" deleted',
      ].sort(),
    );
  });

  it('masking ON, result-set storage OFF, a rule created or switched ON are not', () => {
    const live: LiveKind = { ...LIVE, settings: { masking: 'OFF', result_set_storage: 'ON' }, objects: [builtIn('b000000000000001', 'Bank card number', 'OFF')] };
    const p = masking.plan(declare({ masking: 'ON', result_set_storage: 'OFF', mask_rules: [{ name: 'n', regex: 'a', mask_value: 'b' }], system_mask_rules: { 'Bank card number': 'ON' } }), live);
    expect(p.changes.map((c) => c.op).sort()).toEqual(['create', 'set', 'set', 'switch']);
    expect(weakenings(p)).toEqual([]);
  });

  it('a changed regex is shown as changed and not judged; the status stays a switch of its own', () => {
    const p = masking.plan(declare({ mask_rules: [{ name: 'email', regex: '[a-z]+@example\\.com', mask_value: '***', status: 'OFF' }, { name: 'phone', regex: '1\\d{10}', mask_value: '1**' }] }), LIVE);
    expect(p.changes.map((c) => [c.op, c.subject, c.fields, c.weakening])).toEqual([
      ['update', 'email', [{ field: 'regex', before: '\\S+@\\S+', after: '[a-z]+@example\\.com' }], []],
      ['update', 'phone', [{ field: 'mask_value', before: '1**********', after: '1**' }], []],
      ['switch', 'OFF', [{ field: 'email', before: 'ON', after: 'OFF' }], ['mask rule "email" switched OFF']],
    ]);
    expect(p.notes).toEqual(['mask rule "email": regex changed; whether it now masks less cannot be told, so it is not judged']);
  });

  it('without prune, undeclared rules are left alone and said; a setting not read is set', () => {
    const p = masking.plan(declare({ masking: 'ON', mask_rules: [{ name: 'phone', regex: '1\\d{10}', mask_value: '1**********' }] }), { ...LIVE, settings: {} });
    expect(p.changes.map((c) => [c.op, c.subject, c.fields])).toEqual([['set', 'masking', [{ field: 'masking', after: 'ON' }]]]);
    expect(p.notes).toEqual(['1 mask rule not declared, left alone (prune: false): email']);
  });

  it('a custom rule named like a built-in one, a switched name no built-in rule has, a name listed twice: problems, nothing changed', () => {
    const twice: LiveKind = { ...LIVE, objects: [...LIVE.objects, custom('c000000000000003', 'email', 'x', 'y')] };
    expect(masking.plan(declare({ mask_rules: [{ name: 'Bank card number', regex: 'a', mask_value: 'b' }] }), LIVE).problems).toEqual([
      'mask rule "Bank card number" is declared as a custom one, but a built-in mask rule has that name (built-in ones can only be switched)',
    ]);
    expect(masking.plan(declare({ system_mask_rules: { 'Bank card': 'OFF' } }), LIVE).problems).toEqual(['no built-in mask rule is named "Bank card" (listed: Bank card number)']);
    expect(masking.plan(declare({ mask_rules: [{ name: 'email', regex: 'x', mask_value: 'y' }] }), twice).problems).toEqual([
      '2 mask rules are listed as "email" (ids c000000000000002, c000000000000003): which one the entry means cannot be told; none is changed',
    ]);
  });

  it('declaring only the switches plans no rule (and notes none)', () => {
    const p = masking.plan(declare({ masking: 'ON' }, true), LIVE);
    expect(p).toEqual({ changes: [], notes: [], problems: [] });
  });
});

describe('export', () => {
  it('writes the switches, the custom rules and the built-in switches; planning them against the same state changes nothing', () => {
    const exported = masking.export(LIVE);
    expect(exported).toEqual({
      masking: 'ON',
      result_set_storage: 'OFF',
      mask_rules: [
        { name: 'phone', regex: '1\\d{10}', mask_value: '1**********', status: 'ON' },
        { name: 'email', regex: '\\S+@\\S+', mask_value: '***', status: 'ON' },
      ],
      system_mask_rules: { 'Bank card number': 'ON' },
    });
    expect(masking.plan(declare(exported as never, true), LIVE)).toEqual({ changes: [], notes: [], problems: [] });
  });

  it('writes nothing for an instance with nothing read', () => {
    expect(masking.export({ settings: {}, objects: [], observations: [] })).toEqual({});
  });
});

describe('checks the schema cannot make', () => {
  it('a name declared twice, a regex that does not compile, a name also switched as built in', () => {
    const findings = masking.check!({
      mask_rules: [
        { name: 'a', regex: '(', mask_value: '*' },
        { name: 'a', regex: 'ok', mask_value: '*' },
        { name: 'Email address', regex: 'x', mask_value: '*' },
      ],
      system_mask_rules: { 'Email address': 'ON' },
    });
    expect(findings.map((f) => [f.path.join('.'), f.message.replace(/\(Invalid.*\)/, '(…)')])).toEqual([
      ['mask_rules.0.regex', "the regex does not compile as a JavaScript regular expression (…); DBSS's own dialect is not documented and may differ"],
      ['mask_rules.1.name', 'mask rule "a" is declared twice (also mask_rules[0])'],
      ['mask_rules.2.name', '"Email address" is also switched in system_mask_rules: one name cannot be a custom and a built-in mask rule'],
    ]);
  });

  it("an entry's own rule replaces its rule set's of the same name; prune applies when some place declares mask_rules", () => {
    const at = () => ({ file: 'f.yaml', line: 1, col: 1 });
    const d = masking.desired(
      [
        { values: { mask_rules: [{ name: 'a', regex: 'set', mask_value: '*' }], masking: 'OFF' }, at, ruleSet: { name: 'pci', appliedAt: at() } },
        { values: { mask_rules: [{ name: 'a', regex: 'own', mask_value: '#', status: 'OFF' }], masking: 'ON' }, at },
      ],
      true,
    )!;
    expect(d.objects.map((o) => [o.key, o.spec])).toEqual([['a', { regex: 'own', mask_value: '#', status: 'OFF' }]]);
    expect(d.settings['masking']?.value).toBe('ON');
    expect(d.prune).toBe(true);
  });
});
