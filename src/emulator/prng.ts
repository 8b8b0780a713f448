/**
 * A small seeded PRNG (mulberry32) so that every random choice of the emulator (rule ids,
 * latency jitter, injected faults, generated states) is reproducible from a seed. Its whole
 * state is one 32-bit integer, which the state file persists for the id stream.
 */
export class Prng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The current internal state (feed it back to the constructor to resume the stream). */
  get state(): number {
    return this.s;
  }

  /** A float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('Prng.pick: empty list');
    return item;
  }

  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A rule id in the API's style: 20 opaque characters, like `c7ILB3kBCwCqSg3B2OpF`. */
export function ruleId(prng: Prng): string {
  return prng.string(20, ID_ALPHABET);
}

/** A 32-character lower-case hex id, the shape of project and instance ids. */
export function hexId(prng: Prng): string {
  return prng.string(32, '0123456789abcdef');
}

/** Derives an independent stream seed from a base seed and a stream label. */
export function streamSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}
