import { describe, expect, it } from 'vitest';
import { call } from './helpers/call.js';
import { emulator, P2, PCI, paths, ruleBody } from './helpers/fixtures.js';

describe('concurrency', () => {
  it('200 parallel creates, switches and rank moves keep ranks 1..n and lose no write', async () => {
    const emu = await emulator({ latency: { fixedMs: 0, jitterMs: 5 }, seed: 7 });
    const system = (await call(emu.url, 'GET', paths.rulesNew(P2, PCI))).json.rules.map((r: { id: string }) => r.id) as string[];
    const work = Array.from({ length: 200 }, (_, i) => {
      if (i % 4 === 3) return call(emu.url, 'POST', paths.switchV2(P2, PCI), { body: { ids: system.join(','), status: i % 8 === 3 ? 'OFF' : 'ON' } });
      return call(emu.url, 'POST', paths.create(P2, PCI), { body: ruleBody(`parallel-${i}`, { risk_level: 'LOW' }) });
    });
    const results = await Promise.all(work);
    expect(results.every((r) => r.status === 200 && r.json.status === 'SUCCESS')).toBe(true);

    const listed = (await call(emu.url, 'GET', `${paths.rulesNew(P2, PCI)}?limit=1000`)).json;
    const created = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 4 !== 3).map((i) => `parallel-${i}`);
    expect(listed.total).toBe(4 + created.length);
    expect(listed.rules.map((r: { rank: number }) => r.rank)).toEqual(Array.from({ length: listed.total }, (_, i) => i + 1));
    expect(listed.rules.slice(4).map((r: { name: string }) => r.name).sort()).toEqual([...created].sort());
    expect(new Set(listed.rules.map((r: { id: string }) => r.id)).size).toBe(listed.total);

    const customs = listed.rules.slice(4) as { id: string }[];
    const moves = customs.slice(0, 60).map((r, i) => call(emu.url, 'POST', paths.rank(P2, PCI), { body: { id: r.id, new_rank: 1 + ((i * 37) % listed.total) } }));
    expect((await Promise.all(moves)).every((r) => r.json?.result === 'success')).toBe(true);
    const after = (await call(emu.url, 'GET', `${paths.rulesNew(P2, PCI)}?limit=1000`)).json.rules;
    expect(after.map((r: { rank: number }) => r.rank)).toEqual(Array.from({ length: listed.total }, (_, i) => i + 1));
    expect(after.map((r: { id: string }) => r.id).sort()).toEqual(listed.rules.map((r: { id: string }) => r.id).sort());
  });

  it('parallel creates of one name: exactly one succeeds, the others answer FAILED', async () => {
    const emu = await emulator({ latency: { fixedMs: 0, jitterMs: 3 } });
    const results = await Promise.all(Array.from({ length: 20 }, () => call(emu.url, 'POST', paths.create(P2, PCI), { body: ruleBody('same-name') })));
    expect(results.filter((r) => r.json.status === 'SUCCESS')).toHaveLength(1);
    expect(results.filter((r) => r.json.status === 'FAILED')).toHaveLength(19);
    expect(emu.counters().byOperation.CreateAuditRiskRule).toBe(20);
  });
});
