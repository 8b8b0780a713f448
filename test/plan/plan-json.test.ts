import { beforeEach, describe, expect, it } from 'vitest';
import { DbssPolicyError } from '../../src/errors.js';
import { parsePlan, serializePlan } from '../../src/plan/plan-json.js';
import type { Plan } from '../../src/plan/types.js';
import { demoPlan } from './demo-plan.js';
import { ruleSetPlan } from './rule-set-plan.js';

// Built per test, not at import: planner code run at import time would count for no test, and
// `npm run mutate` would then run every test against each of its mutants.
let plan: Plan;
let json: string;
beforeEach(() => {
  plan = demoPlan();
  json = serializePlan(plan);
});
const edited = (f: (p: Record<string, any>) => void): string => {
  const p = JSON.parse(json) as Record<string, any>;
  f(p);
  return JSON.stringify(p);
};
const failure = (text: string): DbssPolicyError => {
  try {
    parsePlan(text, 'plan.json');
  } catch (err) {
    if (err instanceof DbssPolicyError) return err;
    throw err;
  }
  throw new Error('parsePlan accepted the text');
};

describe('plan JSON', () => {
  it('round-trips a plan with every change kind', () => {
    expect(new Set(plan.changes.map((c) => c.kind))).toEqual(new Set(['create', 'update', 'delete', 'switch', 'reorder', 'set-task']));
    expect(plan.notes.length + plan.errors.length + plan.refusals.length).toBeGreaterThanOrEqual(3);
    expect(parsePlan(json, 'plan.json')).toEqual(plan);
    expect(serializePlan(parsePlan(json))).toBe(json);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('round-trips rule provenance and instance selectors', () => {
    const withSets = ruleSetPlan();
    const text = serializePlan(withSets);
    expect(parsePlan(text, 'plan.json')).toEqual(withSets);
    const data = JSON.parse(text) as { selectors: { matched: string[] }[]; changes: { source?: { ruleSet?: string; overriddenAt?: unknown } }[]; targets: { selector?: string }[] };
    expect(data.selectors.map((x) => x.matched)).toEqual([[], ['prod-a', 'prod-b']]);
    expect(data.changes.filter((c) => c.source?.ruleSet === 'baseline').length).toBeGreaterThanOrEqual(3);
    expect(data.changes.some((c) => c.source?.overriddenAt !== undefined)).toBe(true);
    expect(data.targets.filter((t) => t.selector === 'prod-*')).toHaveLength(2);
  });

  it('refuses malformed provenance and selectors, with the path', () => {
    const bad = (edit: (p: Record<string, any>) => void): DbssPolicyError => {
      const p = JSON.parse(serializePlan(ruleSetPlan())) as Record<string, any>;
      edit(p);
      return failure(JSON.stringify(p));
    };
    const provenanced = (p: Record<string, any>) => p['changes'].find((c: any) => c.source?.appliedAt);
    expect(bad((p) => (provenanced(p).source.appliedAt = { file: 'x.yaml' })).message).toMatch(/\/source\/appliedAt must have required property 'line'/);
    expect(bad((p) => (provenanced(p).source.ruleSet = '')).message).toMatch(/\/source\/ruleSet must NOT have fewer than 1 characters/);
    expect(bad((p) => (p['selectors'][1].matched = 'prod-a')).message).toMatch(/\/selectors\/1\/matched must be array/);
    expect(bad((p) => delete p['selectors']).message).toMatch(/must have required property 'selectors'/);
  });

  it('accepts live values in whatever spelling the API returned', () => {
    const text = edited((p) => (p['changes'].find((c: any) => c.kind === 'update').before.riskLevel = 'Moderate'));
    expect(parsePlan(text).changes.find((c) => c.kind === 'update')).toMatchObject({ before: { riskLevel: 'Moderate' } });
  });

  it('refuses another format version, naming the file and both versions', () => {
    const e = failure(edited((p) => (p['formatVersion'] = 2)));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe('plan.json: unsupported plan format (formatVersion 2); this dbss-policy reads formatVersion 1, re-run plan --out with it');
    expect(failure(edited((p) => delete p['formatVersion'])).message).toMatch(/\(no formatVersion\)/);
  });

  it('refuses text that is not a JSON object', () => {
    expect(failure('{"formatVersion": 1,').message).toMatch(/^plan\.json: not a dbss-policy plan: invalid JSON/);
    expect(failure('[1]').message).toBe('plan.json: not a dbss-policy plan: expected a JSON object');
  });

  it.each([
    ['an unknown change kind', (p: Record<string, any>) => (p['changes'][0].kind = 'rename'), /\/changes\/0\/kind must be one of: create, update, delete, switch, reorder, set-task/],
    ['an update without its rule id', (p: Record<string, any>) => delete p['changes'].find((c: any) => c.kind === 'update').ruleId, /\/changes\/1 must have required property 'ruleId'/],
    ['a malformed fingerprint', (p: Record<string, any>) => (p['liveFingerprint'] = 'abc'), /\/liveFingerprint must match pattern/],
    ['an unknown top-level field', (p: Record<string, any>) => (p['extra'] = true), /\(top level\) must NOT have additional properties.*extra/],
    ['a bad switch status', (p: Record<string, any>) => (p['changes'].find((c: any) => c.kind === 'switch').status = 'on'), /\/status must be one of: ON, OFF/],
    ['an unexpected field in a create', (p: Record<string, any>) => (p['changes'].find((c: any) => c.kind === 'create').after.rank = 3), /\/after must NOT have unevaluated properties.*rank/],
  ])('rejects %s with the path of the problem', (_what, edit, message) => {
    const e = failure(edited(edit));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/^plan\.json: not a valid dbss-policy plan:\n/);
    expect(e.message).toMatch(message);
  });
});

describe('plan JSON: every problem shape is named', () => {
  it('refuses null and scalars as not an object, naming "plan" when no file is given', () => {
    expect(failure('null').message).toBe('plan.json: not a dbss-policy plan: expected a JSON object');
    expect(failure('null').code).toBe('USAGE');
    expect(failure('{').code).toBe('USAGE');
    expect(failure('"plan"').message).toBe('plan.json: not a dbss-policy plan: expected a JSON object');
    expect(() => parsePlan('[]')).toThrow(/^plan: not a dbss-policy plan: expected a JSON object$/);
  });

  it('quotes a const the value must equal', () => {
    const e = failure(edited((p) => (p['changes'].find((c: any) => c.kind === 'set-task').before = 'maybe')));
    expect(e.message.split('\n').slice(1)).toEqual([
      '  /changes/0/before must be boolean',
      '  /changes/0/before must be "unknown"',
      '  /changes/0/before must match exactly one schema in oneOf',
    ]);
  });

  it('shows at most five problems and counts the rest', () => {
    const missing = (keys: string[]) => failure(edited((p) => keys.forEach((k) => delete p[k]))).message.split('\n');
    const five = ['toolVersion', 'liveFingerprint', 'targets', 'notes', 'errors'];
    expect(missing(five)).toEqual([
      'plan.json: not a valid dbss-policy plan:',
      "  (top level) must have required property 'toolVersion'",
      "  (top level) must have required property 'liveFingerprint'",
      "  (top level) must have required property 'targets'",
      "  (top level) must have required property 'notes'",
      "  (top level) must have required property 'errors'",
    ]);
    const seven = missing([...five, 'refusals', 'selectors']);
    expect(seven).toHaveLength(7);
    expect(seven[6]).toBe('  ... and 2 more');
  });
});
