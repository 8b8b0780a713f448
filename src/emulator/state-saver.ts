import { saveStateFile } from './state-file.js';
import type { EmulatorState } from './types.js';

/**
 * Saves the model to its file after writes: debounced (one save for a burst of writes) and
 * serialised (one save at a time; the JSON is taken when the save starts). A failed
 * background save is reported by the next `flush()`.
 */
export class StateSaver {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly file: string | undefined,
    private readonly state: () => EmulatorState,
    private readonly debounceMs: number,
  ) {}

  /** Notes that the model changed; a save follows after the debounce. */
  changed(): void {
    if (!this.file) return;
    if (this.debounceMs <= 0) {
      void this.enqueue();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.enqueue();
    }, this.debounceMs);
  }

  /** Saves now (cancelling a pending debounce) and waits; throws an earlier background failure. */
  async flush(): Promise<void> {
    if (!this.file) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.enqueue();
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }

  private enqueue(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    this.chain = this.chain.then(() =>
      saveStateFile(file, this.state()).catch((err: unknown) => {
        this.failure = err;
      }),
    );
    return this.chain;
  }
}
