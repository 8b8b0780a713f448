import type { Clock } from '../../src/api/clock.js';

/** A clock whose sleep advances time at once: the limiter's arithmetic, without waiting. */
export class FakeClock implements Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
    return Promise.resolve();
  }
}
