import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiProfile } from './api-profile.js';
import { Authenticator } from './auth/authenticator.js';
import { FaultInjector } from './faults.js';
import { ListLag } from './list-lag.js';
import type { HostileAnswers } from './hostile-answers.js';
import type { Emulator, EmulatorOptions, LatencySettings, RuntimeSettings } from './options.js';
import { Prng, streamSeed } from './prng.js';
import { profileByName } from './profiles.js';
import { emptyState } from './project-state.js';
import { RequestLog } from './request-log.js';
import { createRequestListener } from './request-pipeline.js';
import type { ServiceContext } from './service-context.js';
import { loadStateFile } from './state-file.js';
import { StateSaver } from './state-saver.js';
import { Throttle } from './throttle.js';
import type { EmulatorState } from './types.js';

const TWELVE_MIB = 12 * 1024 * 1024;

async function initialState(options: EmulatorOptions): Promise<EmulatorState> {
  if (options.stateFile && options.loadStateFile !== false) {
    const loaded = await loadStateFile(options.stateFile);
    if (loaded) return loaded;
  }
  return structuredClone(options.state ?? emptyState());
}

/**
 * Starts a DBSS emulator on loopback (by default) and resolves once it listens. See
 * EmulatorOptions for every option and Emulator for what the handle offers.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const profile: ApiProfile = typeof options.profile === 'string' ? profileByName(options.profile) : (options.profile ?? profileByName('default'));
  let state = await initialState(options);
  const listLag = new ListLag();
  listLag.configure(options.listLagMs ?? undefined);
  const hostile = { answers: options.hostileAnswers ?? {}, lied: new Set<string>() };
  let service: ServiceContext = makeService(state, now, options.summaryTaskDurationMs ?? 2000, profile, listLag, hostile);
  let gate: Promise<void> | undefined;
  let latency: LatencySettings | undefined = options.latency ?? undefined;

  const throttle = new Throttle(options.rateLimit ?? undefined, now, options.statedLimit ?? undefined);
  const faults = new FaultInjector(options.faults ?? undefined, new Prng(streamSeed(seed, 'faults')));
  const log = new RequestLog(options.logCapacity ?? 10_000, options.logFile, options.onRequest);
  const saver = new StateSaver(options.stateFile, () => state, options.saveDebounceMs ?? 50);
  const listener = createRequestListener({
    service: () => service,
    authenticator: options.auth ? new Authenticator(options.auth, now) : undefined,
    throttle,
    faults,
    latency: () => latency,
    gate: () => gate,
    jitter: new Prng(streamSeed(seed, 'latency')),
    requestIds: new Prng(streamSeed(seed, 'request-ids')),
    log,
    saver,
    maxBodyBytes: options.maxBodyBytes ?? TWELVE_MIB,
  });

  const server = createServer({ maxHeaderSize: 128 * 1024 }, listener);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await log.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // Without a state file nothing is saved; with one, the starting state is written at once.
  await saver.flush();

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    profile,
    get state() {
      return state;
    },
    get log() {
      return log.entries;
    },
    counters: () => log.counters(),
    resetCounters: () => log.reset(),
    configure(settings: RuntimeSettings) {
      if ('rateLimit' in settings) throttle.configure(settings.rateLimit ?? undefined);
      if ('statedLimit' in settings) throttle.configureStated(settings.statedLimit ?? undefined);
      if ('latency' in settings) latency = settings.latency ?? undefined;
      if ('faults' in settings) faults.configure(settings.faults ?? undefined);
      if (settings.summaryTaskDurationMs !== undefined) service = makeService(state, now, settings.summaryTaskDurationMs, profile, listLag, hostile);
      if ('listLagMs' in settings) listLag.configure(settings.listLagMs ?? undefined);
    },
    failNext: (operation, kind, count = 1) => faults.failNext(operation, kind, count),
    pause() {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      gate = held;
      return () => {
        if (gate === held) gate = undefined;
        release();
      };
    },
    replaceState(next: EmulatorState) {
      state = structuredClone(next);
      service = makeService(state, now, service.summaryTaskDurationMs, profile, listLag, hostile);
      saver.changed();
    },
    save: () => saver.flush(),
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        try {
          await saver.flush();
        } finally {
          await log.close();
        }
      })();
      return closing;
    },
  };
}

function makeService(state: EmulatorState, now: () => number, summaryTaskDurationMs: number, profile: ApiProfile, listLag: ListLag, hostile: { answers: HostileAnswers; lied: Set<string> }): ServiceContext {
  return { state, ids: new Prng(state.idRngState), now, summaryTaskDurationMs, profile, listLag, hostile: hostile.answers, lied: hostile.lied };
}
