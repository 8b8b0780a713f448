import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorCounters, EmulatorState, GenerateStateOptions, RuntimeSettings } from '../src/emulator/index.js';
import type { EmulatorCommand, EmulatorProcessConfig } from './emulator-process.js';

/** The emulator process, driven from the benchmark. */
export interface EmulatorHandle {
  /** Base URL of the emulator. */
  readonly url: string;
  /** The emulator's call counters since the last reset. */
  counters(): Promise<EmulatorCounters>;
  /** Clears the counters and the answered-operations list. */
  reset(): Promise<void>;
  /** `operation status` of every answered request since the last reset, in answer order. */
  operations(): Promise<string[]>;
  /** The whole model as it is now. */
  state(): Promise<EmulatorState>;
  /** Changes throttling, latency or faults. */
  configure(settings: RuntimeSettings): Promise<void>;
  /** Replaces the model with a freshly generated estate. */
  generate(estate: GenerateStateOptions): Promise<void>;
  /** Stops the emulator process. */
  close(): Promise<void>;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Command = EmulatorCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

const ENTRY = fileURLToPath(new URL('./emulator-process.js', import.meta.url));

/** Starts `node emulator-process.js` (compiled next to this file) and waits for its URL. */
export async function startEmulatorProcess(config: EmulatorProcessConfig): Promise<EmulatorHandle> {
  const child: ChildProcess = fork(ENTRY, [JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const pending = new Map<number, Pending>();
  let next = 1;
  child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(`emulator process: ${m.error}`));
    else p?.resolve(m.result);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`emulator process exited early (${code})`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  const send = <T>(command: Command): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...command, id });
    });
  return {
    url,
    counters: () => send({ cmd: 'counters' }),
    reset: () => send({ cmd: 'reset' }),
    operations: () => send({ cmd: 'operations' }),
    state: () => send({ cmd: 'state' }),
    configure: (settings) => send({ cmd: 'configure', settings }),
    generate: (estate) => send({ cmd: 'generate', estate }),
    async close() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await send({ cmd: 'close' }).catch(() => undefined);
      await exited;
    },
  };
}
