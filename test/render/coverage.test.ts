import { describe, expect, it } from 'vitest';
import { parsePlan, serializePlan } from '../../src/plan/plan-json.js';
import type { Plan, PlanCoverage } from '../../src/plan/types.js';
import { formatAge } from '../../src/render/coverage-lines.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { demoPlan } from '../plan/demo-plan.js';

const COMMIT = '3f9c2a7b1d04e5f60718293a4b5c6d7e8f901234';
const withCoverage = (coverage: PlanCoverage): Plan => Object.assign(demoPlan(), { coverage });

describe('what a plan did not read, in every format', () => {
  it('a scoped plan: text, markdown (the ref escaped as code) and JSON that validates', () => {
    const plan = withCoverage({ changedSince: { ref: 'we`ird', commit: COMMIT, changedTargets: 1, unchangedTargets: 417, unreadRules: 1 } });
    expect(renderText(plan)).toContain(
      'Scoped to what changed since we`ird (3f9c2a7b1d04): 1 changed target read and planned; 417 unchanged targets not read; drift is found by the scheduled job.\n' +
        '1 declared rule of the planned instances not shown: declared spec and place unchanged.\n',
    );
    const md = renderMarkdown(plan);
    expect(md).toContain('> [!NOTE]\n> Scoped to what changed since `` we`ird `` (3f9c2a7b1d04)');
    expect(parsePlan(serializePlan(plan)).coverage).toEqual(plan.coverage);
  });

  it('a fallback says why everything was planned', () => {
    const plan = withCoverage({ changedSince: { ref: 'main', commit: COMMIT, changedTargets: 5, unchangedTargets: 0, unreadRules: 0, fallback: 'the policies there do not validate (2 errors), so every target was read and planned' } });
    expect(renderText(plan)).toContain('Compared with main (3f9c2a7b1d04): the policies there do not validate (2 errors), so every target was read and planned.');
  });

  it('a cached plan says how many details came from the cache and the oldest age; the JSON validates', () => {
    const plan = withCoverage({ cache: { rulesFromCache: 95818, rulesShown: 4182, oldestAgeSeconds: 23 * 3600 + 600, maxAgeSeconds: 86400 } });
    expect(renderText(plan)).toContain('95818 rule details came from the live-state cache (oldest 23 h 10 min, --max-age 24 h), 4182 shown fresh;');
    expect(parsePlan(serializePlan(plan)).coverage).toEqual(plan.coverage);
    const first = withCoverage({ cache: { rulesFromCache: 0, rulesShown: 9, maxAgeSeconds: 3600 } });
    expect(renderMarkdown(first)).toContain('> 0 rule details came from the live-state cache, 9 shown fresh;');
  });

  it('a full fresh plan says nothing about coverage', () => {
    expect(renderText(demoPlan())).not.toMatch(/not read|live-state cache/);
    expect([formatAge(40), formatAge(300), formatAge(7200), formatAge(7260)]).toEqual(['40 s', '5 min', '2 h', '2 h 1 min']);
  });
});
