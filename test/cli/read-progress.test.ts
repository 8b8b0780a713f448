import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressClock } from '../../src/cli/progress-clock.js';
import { formatDuration, startReadProgress } from '../../src/cli/read-progress.js';
import { run } from '../../src/cli/run.js';
import { openSession } from '../../src/cli/session.js';
import { DEMO_PROJECTS } from '../../src/emulator/index.js';
import { startEmulatorEnv } from './emulator-env.js';

/** A clock that moves only when told, and a timer the test fires by hand. */
function fakeClock(): ProgressClock & { advance(ms: number): void; timers: number[] } {
  let t = 1_000_000;
  const ticks: { ms: number; fn: () => void; next: number; live: boolean }[] = [];
  return {
    timers: [] as number[],
    now: () => t,
    every(ms, fn) {
      const tick = { ms, fn, next: t + ms, live: true };
      ticks.push(tick);
      this.timers.push(ms);
      return () => {
        tick.live = false;
      };
    },
    advance(ms) {
      const end = t + ms;
      for (;;) {
        const due = ticks.filter((k) => k.live && k.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        t = due.next;
        due.next += due.ms;
        due.fn();
      }
      t = end;
    },
  };
}

/** A stream that records what was written, as a terminal or as a log. */
function stream(isTTY: boolean): { isTTY: boolean; chunks: string[]; write(c: string): boolean } {
  return { isTTY, chunks: [], write(c: string) { this.chunks.push(c); return true; } };
}

describe('startReadProgress', () => {
  it('the time left follows the budget as it is now: a 429 that lowered it lengthens the estimate', () => {
    const clock = fakeClock();
    const err = stream(true);
    let budget = 10;
    const p = startReadProgress(err, { label: 'reading', budgetPerSecond: 10, currentBudget: () => budget, clock });
    p.onProgress({ type: 'expect', requests: 50, targets: 5 });
    expect(err.chunks.at(-1)).toBe('\r\x1b[Kreading: 0 of ~50 requests, 0 of 5 targets read, 0.0 req/s, about 5 s left');
    budget = 1; // the gateway throttled: one request a second from now on
    clock.advance(1000);
    expect(err.chunks.at(-1)).toBe('\r\x1b[Kreading: 0 of ~50 requests, 0 of 5 targets read, 0.0 req/s, about 50 s left');
    p.end();
  });

  it('on a terminal redraws one line in place as requests finish and the total grows', () => {
    const clock = fakeClock();
    const err = stream(true);
    const p = startReadProgress(err, { label: 'reading', budgetPerSecond: 10, clock });
    p.onProgress({ type: 'expect', requests: 3, targets: 2 });
    expect(err.chunks).toEqual(['\r\x1b[Kreading: 0 of ~3 requests, 0 of 2 targets read, 0.0 req/s, about 1 s left']);
    p.onProgress({ type: 'done', requests: 1, targets: 0 }); // within the redraw interval: no redraw
    expect(err.chunks).toHaveLength(1);
    clock.advance(500);
    p.onProgress({ type: 'expect', requests: 40, targets: 0 }); // a rule list revealed 40 rules to show
    expect(err.chunks.at(-1)).toBe('\r\x1b[Kreading: 1 of ~43 requests, 0 of 2 targets read, 2.0 req/s, about 5 s left');
    clock.advance(1000); // the timer redraws at 1 s although nothing happened (the rate moves)
    expect(err.chunks.at(-1)).toBe('\r\x1b[Kreading: 1 of ~43 requests, 0 of 2 targets read, 1.0 req/s, about 5 s left');
    clock.advance(2000);
    p.onProgress({ type: 'done', requests: 29, targets: 1 });
    // After 2 s the slower of the observed rate (30 in 3.5 s) and the budget sets the ETA.
    expect(err.chunks.at(-1)).toBe('\r\x1b[Kreading: 30 of ~43 requests, 1 of 2 targets read, 8.6 req/s, about 2 s left');
    p.onProgress({ type: 'done', requests: 13, targets: 1 });
    p.end();
    expect(err.chunks.slice(-2)).toEqual(['\r\x1b[Kreading: 43 of ~43 requests, 2 of 2 targets read, 12.3 req/s', '\n']);
    const count = err.chunks.length;
    clock.advance(5000);
    p.onProgress({ type: 'done', requests: 1, targets: 0 });
    expect(err.chunks).toHaveLength(count);
  });

  it('in a log writes a plain line every 30 s, and nothing for a read that ends sooner', () => {
    const clock = fakeClock();
    const log = stream(false);
    const p = startReadProgress(log, { label: 'verifying', budgetPerSecond: 10, clock });
    p.onProgress({ type: 'expect', requests: 1000, targets: 20 });
    p.onProgress({ type: 'done', requests: 10, targets: 0 });
    clock.advance(29_000);
    expect(log.chunks).toEqual([]);
    clock.advance(1000);
    p.onProgress({ type: 'done', requests: 290, targets: 6 });
    clock.advance(30_000);
    expect(log.chunks).toEqual([
      'verifying: 10 of ~1000 requests, 0 of 20 targets read, 0.3 req/s, about 49 min 30 s left\n',
      'verifying: 300 of ~1000 requests, 6 of 20 targets read, 5.0 req/s, about 2 min 20 s left\n',
    ]);
    p.end();
    clock.advance(60_000);
    expect(log.chunks).toHaveLength(2);

    const quick = stream(false);
    const q = startReadProgress(quick, { label: 'reading', budgetPerSecond: 10, clock });
    q.onProgress({ type: 'expect', requests: 5, targets: 1 });
    q.onProgress({ type: 'done', requests: 5, targets: 1 });
    q.end();
    clock.advance(60_000);
    expect(quick.chunks).toEqual([]);
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(41_200)).toBe('42 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(2 * 3600_000 + 7 * 60_000)).toBe('2 h 07 min');
  });
});

describe('plan on a terminal (in process, embedded emulator)', () => {
  it('shows the read progress line on stderr, updates it, and ends at the real total', async () => {
    // Each look at the clock moves it 150 ms, so every event is worth a redraw.
    let t = 0;
    const clock: ProgressClock = { now: () => (t += 150), every: () => () => undefined };
    const out = stream(false);
    const err = stream(true);
    const code = await run(['plan', '--emulator', '--policies', join(import.meta.dirname, '../../policies')], {
      stdout: out,
      stderr: err,
      env: { NO_COLOR: '1' },
      cwd: process.cwd(),
      clock,
    });
    expect(code).toBe(0);
    const lines = err.chunks.filter((c) => c.startsWith('\r\x1b[Kreading: '));
    expect(new Set(lines).size).toBeGreaterThan(5);
    const last = lines.at(-1) ?? '';
    const m = /reading: (\d+) of ~(\d+) requests, (\d+) of (\d+) targets read/.exec(last);
    expect(m?.[1]).toBe(m?.[2]);
    expect(m?.[3]).toBe(m?.[4]);
    // 2 instance lists + 4 rule lists + the shows of the declared rules that exist + 4 task reads
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(10);
    expect(Number(m?.[4])).toBe(6);
    expect(out.chunks.join('')).toMatch(/^Plan: /m);
  });

  it.each([
    ['--cache', (dir: string) => ['--cache', join(dir, 'live-cache.json'), '--rate-limit', 'auto']],
    ['--changed-since', () => ['--changed-since', 'HEAD']],
  ])('with %s the same line is shown and ends at what was really read', async (_flag, extra) => {
    const dir = await mkdtemp(join(tmpdir(), 'dbss-progress-'));
    try {
      let t = 0;
      const clock: ProgressClock = { now: () => (t += 150), every: () => () => undefined };
      const out = stream(false);
      const err = stream(true);
      const args = ['plan', '--emulator', '--policies', join(import.meta.dirname, '../../policies'), ...extra(dir)];
      const code = await run(args, { stdout: out, stderr: err, env: { NO_COLOR: '1' }, cwd: process.cwd(), clock });
      expect(code).toBe(0);
      const last = err.chunks.filter((c) => c.startsWith('\r\x1b[Kreading: ')).at(-1) ?? '';
      expect(last).toMatch(/reading: (\d+) of ~\1 requests, (\d+) of \2 targets read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('export shows the same line while it reads a project', async () => {
    let t = 0;
    const clock: ProgressClock = { now: () => (t += 150), every: () => () => undefined };
    const out = stream(false);
    const err = stream(true);
    const args = ['export', '--emulator', '--project', '0f1e2d3c4b5a69788796a5b4c3d2e1f0', '--region', 'cn-north-4', '--out', '-'];
    const code = await run(args, { stdout: out, stderr: err, env: { NO_COLOR: '1' }, cwd: process.cwd(), clock });
    expect(code).toBe(0);
    const last = err.chunks.filter((c) => c.startsWith('\r\x1b[Kreading: ')).at(-1) ?? '';
    expect(last).toMatch(/reading: (\d+) of ~\1 requests, (\d+) of \2 targets read/);
    expect(out.chunks.join('')).toContain('instances:');
  });
});

describe('the budget the time left is computed at', () => {
  it('is the slowest client budget of the run as it is now: a 429 stating a limit lowers it', async () => {
    const e = await startEmulatorEnv({ statedLimit: { limit: 3, per: 'second' } });
    const io = { stdout: stream(false), stderr: stream(false), env: e.env, cwd: e.dir };
    const session = await openSession({ 'rate-limit': '10/s' }, io);
    try {
      expect(session.currentBudget()).toBe(10);
      e.emulator.failNext('*', '429', 1);
      await session.pool.client('cn-north-4', DEMO_PROJECTS.payments).listInstances(DEMO_PROJECTS.payments);
      expect(session.currentBudget()).toBeCloseTo(2.7); // 90% of the stated 3/s
    } finally {
      await session.close();
      await e.close();
    }
  });
});
