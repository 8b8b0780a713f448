import { fork } from 'node:child_process';
import { GCProfiler } from 'node:v8';
import { fileURLToPath } from 'node:url';

/** What a measuring child process reports about the work it timed. */
export interface Measurement {
  /** Wall time of the measured work, ms. */
  readonly wallMs: number;
  /** CPU time (user + system) of the measured work, ms. */
  readonly cpuMs: number;
  /** Heap in use before the work (after a full GC), bytes. */
  readonly heapBefore: number;
  /** Most heap in use during the work (before each GC it ran, and at its end), bytes. */
  readonly heapPeak: number;
  /** Resident set size before the work, bytes. */
  readonly rssBefore: number;
  /** Peak resident set size of the whole child process (inputs included), bytes. */
  readonly peakRss: number;
  /** Scenario-specific counts (changes planned, files read...). */
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Runs `entry` (a compiled file next to this one) in a fresh node process with --expose-gc, so
 * that its peak memory is the work's own, and returns the Measurement it sends back over IPC.
 */
export function runMeasuredChild(entry: string, args: readonly string[]): Promise<Measurement> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  const child = fork(file, [...args], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: Measurement | undefined;
    child.on('message', (m: Measurement) => (result = m));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${entry} exited with ${code}`))));
  });
}

/**
 * Measures `work` inside a child started by runMeasuredChild: full GC first, then wall and CPU
 * time of the work, its heap peak (V8's GC profiler reports the heap before every collection, the
 * local maxima), and the process's peak RSS; sends the Measurement to the parent.
 */
export async function measureAndReport<T>(work: () => T | Promise<T>, counts: (result: T) => Record<string, number>): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { heapUsed: heapBefore, rss: rssBefore } = process.memoryUsage();
  const gcs = new GCProfiler();
  gcs.start();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const heapAtEnd = process.memoryUsage().heapUsed;
  const beforeEachGc = gcs.stop().statistics.map((s) => s.beforeGC.heapStatistics.usedHeapSize);
  const measurement: Measurement = {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    heapBefore,
    heapPeak: Math.max(heapAtEnd, ...beforeEachGc),
    rssBefore,
    peakRss: process.resourceUsage().maxRSS * 1024,
    counts: counts(result),
  };
  await new Promise<void>((resolve) => process.send!(measurement, () => resolve()));
}
