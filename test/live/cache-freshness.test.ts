import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../src/api/types.js';
import { cachedReads, isDue, phaseOf } from '../../src/live/cache-freshness.js';
import type { CachedRule } from '../../src/live/live-cache.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ids = Array.from({ length: 2400 }, (_, i) => `rule${i.toString(36)}x${(i * 7919).toString(16)}`);

describe('isDue', () => {
  it('refreshes about 1/24 of the rules per hourly run, each exactly once a day', () => {
    const t0 = Date.parse('2026-03-01T00:17:00Z');
    const readAt = new Map(ids.map((id) => [id, t0]));
    const perRun: number[] = [];
    for (let h = 1; h <= 48; h++) {
      const now = t0 + h * HOUR;
      const due = ids.filter((id) => isDue(id, readAt.get(id)!, now, DAY));
      for (const id of due) readAt.set(id, now);
      perRun.push(due.length);
    }
    expect(perRun.slice(0, 24).reduce((a, b) => a + b)).toBe(ids.length);
    expect(perRun.slice(24).reduce((a, b) => a + b)).toBe(ids.length);
    // A fair spread: no hour refreshes more than twice its share (100).
    expect(Math.max(...perRun)).toBeLessThanOrEqual(200);
  });

  it('never keeps a detail for --max-age or longer, and is deterministic', () => {
    for (const id of ids.slice(0, 50)) {
      expect(isDue(id, 0, DAY, DAY)).toBe(true);
      expect(phaseOf(id, DAY)).toBe(phaseOf(id, DAY));
    }
  });
});

describe('cachedReads', () => {
  const summary = (over: Partial<RuleSummary> = {}): RuleSummary => ({
    id: 'r1', name: 'n', ruleType: 'CUSTOMIZE', status: 'ON', rank: 7, riskLevel: 'HIGH', feature: 'CLIENT[Any]', ...over,
  });
  const cached = (readAt: number): Record<string, CachedRule> => ({
    r1: {
      list: { name: 'n', status: 'ON', riskLevel: 'HIGH', feature: 'CLIENT[Any]' },
      detail: { id: 'r1', name: 'n', status: 'ON', riskLevel: 'HIGH', rank: 3, actions: [], affectRows: { symbol: 'GREATER', value: 1 }, executionTime: { symbol: 'GREATER', value: 2 }, dbIds: [], clientIps: [], schemas: [], ignoreCase: false },
      readAt,
    },
  });
  const now = 10 * HOUR;
  // The start of r1's current max-age window: read then, it is not due yet at `now`.
  const fresh = Math.floor((now + phaseOf('r1', DAY)) / DAY) * DAY - phaseOf('r1', DAY);

  it('takes a fresh cached detail with the rank of today\'s list', () => {
    const r = cachedReads(cached(fresh), [summary()], now, DAY);
    expect(r.show).toEqual([]);
    expect(r.known?.['r1']?.rank).toBe(7);
    expect(r.readAt['r1']).toBe(fresh);
  });

  it('shows a rule whose list fields changed, a rule not cached, and one read in the future', () => {
    expect(cachedReads(cached(fresh), [summary({ riskLevel: 'LOW' })], now, DAY).show).toHaveLength(1);
    expect(cachedReads(cached(fresh), [summary({ feature: 'CLIENT[10.0.0.0/8]' })], now, DAY).show).toHaveLength(1);
    expect(cachedReads(cached(fresh), [summary({ status: 'OFF' })], now, DAY).show).toHaveLength(1);
    expect(cachedReads(undefined, [summary()], now, DAY).show).toHaveLength(1);
    expect(cachedReads(cached(now + HOUR), [summary()], now, DAY).show).toHaveLength(1);
  });
});
