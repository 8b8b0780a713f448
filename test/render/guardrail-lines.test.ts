import { describe, expect, it } from 'vitest';
import type { GuardrailReport, GuardrailViolation } from '../../src/guardrails/types.js';
import { guardrailAnnotations, guardrailMarkdown, guardrailSummary, guardrailTextLines } from '../../src/render/guardrail-lines.js';

/**
 * Guardrail violations in text, markdown and annotations: every string from the policy tree or
 * the API (guardrail names, messages, rule names, evaluation errors, file names) is escaped by
 * the format, so a message cannot inject a line, markup or a workflow command.
 */

const violation = (over: Partial<GuardrailViolation> = {}): GuardrailViolation => ({
  guardrail: 'prod-drop-table-high',
  severity: 'error',
  message: 'prod-* instances audit DROP_TABLE at HIGH',
  state: 'live',
  target: 'cn-north-4/p/prod-a',
  at: { file: 'policies/a.yaml', line: 10, col: 5 },
  guardrailAt: { file: 'policies/g.yaml', line: 3, col: 5 },
  ...over,
});

const HOSTILE = 'x\n::error::forged\n## ✅ Safe\u001b[31m<img src=x>';

describe('guardrail rendering', () => {
  it('summarises: all hold, or how many violations of each severity', () => {
    expect(guardrailSummary({ checked: 2, violations: [] })).toBe('Guardrails: 2 checked, all hold.');
    const report: GuardrailReport = { checked: 2, violations: [violation(), violation({ severity: 'warning', guardrail: 'w' })] };
    expect(guardrailSummary(report)).toBe('Guardrails: 2 checked, 2 violations (1 error, 1 warning)');
  });

  it('text: what and where on two lines; an evaluation error is said; hostile strings are escaped', () => {
    const report = { checked: 1, violations: [violation({ rule: HOSTILE, message: HOSTILE, error: 'no such key: x' })] };
    const [, what, where] = guardrailTextLines(report);
    expect(what).toBe(
      '  ✗ error prod-drop-table-high: cn-north-4/p/prod-a rule x\\n::error::forged\\n## ✅ Safe<img src=x> (live): x\\n::error::forged\\n## ✅ Safe<img src=x> (could not be evaluated: no such key: x)',
    );
    expect(where).toBe('      at policies/a.yaml:10:5; guardrail at policies/g.yaml:3:5');
  });

  it('markdown: a callout item per violation, markup escaped', () => {
    const [head, item] = guardrailMarkdown({ checked: 1, violations: [violation({ message: HOSTILE })] });
    expect(head).toBe('> [!CAUTION]\n> **Guardrails: 1 checked, 1 violation (1 error, 0 warnings)**\n>');
    expect(item).not.toContain('\n');
    expect(item).not.toContain('<img');
    expect(item).toContain('&lt;img src=x&gt;');
    expect(item).toContain('at `policies/a.yaml:10:5`, guardrail at `policies/g.yaml:3:5`');
  });

  it('annotations: one per violation at the breaking line, a warning for severity warning; no forged command', () => {
    const out = guardrailAnnotations({ checked: 1, violations: [violation({ message: HOSTILE }), violation({ severity: 'warning' })] });
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=policies\/a.yaml,line=10,col=5,title=dbss-policy guardrail prod-drop-table-high::/);
    expect(lines[0]).toContain('x%0A::error::forged%0A');
    expect(lines[1]).toMatch(/^::warning file=policies\/a.yaml,line=10,col=5,/);
  });
});
