import type { Emulator, EmulatorOptions, GenerateStateOptions, RuntimeSettings } from '../src/emulator/index.js';
import { generateState, startEmulator } from '../src/emulator/index.js';

/**
 * The emulator in its own process, so that the client under measurement does not share an event
 * loop with the server. Started with `fork` (an IPC channel): argv[2] is the JSON of
 * EmulatorProcessConfig. Prints `listening on <url>` on stdout, then answers EmulatorCommand
 * messages over IPC until told to close.
 */

/** How the emulator process starts. */
export interface EmulatorProcessConfig {
  /** The generated estate (generateState options, with its seed). */
  readonly estate: GenerateStateOptions;
  /** The one access key the emulator accepts (requests are really signed and verified). */
  readonly credential: { readonly ak: string; readonly sk: string };
  /** Throttling, latency and faults at start. */
  readonly settings: RuntimeSettings;
  /** Seed of the fault, latency and request-id streams. */
  readonly seed: number;
}

/** A request to the emulator process; each carries an id echoed by the answer. */
export type EmulatorCommand =
  | { readonly id: number; readonly cmd: 'counters' }
  | { readonly id: number; readonly cmd: 'reset' }
  | { readonly id: number; readonly cmd: 'operations' }
  | { readonly id: number; readonly cmd: 'state' }
  | { readonly id: number; readonly cmd: 'configure'; readonly settings: RuntimeSettings }
  | { readonly id: number; readonly cmd: 'generate'; readonly estate: GenerateStateOptions }
  | { readonly id: number; readonly cmd: 'close' };

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as EmulatorProcessConfig;
  /** Operation names of answered requests, in the order they were answered (since the last reset). */
  let answered: string[] = [];
  const options: EmulatorOptions = {
    state: generateState(config.estate),
    auth: { credentials: [config.credential], tokens: [] },
    seed: config.seed,
    logCapacity: 100,
    onRequest: (entry) => answered.push(`${entry.operation} ${entry.status}`),
    ...config.settings,
  };
  const emulator: Emulator = await startEmulator(options);
  const handle = async (m: EmulatorCommand): Promise<unknown> => {
    switch (m.cmd) {
      case 'counters':
        return emulator.counters();
      case 'reset':
        emulator.resetCounters();
        answered = [];
        return null;
      case 'operations':
        return answered;
      case 'state':
        return emulator.state;
      case 'configure':
        emulator.configure(m.settings);
        return null;
      case 'generate':
        emulator.replaceState(generateState(m.estate));
        return null;
      case 'close':
        await emulator.close();
        setImmediate(() => process.exit(0));
        return null;
    }
  };
  process.on('message', (m: EmulatorCommand) => {
    handle(m).then(
      (result) => process.send?.({ id: m.id, result }),
      (err: unknown) => process.send?.({ id: m.id, error: String(err) }),
    );
  });
  process.on('disconnect', () => void emulator.close().then(() => process.exit(0)));
  process.stdout.write(`listening on ${emulator.url}\n`);
}

await main();
